/**
 * Reading a whole list through any {@link Backend}, page by page.
 *
 * @module
 */
import { isExpired } from '../errors.js';
import type { Backend, KVPair, ListOptions, ResourceObject, Revision } from './backend.js';

/** Options of {@link listAllPages}. */
export interface ListAllPagesOptions {
  /**
   * Objects per page.
   * @default 500
   */
  pageSize?: number;
  /**
   * When a continue token expires (compaction outran the pages): `relist` reads the whole list
   * again in one request, as Kubernetes' pager does; `throw` passes the ExpiredError on.
   * @default 'throw'
   */
  onExpired?: 'relist' | 'throw';
  /** Called after each page with the number of objects it held. */
  onPage?: (items: number) => void;
}

/** A page count no datastore reaches (500 × 1e6 objects): the loop is bounded all the same. */
const MAX_PAGES = 1_000_000;

/**
 * Lists every object a request selects, following continue tokens.
 *
 * @param backend The datastore.
 * @param filters What to list (no `limit` or `continue`: this function pages).
 * @param options See {@link ListAllPagesOptions}.
 * @return Every object, and the revision the list was read at (every page is read at the first
 *   page's revision).
 */
export async function listAllPages<T extends ResourceObject>(backend: Backend, filters: ListOptions, options: ListAllPagesOptions = {}): Promise<{ items: KVPair<T>[]; revision: Revision }> {
  const pageSize = options.pageSize ?? 500;
  const items: KVPair<T>[] = [];
  let page = await backend.list<T>({ ...filters, limit: pageSize });
  const revision = page.revision;
  items.push(...page.items);
  options.onPage?.(page.items.length);
  for (let n = 1; page.continue && n < MAX_PAGES; n++) {
    try {
      page = await backend.list<T>({ ...filters, limit: pageSize, continue: page.continue });
    } catch (e) {
      if (options.onExpired !== 'relist' || !isExpired(e)) throw e;
      const whole = await backend.list<T>(filters);
      return { items: whole.items, revision: whole.revision };
    }
    items.push(...page.items);
    options.onPage?.(page.items.length);
  }
  return { items, revision };
}
