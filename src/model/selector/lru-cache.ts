/**
 * A small bounded least-recently-used cache over a `Map` (whose iteration order is insertion
 * order: a hit is re-inserted at the end, and the first key is the least recently used).
 *
 * @module
 */

/** A bounded cache from string keys to values. */
export interface LruCache<V> {
  /** The cached value for `key`, marking it most recently used; `undefined` on a miss. */
  get(key: string): V | undefined;
  /** Stores `value` under `key`, evicting the least recently used entry when full. */
  set(key: string, value: V): void;
  /** The number of entries held. */
  readonly size: number;
  /** Removes every entry. */
  clear(): void;
}

/**
 * Creates an empty {@link LruCache}.
 *
 * ## Example
 * ```ts
 * const cache = createLruCache<number>(2);
 * cache.set('a', 1); cache.set('b', 2); cache.get('a'); cache.set('c', 3); // evicts 'b'
 * ```
 * @param capacity The most entries kept; at least 1.
 * @return The cache.
 */
export function createLruCache<V>(capacity: number): LruCache<V> {
  const max = Math.max(1, Math.floor(capacity));
  const map = new Map<string, V>();
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > max) {
        const oldest = map.keys().next();
        if (oldest.done !== true) map.delete(oldest.value);
      }
    },
    get size() {
      return map.size;
    },
    clear() {
      map.clear();
    },
  };
}
