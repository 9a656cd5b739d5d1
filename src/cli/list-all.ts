/**
 * Reading every object of one kind through the raw backend, page by page, for the CLI's reads
 * that have no typed accessor (Profiles) and for migrations.
 *
 * @module
 */
import type { Backend, ResourceObject } from '../backends/backend.js';
import { isNotSupported } from '../errors.js';
import { listAllPages } from '../backends/list-pages.js';

/** Objects per list page. */
export const PAGE_SIZE = 500;

/**
 * Lists every object of a kind in every namespace, with the revision of the last page.
 *
 * @param backend The datastore.
 * @param kind The kind.
 * @param onPage Called after each page with the number of objects it held.
 * @return The stored objects and the revision.
 */
export async function listPages(backend: Backend, kind: string, onPage: (items: number) => void = () => undefined): Promise<{ items: ResourceObject[]; revision: string }> {
  const { items, revision } = await listAllPages(backend, { kind }, { pageSize: PAGE_SIZE, onPage });
  return { items: items.map((kv) => kv.value), revision };
}

/**
 * Lists every object of a kind in every namespace.
 *
 * @param backend The datastore.
 * @param kind The kind.
 * @param onPage Called after each page with the number of objects it held.
 * @return The stored objects; an empty list when the datastore cannot store the kind.
 */
export async function listAll(backend: Backend, kind: string, onPage: (items: number) => void = () => undefined): Promise<ResourceObject[]> {
  try {
    return (await listPages(backend, kind, onPage)).items;
  } catch (e) {
    if (isNotSupported(e)) return [];
    throw e;
  }
}
