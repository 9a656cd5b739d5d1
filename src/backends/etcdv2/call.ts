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

/** One try of an operation, told about the tries before it. */
export type Attempt<T> = (info: AttemptInfo) => Promise<T>;

/**
 * Runs `attempt` until it succeeds, fails permanently, or the retry window is used up. Failures
 * are mapped to typed errors (transient ones to Unavailable naming the endpoints).
 *
 * @param timing Retry window and connection description.
 * @param ctx Operation and resource, for error messages.
 * @param attempt One try; receives whether an earlier try may have been applied.
 * @return The attempt's result.
 */
export async function retrying<T>(timing: RetryTiming, ctx: ErrorContext, attempt: Attempt<T>): Promise<T> {
  let failure: unknown;
  try {
    return await timing.deadlines.bound(attempt(FIRST_ATTEMPT));
  } catch (e) {
    failure = e;
  }
  const started = Date.now();
  let ambiguous = false;
  let delay = 25;
  for (let n = 1; ; n++) {
    if (!isTransient(failure) || timing.closed()) throw mapEtcdError(failure, { ...ctx, connection: timing.connection });
    if (isAmbiguous(failure)) ambiguous = true;
    const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
    if (Date.now() - started + wait >= timing.retryWindowMs) throw mapEtcdError(failure, { ...ctx, connection: timing.connection });
    await sleep(wait);
    delay = Math.min(delay * 2, 400);
    try {
      return await timing.deadlines.bound(attempt({ attempt: n, ambiguous }));
    } catch (e) {
      failure = e;
    }
  }
}
