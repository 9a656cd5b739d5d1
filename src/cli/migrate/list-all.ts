/**
 * Reading every object of one kind through the raw backend, page by page.
 *
 * @module
 */
import type { Backend, ResourceObject } from '../../backends/backend.js';
import { isNotSupported } from '../../errors.js';

/** Objects per list page. */
export const PAGE_SIZE = 500;

/**
 * Lists every object of a kind in every namespace.
 *
 * @param backend The datastore.
 * @param kind The kind.
 * @param onPage Called after each page with the number of objects it held.
 * @return The stored objects; an empty list when the datastore cannot store the kind.
 */
export async function listAll(backend: Backend, kind: string, onPage: (items: number) => void = () => undefined): Promise<ResourceObject[]> {
  const out: ResourceObject[] = [];
  let cont: string | undefined;
  try {
    // Bounded: a page count no datastore reaches (500 × 1e6 objects).
    for (let page = 0; page < 1_000_000; page++) {
      const result = await backend.list({ kind, limit: PAGE_SIZE, ...(cont ? { continue: cont } : {}) });
      for (const kv of result.items) out.push(kv.value);
      onPage(result.items.length);
      cont = result.continue;
      if (!cont) break;
    }
  } catch (e) {
    if (isNotSupported(e)) return [];
    throw e;
  }
  return out;
}
