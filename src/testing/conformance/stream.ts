/**
 * A pull-style reader over a backend watch, for tests: `next()` waits for the next event, and
 * every wait is bounded so a missing event fails the test instead of hanging it.
 */
import type { Observable, Subscription } from 'rxjs';
import type { BackendEvent, ResourceObject } from '../../backends/backend.js';

/** How long one `next()` waits before failing. A hang guard, not a speed assertion. */
export const EVENT_WAIT_MS = 10_000;

/** A subscribed watch. */
export interface EventTap {
  /** The next event other than BOOKMARK. Rejects when the stream ends or errors first, or after {@link EVENT_WAIT_MS}. */
  next(): Promise<BackendEvent>;
  /** The next `n` non-bookmark events. */
  take(n: number): Promise<BackendEvent[]>;
  /** Resolves `'complete'` or `'error'` when the stream ends (bounded by {@link EVENT_WAIT_MS}). */
  ended(): Promise<'complete' | 'error'>;
  /** The error the stream ended with, if any. */
  readonly error: unknown;
  /** Events received and not yet read. */
  readonly pending: number;
  /** Revisions of the BOOKMARK events received. */
  readonly bookmarkRevisions: readonly string[];
  /** True once the subscriber has been closed (by the stream or by `close`). */
  readonly closed: boolean;
  /** Unsubscribes. */
  close(): void;
}

/**
 * Subscribes to a watch and buffers its events.
 *
 * @param stream The watch.
 * @return The reader.
 */
export function openTap<T extends ResourceObject>(stream: Observable<BackendEvent<T>>): EventTap {
  const buffer: BackendEvent[] = [];
  const waiters: (() => void)[] = [];
  let end: 'complete' | 'error' | undefined;
  let error: unknown;
  const bookmarkRevisions: string[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const subscription: Subscription = stream.subscribe({
    next(e) {
      if (e.type === 'BOOKMARK') bookmarkRevisions.push(e.revision);
      else buffer.push(e as BackendEvent);
      wake();
    },
    error(e: unknown) {
      end = 'error';
      error = e;
      wake();
    },
    complete() {
      end = 'complete';
      wake();
    },
  });

  const waitUntil = async (ready: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + EVENT_WAIT_MS;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${EVENT_WAIT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };

  const next = async (): Promise<BackendEvent> => {
    await waitUntil(() => buffer.length > 0 || end !== undefined, 'watch event');
    const e = buffer.shift();
    if (e) return e;
    throw new Error(`the watch ended (${end ?? 'unknown'}) before the expected event${error instanceof Error ? `: ${error.message}` : ''}`);
  };

  return {
    next,
    async take(n) {
      const out: BackendEvent[] = [];
      for (let i = 0; i < n; i++) out.push(await next());
      return out;
    },
    async ended() {
      await waitUntil(() => end !== undefined, 'end of the watch');
      return end as 'complete' | 'error';
    },
    get pending() {
      return buffer.length;
    },
    get bookmarkRevisions() {
      return bookmarkRevisions;
    },
    get error() {
      return error;
    },
    get closed() {
      return subscription.closed;
    },
    close: () => subscription.unsubscribe(),
  };
}

/** Describes an event in one line for assertion messages: `ADDED name@rev`. */
export function describeEvent(e: BackendEvent): string {
  switch (e.type) {
    case 'ADDED':
    case 'MODIFIED':
      return `${e.type} ${e.object.key.name}`;
    case 'DELETED':
      return `${e.type} ${e.previous.key.name}`;
    case 'BOOKMARK':
      return 'BOOKMARK';
    case 'ERROR':
      return `ERROR ${e.error.code}`;
  }
}
