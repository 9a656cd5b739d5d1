/**
 * Cheaper per-call deadlines: keeps Node's timer lists for the call deadline in place.
 *
 * Every unary etcd call carries a grpc deadline `callTimeoutMs` ahead (see `config.ts`), for which
 * grpc-js arms one timer, of `deadline - now` milliseconds, when the call starts. Node keeps one
 * timer list per duration. When calls run one at a time, each call's timer is alone in its list,
 * so every call creates the list (and a priority-queue entry) and deletes it again when the call
 * ends and clears its timer. Measured on the sequential etcd bench, that churn cost the deadline
 * about 2 µs of client CPU per call in Node's timer code alone, and 15-20 µs per call in total.
 *
 * An unref'd no-op interval of the same duration keeps each list alive, so a call's timer is only
 * appended and unlinked. grpc-js computes the duration a moment after the deadline is set, so it is
 * `callTimeoutMs` or a millisecond or two less: one interval per duration. They fire once per
 * duration, never keep the process alive, and are cleared when the backend closes. If Node ever
 * changes how it groups timers, this only stops saving work.
 *
 * @module
 */

/** How many milliseconds below `callTimeoutMs` grpc-js's computed timeout may fall. */
const DURATION_SPREAD = 2;

/**
 * Starts the intervals that keep the deadline timer lists alive.
 *
 * @param callTimeoutMs The per-call deadline of the backend.
 * @return A function that clears the intervals (idempotent).
 */
export function keepDeadlineTimersWarm(callTimeoutMs: number): () => void {
  const intervals: ReturnType<typeof setInterval>[] = [];
  for (let ms = callTimeoutMs; ms >= Math.max(1, callTimeoutMs - DURATION_SPREAD); ms--) {
    intervals.push(setInterval(doNothing, ms).unref());
  }
  return () => {
    for (const interval of intervals.splice(0)) clearInterval(interval);
  };
}

function doNothing(): void {}
