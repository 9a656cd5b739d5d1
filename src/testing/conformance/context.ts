/**
 * What the conformance cases share: the target under test and a per-test name prefix.
 */
import type { Backend } from '../../backends/backend.js';

/** One backend under test, fresh for each test. */
export interface ConformanceTarget {
  /** The backend. */
  backend: Backend;
  /**
   * Makes every revision before now unavailable (etcd compaction, Kubernetes history expiry), so
   * reads at, watches from and continue tokens pinned to older revisions fail with Expired.
   */
  compact(): Promise<void>;
  /** Releases the target. Must tolerate a backend that the test already closed. */
  cleanup(): Promise<void>;
  /**
   * How many watch streams are open on the datastore side (memory: its registry; etcd: watchers
   * on the server; Kubernetes: open watch connections). When given, the suite proves that
   * unsubscribing releases the server stream; without it, it proves only that no event is
   * delivered after unsubscribing.
   */
  openWatches?(): Promise<number>;
}

/** Access to the current test's target and name prefix. */
export interface SuiteContext {
  /** The current target. */
  target(): ConformanceTarget;
  /** Shorthand for `target().backend`. */
  backend(): Backend;
  /** A name prefix unique to the current test. */
  run(): string;
}

/**
 * Polls `read` until `done` holds, at most `attempts` times `intervalMs` apart. A bound on the
 * wait, not a speed assertion: the caller asserts the final value.
 *
 * @return The last value read.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, attempts = 200, intervalMs = 25): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}

/**
 * Runs `action` and returns what it rejected with; fails when it resolves.
 *
 * @return The rejection reason.
 */
export async function rejectionOf(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (e) {
    return e;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
