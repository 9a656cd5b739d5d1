/**
 * The set of open watch streams. The hub forwards every committed store event to the watches of
 * that resource; fault injection and shutdown reach the streams through it.
 *
 * @module
 */
import type { ObjectStore, StoreEvent } from './store.js';
import type { ResourceDefinition } from './types.js';

/** One open watch stream. */
export interface ActiveWatch {
  /** Serial number (for logs and tests). */
  id: number;
  /** The resource watched. */
  resource: ResourceDefinition;
  /** Namespace of a namespaced watch; absent for all namespaces or cluster-scoped. */
  namespace?: string;
  /** Offers one store event (the watch filters it). */
  deliver(event: StoreEvent): void;
  /** Sends a BOOKMARK if the revision moved on since the last frame (always when `force`). */
  bookmark(force: boolean): void;
  /** Ends the stream cleanly (like a server-side timeout). */
  end(): void;
  /** Destroys the connection without a clean end (connection reset). */
  reset(): void;
  /** Sends an in-stream `ERROR` 410 and ends the stream. */
  expire(message?: string): void;
}

/** Selects watches for fault injection. */
export interface WatchMatch {
  /** Resource plural, e.g. `pods`. */
  resource?: string;
  /** API group (`''` for core). */
  group?: string;
  /** Namespace of the watch. */
  namespace?: string;
}

/** The registry of open watches. */
export interface WatchHub {
  /** Adds a watch; returns the function that removes it. */
  add(watch: ActiveWatch): () => void;
  /** The open watches that match. */
  select(match?: WatchMatch): ActiveWatch[];
  /** Stops forwarding events (server shutdown). */
  dispose(): void;
}

/**
 * Creates the hub and subscribes it to the store.
 *
 * @param store The store whose events are forwarded.
 * @param resourceIdOf Maps a resource definition to its storage identity.
 */
export function createWatchHub(store: ObjectStore, resourceIdOf: (def: ResourceDefinition) => string): WatchHub {
  const watches = new Set<ActiveWatch>();
  const unsubscribe = store.subscribe((event) => {
    for (const w of [...watches]) {
      if (resourceIdOf(w.resource) === event.resourceId) w.deliver(event);
    }
  });
  return {
    add(watch) {
      watches.add(watch);
      return () => watches.delete(watch);
    },
    select(match = {}) {
      return [...watches].filter(
        (w) =>
          (match.resource === undefined || w.resource.plural === match.resource) &&
          (match.group === undefined || w.resource.group === match.group) &&
          (match.namespace === undefined || w.namespace === match.namespace),
      );
    },
    dispose() {
      unsubscribe();
      watches.clear();
    },
  };
}
