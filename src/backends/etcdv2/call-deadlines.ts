/**
 * Per-call deadlines for unary etcd calls, kept by one shared timer instead of one gRPC timer per
 * call.
 *
 * A gRPC deadline costs every call a timer of its own (created, linked into Node's timer list,
 * unlinked) and a `grpc-timeout` header: measured at about 4-5 µs of client CPU per call with 16
 * calls in flight, a few per cent of a whole call. Here every attempt is instead recorded in a
 * queue with its due time; one unref'd interval, a tenth of the timeout (at most 100 ms) apart,
 * fails attempts that are overdue. Since every attempt gets the same timeout, the queue is in due
 * order and each tick looks only at its head.
 *
 * An overdue attempt is abandoned, not cancelled (etcd3 gives no handle to cancel one unary call):
 * its promise rejects with {@link CallDeadlineError} (transient and ambiguous, like gRPC's
 * DEADLINE_EXCEEDED, so reads are retried and writes retried under their preconditions); whatever
 * the abandoned call does later is ignored. A cancelled gRPC call is no different for etcd: a
 * request that already reached the leader is applied either way.
 *
 * @module
 */

/** A unary etcd call that did not answer within the backend's `callTimeoutMs`. */
export class CallDeadlineError extends Error {
  /** gRPC's DEADLINE_EXCEEDED status code: the error sorts with gRPC's own deadline failures. */
  readonly code = 4;

  /** @param timeoutMs The deadline that passed. */
  constructor(timeoutMs: number) {
    super(`etcd did not answer within ${timeoutMs} ms`);
    this.name = 'CallDeadlineError';
  }
}

/** Bounds unary calls by a deadline; made by {@link createCallDeadlines}. */
export interface CallDeadlines {
  /**
   * Settles like `call`, or rejects with {@link CallDeadlineError} once the timeout has passed
   * first (up to one tick later). With `recover`, a failure (the call's or the deadline's) settles
   * the result as `recover(failure)` does instead, without a further promise layer.
   *
   * @param call The call in flight.
   * @param recover Optional handler of the call's failure.
   * @return The bounded call.
   */
  bound<T>(call: Promise<T>, recover?: (failure: unknown) => T | Promise<T>): Promise<T>;
  /** Stops the timer. Calls bounded afterwards are not bounded any more. Idempotent. */
  close(): void;
}

/**
 * One bounded call in the queue. Once the call settles, `fail` is dropped: an entry stays queued
 * until a tick passes it, and must not keep the call's request and answer alive until then (they
 * would outlive a young-generation GC and be promoted, costing the whole process old-space GC).
 */
interface Pending {
  readonly due: number;
  fail: ((error: Error) => void) | undefined;
}

/** Queue entries at which the settled prefix is dropped. */
const COMPACT_AT = 1024;

/**
 * Starts the shared deadline timer of one backend.
 *
 * @param timeoutMs Deadline of every call, in milliseconds.
 * @return The deadlines; `close()` them with the backend.
 */
export function createCallDeadlines(timeoutMs: number): CallDeadlines {
  let queue: Pending[] = [];
  let head = 0;
  const tickMs = Math.max(1, Math.min(100, Math.floor(timeoutMs / 10)));

  const expire = (): void => {
    const now = Date.now();
    while (head < queue.length) {
      const entry = queue[head] as Pending;
      const fail = entry.fail;
      if (fail !== undefined) {
        if (entry.due > now) break;
        entry.fail = undefined;
        fail(new CallDeadlineError(timeoutMs));
      }
      head++;
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head >= COMPACT_AT) {
      queue = queue.slice(head);
      head = 0;
    }
  };
  let timer: ReturnType<typeof setInterval> | undefined = setInterval(expire, tickMs).unref();

  return {
    bound<T>(call: Promise<T>, recover?: (failure: unknown) => T | Promise<T>): Promise<T> {
      if (timer === undefined) return recover ? call.catch(recover) : call;
      return new Promise<T>((resolve, reject) => {
        const fail = recover
          ? (error: unknown) => {
              try {
                resolve(recover(error));
              } catch (e) {
                reject(e);
              }
            }
          : reject;
        const entry: Pending = { due: Date.now() + timeoutMs, fail };
        queue.push(entry);
        call.then(
          (value) => {
            entry.fail = undefined;
            resolve(value);
          },
          (error: unknown) => {
            // A call that failed after its deadline was handled already: recover only once.
            if (entry.fail === undefined) return;
            entry.fail = undefined;
            fail(error);
          },
        );
      });
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
