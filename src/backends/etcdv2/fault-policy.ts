/**
 * Fault handling handed to the `etcd3` client in place of its defaults.
 *
 * etcd3's defaults retry every "recoverable" failure three times (including writes that may have
 * been applied, and oversized requests) and open a per-host circuit breaker for 5 s after three
 * failures, which turns one bad request into an outage. Here etcd3 does not retry at all (the
 * backend retries only what is idempotent or guarded by a precondition, see `call.ts`), and a host
 * is skipped for a short while only after it refused connections twice in a row, so calls move to
 * a live member quickly when one dies.
 *
 * These objects implement just the members etcd3 calls (`execute`, and `next`/`duration` for the
 * watch backoff), so the backend does not depend on cockatiel directly.
 *
 * @module
 */

/** Thrown instead of calling a host whose breaker is open; etcd3 then tries the next host. */
export class HostSkippedError extends Error {
  constructor() {
    super('etcd member skipped after repeated connection failures');
    this.name = 'HostSkippedError';
  }
}

/** The part of cockatiel's `IPolicy` etcd3 uses. */
export interface ExecutePolicy {
  execute<T>(fn: (context: { signal: AbortSignal; attempt: number }) => PromiseLike<T> | T): Promise<T>;
}

/** The context every call receives: nothing here ever aborts a call, and there is one attempt. */
const CALL_CONTEXT = Object.freeze({ signal: new AbortController().signal, attempt: 0 });

/**
 * A policy that runs the call once: etcd3 itself never retries. It hands back the call's own
 * promise (no async wrapper), so every etcd call pays no extra promise or microtask for it.
 *
 * @return The policy.
 */
export function passThroughPolicy(): ExecutePolicy {
  return PASS_THROUGH;
}

/** Stateless, so one for all backends. */
const PASS_THROUGH: ExecutePolicy = { execute: callOnce };

/** Runs `fn` once with the fixed call context; a synchronous throw becomes a rejection. */
function callOnce<T>(fn: (context: { signal: AbortSignal; attempt: number }) => PromiseLike<T> | T): Promise<T> {
  try {
    return Promise.resolve(fn(CALL_CONTEXT));
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** True for failures that mean "this member cannot be reached" (grpc UNAVAILABLE). */
function isConnectionFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return e.constructor.name === 'GRPCUnavailableError' || code === 14;
}

/** Options of {@link createHostPolicy}. */
export interface HostPolicyOptions {
  /**
   * Consecutive connection failures that open the breaker.
   * @default 2
   */
  threshold?: number;
  /**
   * How long an open breaker skips the host before letting one call through.
   * @default 1000
   */
  openMs?: number;
}

/**
 * A per-host breaker: after `threshold` consecutive connection failures the host is skipped
 * (without a call) for `openMs`; then one call is let through, and its outcome closes or re-opens it.
 *
 * @param options Threshold and open time.
 * @return The policy.
 */
export function createHostPolicy(options: HostPolicyOptions = {}): ExecutePolicy {
  return new HostPolicy(options.threshold ?? 2, options.openMs ?? 1000);
}

/** The breaker of {@link createHostPolicy}. */
class HostPolicy implements ExecutePolicy {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
  ) {}

  execute<T>(fn: (context: { signal: AbortSignal; attempt: number }) => PromiseLike<T> | T): Promise<T> {
    const probe = this.failures >= this.threshold;
    if (probe) {
      if (this.probing || Date.now() < this.openUntil) return Promise.reject(new HostSkippedError());
      this.probing = true;
    }
    // A probe's own outcome ends the probing.
    return callOnce(fn).then(
      (result) => {
        this.recordSuccess(probe);
        return result;
      },
      (e: unknown) => {
        this.recordFailure(e, probe);
        throw e;
      },
    );
  }

  /** Records an answer: the breaker closes (and a probe, if this was one, is over). */
  recordSuccess(probe: boolean): void {
    this.failures = 0;
    if (probe) this.probing = false;
  }

  /** Records a failure: connection failures count towards opening the breaker. */
  recordFailure(e: unknown, probe: boolean): void {
    if (isConnectionFailure(e)) {
      this.failures++;
      if (this.failures >= this.threshold) this.openUntil = Date.now() + this.openMs;
    } else {
      this.failures = 0;
    }
    if (probe) this.probing = false;
  }
}

/** The part of cockatiel's `IBackoff` etcd3's watch manager uses. */
export interface WatchBackoff {
  readonly duration: number;
  next(): WatchBackoff;
}

/**
 * Reconnect delays for etcd3's shared watch stream: 50 ms doubling to 1 s. etcd3's watch manager
 * is what re-establishes a broken watch stream and re-attaches the backend's watchers (from the
 * resume points the backend sets); these delays pace it.
 *
 * @return A factory-like object whose `next()` yields the first delay.
 */
export function createWatchBackoff(): { next(): WatchBackoff } {
  const at = (duration: number): WatchBackoff => ({ duration, next: () => at(Math.min(duration * 2, 1000)) });
  return { next: () => at(50) };
}
