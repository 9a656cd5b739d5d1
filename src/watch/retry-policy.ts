/**
 * Retry policy of the watch layer: exponential backoff with full jitter, and which errors are
 * worth retrying.
 *
 * @module
 */
import { isCalicoError, isExpired, ValidationError, type CalicoErrorCode } from '../errors.js';

/** Exponential backoff settings. The delay before attempt `n` (1-based) is `min(maxDelay, initialDelay × factor^(n-1))`, jittered. */
export interface BackoffOptions {
  /**
   * Delay before the first retry, in milliseconds.
   * @default 1000
   */
  initialDelay?: number;
  /**
   * Upper bound of any delay, in milliseconds.
   * @default 30000
   */
  maxDelay?: number;
  /**
   * Growth per attempt.
   * @default 2
   */
  factor?: number;
  /**
   * `full`: wait a uniformly random time between 0 and the computed delay (AWS "full jitter"),
   * so that many clients cut off together do not reconnect together. `none`: wait exactly the
   * computed delay.
   * @default 'full'
   */
  jitter?: 'full' | 'none';
  /**
   * Source of randomness in `[0, 1)` for the jitter.
   * @default Math.random
   */
  random?: () => number;
}

/** {@link BackoffOptions} with every member filled in. */
export type ResolvedBackoff = Required<BackoffOptions>;

/** The library defaults: 1 s doubling to 30 s, full jitter. */
export const DEFAULT_BACKOFF: Readonly<ResolvedBackoff> = Object.freeze({
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  jitter: 'full',
  random: Math.random,
});

function nonNegative(value: number, path: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ValidationError([{ path, type: 'invalid', message: 'must be a finite number of milliseconds, zero or more' }]);
  }
  return value;
}

/**
 * Fills in and checks backoff options.
 *
 * @param options The caller's options.
 * @param path Field path used in error messages, for example `backoff`.
 * @return The complete settings.
 * @throws ValidationError naming the offending member.
 */
export function resolveBackoff(options: BackoffOptions | undefined, path = 'backoff'): ResolvedBackoff {
  const o = { ...DEFAULT_BACKOFF, ...stripUndefined(options ?? {}) };
  nonNegative(o.initialDelay, `${path}.initialDelay`);
  nonNegative(o.maxDelay, `${path}.maxDelay`);
  if (!Number.isFinite(o.factor) || o.factor < 1) {
    throw new ValidationError([{ path: `${path}.factor`, type: 'invalid', message: 'must be a finite number, 1 or more' }]);
  }
  if (o.jitter !== 'full' && o.jitter !== 'none') {
    throw new ValidationError([{ path: `${path}.jitter`, type: 'notSupported', message: "must be 'full' or 'none'" }]);
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The delay before retry number `attempt`.
 *
 * ## Example
 * ```ts
 * backoffDelay(3, { ...DEFAULT_BACKOFF, jitter: 'none' }); // 4000
 * ```
 *
 * @param attempt 1 for the first retry after a success (or after the start), 2 for the next, …
 * @param backoff Resolved settings.
 * @return Milliseconds to wait, an integer in `[0, cap]` where cap is `min(maxDelay, initialDelay × factor^(attempt-1))`.
 */
export function backoffDelay(attempt: number, backoff: ResolvedBackoff): number {
  const exponent = Math.max(0, attempt - 1);
  const cap = Math.min(backoff.maxDelay, backoff.initialDelay * backoff.factor ** exponent);
  if (backoff.jitter === 'none') return Math.round(cap);
  const r = Math.min(Math.max(backoff.random(), 0), 1);
  return Math.floor(r * cap);
}

/** Codes that no amount of retrying fixes: they describe the request or the credentials, not the connection. */
const FATAL_CODES: ReadonlySet<CalicoErrorCode> = new Set<CalicoErrorCode>(['Unauthorized', 'NotSupported', 'Validation', 'SelectorParse']);

/**
 * The default judgement of whether an error is worth retrying after a delay.
 *
 * Transient: every {@link CalicoError} except `Unauthorized`, `NotSupported`, `Validation`,
 * `SelectorParse` and `Expired` (which needs a relist, not a retry). Errors that are not
 * `CalicoError`s are programming errors and are not retried, so they surface.
 *
 * @param error The error.
 * @return True when a retry may succeed.
 */
export function isTransientError(error: unknown): boolean {
  return isCalicoError(error) && !FATAL_CODES.has(error.code) && !isExpired(error);
}
