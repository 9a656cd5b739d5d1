/**
 * The watch cache's event window, one per resource, as kube-apiserver's cacher keeps it: a ring
 * buffer of the latest events whose capacity moves between a lower and an upper bound.
 *
 * - An event is added at the end; when the ring is full the oldest one is dropped.
 * - Before a full ring drops anything it grows (doubles, up to the upper bound) if its oldest
 *   event is younger than the fresh duration; it shrinks (halves, down to the lower bound) once
 *   the event a quarter of the capacity from the end is older than that. With a fresh duration
 *   of 0 nothing is fresh, and the ring stays at its lower bound.
 * - A watch may start at any revision from `oldest - 1` on, where `oldest` is the revision of the
 *   first event still in the ring; before anything was dropped, from the revision the cache
 *   started at. Older starts get 410 Expired `too old resource version: <rv> (<oldest - 1>)`.
 *
 * @module
 */

/** Options of {@link createEventWindow}. */
export interface EventWindowOptions {
  /**
   * Capacity the ring starts at and never shrinks below (the cacher's lower bound).
   * @default 100
   */
  size?: number;
  /**
   * Capacity the ring never grows beyond (the cacher's upper bound).
   * @default 102400
   */
  maxSize?: number;
  /**
   * How long an event counts as fresh, in milliseconds; a full ring whose oldest event is fresh
   * grows instead of dropping it. The real cacher uses 75 000. 0: the ring keeps `size`.
   * @default 0
   */
  freshMs?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** One resource's window of events. */
export interface EventWindow<E extends { rv: number }> {
  /** Adds an event (revisions only increase). */
  push(event: E): void;
  /** Events with a revision greater than `rv`, oldest first (not copies). */
  since(rv: number): E[];
  /** The oldest revision a watch may start from; older starts are expired. */
  startRv(): number;
  /** The current capacity. */
  capacity(): number;
  /** How many events are held. */
  size(): number;
  /** Drops events at or below `rv` (storage compaction). */
  dropThrough(rv: number): void;
}

/** The cacher's default bounds. */
export const WATCH_CACHE_DEFAULTS = { size: 100, maxSize: 100 * 1024 } as const;

/**
 * Creates an empty window for a cache that started at revision `initialRv`.
 *
 * @param initialRv The revision the cache's initial list was read at.
 * @param options See {@link EventWindowOptions}.
 */
export function createEventWindow<E extends { rv: number }>(initialRv: number, options: EventWindowOptions = {}): EventWindow<E> {
  const lower = Math.max(1, Math.floor(options.size ?? WATCH_CACHE_DEFAULTS.size));
  const upper = Math.max(lower, Math.floor(options.maxSize ?? WATCH_CACHE_DEFAULTS.maxSize));
  const freshMs = options.freshMs ?? 0;
  const now = options.now ?? Date.now;
  let capacity = lower;
  let events: { event: E; at: number }[] = [];
  let start = initialRv;

  const fresh = (at: number, t: number): boolean => freshMs > 0 && t - at < freshMs;
  const resize = (t: number): void => {
    if (events.length < capacity) return;
    const oldest = events[0] as { at: number };
    if (fresh(oldest.at, t)) {
      capacity = Math.min(capacity * 2, upper);
      return;
    }
    const quarter = events[events.length - Math.floor(capacity / 4)];
    if (quarter && !fresh(quarter.at, t)) capacity = Math.max(Math.floor(capacity / 2), lower);
  };

  return {
    push(event) {
      const t = now();
      resize(t);
      events.push({ event, at: t });
      if (events.length > capacity) {
        events = events.slice(events.length - capacity);
        start = (events[0] as { event: E }).event.rv - 1;
      }
    },
    since(rv) {
      let lo = 0;
      let hi = events.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((events[mid] as { event: E }).event.rv <= rv) lo = mid + 1;
        else hi = mid;
      }
      return events.slice(lo).map((e) => e.event);
    },
    startRv: () => start,
    capacity: () => capacity,
    size: () => events.length,
    dropThrough(rv) {
      events = events.filter((e) => e.event.rv > rv);
    },
  };
}
