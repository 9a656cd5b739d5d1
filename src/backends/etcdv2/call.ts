/**
 * Retrying etcd calls safely.
 *
 * Every attempt is bounded by the backend's per-call deadline (`call-deadlines.ts`). A transient failure
 * (unreachable member, deadline, leader loss) is retried after a short backoff, on whichever member
 * etcd3 picks next, until the retry window is used up. Only operations that are idempotent (reads)
 * or guarded by a precondition (every write here is a compare-and-swap transaction) go through
 * this loop; the caller learns whether an earlier attempt *may* have been applied (`ambiguous`), so
 * it can tell "my own earlier attempt won" from a genuine conflict.
 *
 * @module
 */
import type { CallDeadlines } from './call-deadlines.js';
import { isTransient, isAmbiguous, mapEtcdError, type ErrorContext } from './errors.js';

/** Timing of {@link retrying}. */
export interface RetryTiming {
  /** Total time an operation may spend retrying. */
  readonly retryWindowMs: number;
  /** Connection description for error messages. */
  readonly connection: string;
  /** Set when the backend is closing: stop retrying at once. */
  readonly closed: () => boolean;
  /** The per-call deadline every attempt is bounded by. */
  readonly deadlines: CallDeadlines;
}

/** What an attempt is told about the attempts before it. */
export interface AttemptInfo {
  /** Zero-based attempt number. */
  readonly attempt: number;
  /** True when an earlier attempt failed in a way that may have applied the write. */
  readonly ambiguous: boolean;
}

const FIRST_ATTEMPT: AttemptInfo = Object.freeze({ attempt: 0, ambiguous: false });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One try of an operation: told about earlier tries, and given the operation's state. */
export type Attempt<T, S> = (info: AttemptInfo, state: S) => Promise<T>;

/**
 * Runs `attempt` until it succeeds, fails permanently, or the retry window is used up. Failures
 * are mapped to typed errors (transient ones to Unavailable naming the endpoints).
 *
 * A hot path passes a module-level `attempt` and its per-call `state`, rather than a closure made
 * per call. This holds for everything an etcd call runs: V8 keeps a function's optimised code only
 * while some closure of it is alive, so code of per-call closures is dropped by a GC that finds no
 * call in flight (and per-backend closures die with their backend), then compiled again on a
 * background thread that competes with etcd for the cores.
 *
 * @param timing Retry window and connection description.
 * @param ctx Operation and resource, for error messages.
 * @param attempt One try; receives whether an earlier try may have been applied, and `state`.
 * @param state Passed to every try.
 * @return The attempt's result.
 */
export function retrying<T, S = undefined>(timing: RetryTiming, ctx: ErrorContext, attempt: Attempt<T, S>, state?: S): Promise<T> {
  // The first attempt runs without the retry loop's bookkeeping: it is the common case.
  let first: Promise<T>;
  try {
    first = attempt(FIRST_ATTEMPT, state as S);
  } catch (e) {
    return retryAfter(e, timing, ctx, attempt, state as S);
  }
  return timing.deadlines.bound(first, (e) => retryAfter(e, timing, ctx, attempt, state as S));
}

async function retryAfter<T, S>(first: unknown, timing: RetryTiming, ctx: ErrorContext, attempt: Attempt<T, S>, state: S): Promise<T> {
  const started = Date.now();
  let ambiguous = false;
  let delay = 25;
  let failure = first;
  for (let n = 1; ; n++) {
    if (!isTransient(failure) || timing.closed()) throw mapEtcdError(failure, { ...ctx, connection: timing.connection });
    if (isAmbiguous(failure)) ambiguous = true;
    const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
    if (Date.now() - started + wait >= timing.retryWindowMs) throw mapEtcdError(failure, { ...ctx, connection: timing.connection });
    await sleep(wait);
    delay = Math.min(delay * 2, 400);
    try {
      return await timing.deadlines.bound(attempt({ attempt: n, ambiguous }, state));
    } catch (e) {
      failure = e;
    }
  }
}
