/**
 * `resumableWatch`: one logical watch over many server streams. When a stream ends or fails
 * transiently it opens the next one from the last event revision, after a backoff.
 *
 * @module
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { asyncScheduler, catchError, defer, EMPTY, filter, map, of, repeat, takeWhile, throwError, timer } from '../rx.js';
import type { BackendEvent, ResourceObject, Revision } from '../backends/backend.js';
import { ExpiredError, isExpired, isParseError, ValidationError, type CalicoError } from '../errors.js';
import { backoffDelay, isTransientError, resolveBackoff, type BackoffOptions } from './retry-policy.js';

/** Options of {@link resumableWatch}. */
export interface ResumableWatchOptions {
  /**
   * Revision to start after. Absent: the first stream is opened without a revision, so the
   * backend first sends the current state as ADDED events.
   * @default undefined
   */
  revision?: Revision;
  /**
   * Delays between streams. The attempt counter starts again after every event.
   * @default { initialDelay: 1000, maxDelay: 30000, factor: 2, jitter: 'full' }
   */
  backoff?: BackoffOptions;
  /**
   * Scheduler of the backoff timers (inject a `TestScheduler` in tests).
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
  /**
   * Decides whether a stream error (or an ERROR event) is worth a retry. Errors judged fatal
   * error the returned Observable.
   * @default isTransientError
   */
  isTransient?: (error: unknown) => boolean;
  /**
   * After this many consecutive transient failures without an event in between, give up
   * resuming: emit an ERROR event carrying an `ExpiredError` (whose `cause` is the last failure)
   * and complete, so the caller relists. Calico's syncer does this after 5.
   * @default Infinity
   */
  maxFailuresPerRevision?: number;
}

/** The revision an event moves the watch to, if any. */
function eventRevision<T extends ResourceObject>(event: BackendEvent<T>): Revision | undefined {
  return event.type === 'ERROR' ? undefined : event.revision;
}

function expiredEvent<T extends ResourceObject>(error: CalicoError): BackendEvent<T> {
  return { type: 'ERROR', error };
}

/**
 * Watches through dropped connections: re-opens the stream after it ends or fails transiently,
 * always from the revision of the last event received (bookmarks included), so no change is
 * missed or repeated.
 *
 * - A normal end (the server closed the stream) and a transient error (by default any
 *   `CalicoError` other than Unauthorized, NotSupported, Validation, SelectorParse) both lead to a
 *   new stream after a backoff: by default a random time up to 1 s, doubling up to 30 s, counted
 *   from the last event.
 * - An ERROR event whose error is transient is handled the same way and not emitted.
 * - An ERROR event carrying a `ParseError` is emitted and the stream continues.
 * - When the revision is gone (an ERROR event with an `ExpiredError`, or opening fails with one)
 *   the ERROR event is emitted and the Observable completes. It never relists: that is the
 *   caller's job (see `syncedCache`).
 * - Fatal errors error the Observable.
 * - Events whose revision equals the revision a stream was opened from are dropped (a watch
 *   delivers changes strictly after its revision).
 *
 * The result is cold: nothing is opened until subscription, and unsubscribing closes the open
 * stream or cancels the pending backoff timer.
 *
 * Caveat: a watch started without a revision receives the initial state as ADDED events that
 * all carry the snapshot revision. If the stream breaks in the middle of that snapshot the rest
 * is not re-sent. Start from a list revision (or use `syncedCache`) when that matters.
 *
 * ## Example
 * ```ts
 * const list = await backend.list({ kind: 'IPPool' });
 * const events$ = resumableWatch((revision) => backend.watch({ kind: 'IPPool', revision }), { revision: list.revision });
 * events$.subscribe((e) => {
 *   if (e.type === 'ERROR' && isExpired(e.error)) console.log('the revision is gone: list again and watch from there');
 * });
 * ```
 *
 * @param open Opens one server stream of events strictly after `fromRevision` (or, when it is
 *   `undefined`, the current state first). Called again for every resumption.
 * @param options See {@link ResumableWatchOptions}.
 * @return The events of every stream, in order.
 * @throws ValidationError (synchronously) when an option is out of range.
 */
export function resumableWatch<T extends ResourceObject = ResourceObject>(
  open: (fromRevision: Revision | undefined) => Observable<BackendEvent<T>>,
  options: ResumableWatchOptions = {},
): Observable<BackendEvent<T>> {
  const backoff = resolveBackoff(options.backoff);
  const scheduler = options.scheduler ?? asyncScheduler;
  const isTransient = options.isTransient ?? isTransientError;
  const maxFailures = options.maxFailuresPerRevision ?? Infinity;
  if (!(maxFailures >= 1)) {
    throw new ValidationError([{ path: 'maxFailuresPerRevision', type: 'invalid', message: 'must be 1 or more' }]);
  }

  return defer(() => {
    let revision = options.revision;
    let attempt = 0;
    let failures = 0;
    let finished = false;

    const handle = (event: BackendEvent<T>, from: Revision | undefined): BackendEvent<T> | undefined => {
      if (event.type === 'ERROR') {
        if (isExpired(event.error)) {
          finished = true;
          return event;
        }
        if (isParseError(event.error)) return event;
        throw event.error;
      }
      if (from !== undefined && event.revision === from) return undefined;
      revision = eventRevision(event) ?? revision;
      attempt = 0;
      failures = 0;
      return event;
    };

    const once$ = defer(() => {
      const from = revision;
      return defer(() => open(from)).pipe(
        map((event) => handle(event, from)),
        filter((event): event is BackendEvent<T> => event !== undefined),
        takeWhile(() => !finished, true),
        catchError((error: unknown) => {
          if (isExpired(error)) {
            finished = true;
            return of(expiredEvent<T>(error));
          }
          if (!isTransient(error)) return throwError(() => error);
          failures += 1;
          if (failures >= maxFailures) {
            finished = true;
            const at = revision === undefined ? 'the start' : `revision ${revision}`;
            return of(expiredEvent<T>(new ExpiredError(`the watch failed ${failures} times in a row at ${at}; relist`, { cause: error })));
          }
          return EMPTY;
        }),
      );
    });

    return once$.pipe(
      repeat({
        delay: () => {
          if (finished) return EMPTY;
          attempt += 1;
          return timer(backoffDelay(attempt, backoff), scheduler);
        },
      }),
    );
  });
}
