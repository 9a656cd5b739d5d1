/**
 * `sourceFromBackend`: a {@link SyncSource} read straight from a {@link Backend}, without the
 * client's read-defaulting.
 *
 * @module
 */
import type { Backend, ListOptions, ResourceObject } from '../backends/backend.js';
import { ValidationError } from '../errors.js';
import type { SyncSource } from './sync-types.js';
import { listAllPages } from '../backends/list-pages.js';

/** Options of {@link sourceFromBackend}: the list/watch filters plus paging. */
export interface BackendSourceOptions extends ListOptions {
  /**
   * Page size of the list. Absent: one request for everything. When a follow-up page fails with
   * Expired (its continue token outlived compaction), the list is repeated once without paging,
   * as Kubernetes' pager does.
   * @default undefined
   */
  pageSize?: number;
}

/**
 * Builds a sync source for one kind (and optional namespace, name and label filters) of a
 * backend. Lists read the latest state; watches ask for bookmarks when the backend has them.
 * Objects are passed on exactly as stored: use the client's `syncSource()` to get
 * read-defaulted objects.
 *
 * ## Example
 * ```ts
 * import { createMemoryBackend } from 'calico-datastore/testing';
 * const backend = createMemoryBackend();
 * const cache = syncedCache(sourceFromBackend(backend, { kind: 'IPPool' }));
 * ```
 *
 * @param backend The backend to read.
 * @param options Filters and paging.
 * @return The source.
 * @throws ValidationError (synchronously) when `pageSize` is not a positive integer.
 */
export function sourceFromBackend<T extends ResourceObject = ResourceObject>(backend: Backend, options: BackendSourceOptions): SyncSource<T> {
  const { pageSize, ...filters } = options;
  if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1)) {
    throw new ValidationError([{ path: 'pageSize', type: 'invalid', message: 'must be a positive integer' }]);
  }
  return {
    kind: filters.kind,
    async list() {
      if (pageSize !== undefined) return listAllPages<T>(backend, filters, { pageSize, onExpired: 'relist' });
      const all = await backend.list<T>(filters);
      return { items: all.items, revision: all.revision };
    },
    watch: (revision) => backend.watch<T>({ ...filters, revision: revision === '' ? undefined : revision, allowBookmarks: backend.capabilities.bookmarks }),
  };
}
