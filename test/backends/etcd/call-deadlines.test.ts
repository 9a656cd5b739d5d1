/**
 * The shared per-call deadline of the etcd backend (no server needed): answers pass through,
 * overdue calls fail with a transient, ambiguous error that maps to Unavailable, a late answer of
 * an abandoned call is ignored, calls stay in order, and `close()` stops bounding.
 */
import { describe, expect, it } from 'vitest';
import { CallDeadlineError, createCallDeadlines } from '../../../src/backends/etcdv2/call-deadlines.js';
import { isAmbiguous, isTransient, mapEtcdError } from '../../../src/backends/etcdv2/errors.js';
import { retrying } from '../../../src/backends/etcdv2/call.js';
import { isUnavailable } from '../../../src/errors.js';
import { rejectionOf } from './helpers.js';

/** A call whose answer the test gives (or never gives). */
function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('call deadlines', () => {
  it('passes answers and failures through unchanged', async () => {
    const deadlines = createCallDeadlines(1_000);
    try {
      await expect(deadlines.bound(Promise.resolve(42))).resolves.toBe(42);
      const failure = new Error('refused');
      await expect(deadlines.bound(Promise.reject(failure))).rejects.toBe(failure);
    } finally {
      deadlines.close();
    }
  });

  it('fails a call that does not answer in time, within one tick of the deadline', async () => {
    const deadlines = createCallDeadlines(100);
    try {
      const started = Date.now();
      const e = await rejectionOf(deadlines.bound(deferred<number>().promise));
      const waited = Date.now() - started;
      expect(e).toBeInstanceOf(CallDeadlineError);
      expect((e as Error).message).toBe('etcd did not answer within 100 ms');
      expect(waited).toBeGreaterThanOrEqual(99);
      expect(waited).toBeLessThan(100 + 10 + 200); // one 10 ms tick, plus room for a busy machine
    } finally {
      deadlines.close();
    }
  });

  it('is transient and ambiguous, so reads retry and writes retry under their preconditions', () => {
    const e = new CallDeadlineError(1_000);
    expect(isTransient(e)).toBe(true);
    expect(isAmbiguous(e)).toBe(true);
    const mapped = mapEtcdError(e, { operation: 'Create', identifier: { kind: 'IPPool', name: 'a' }, connection: 'etcd at http://h:1 (plaintext)' });
    expect(isUnavailable(mapped)).toBe(true);
    expect(mapped.message).toContain('etcd did not answer within 1000 ms');
  });

  it('ignores what an abandoned call does later (no unhandled rejection, no second settlement)', async () => {
    const deadlines = createCallDeadlines(50);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const late = deferred<string>();
      const bounded = deadlines.bound(late.promise);
      await expect(bounded).rejects.toBeInstanceOf(CallDeadlineError);
      late.reject(new Error('connection reset, long after the deadline'));
      await sleep(20);
      await expect(bounded).rejects.toBeInstanceOf(CallDeadlineError);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      deadlines.close();
    }
  });

  it('expires calls in the order they started and leaves answered ones alone', async () => {
    const deadlines = createCallDeadlines(60);
    try {
      const outcomes: string[] = [];
      const track = (name: string, p: Promise<unknown>) =>
        p.then(
          () => outcomes.push(`${name} answered`),
          () => outcomes.push(`${name} expired`),
        );
      const first = deferred<void>();
      const second = deferred<void>();
      const tracked = [track('first', deadlines.bound(first.promise))];
      await sleep(30);
      tracked.push(track('second', deadlines.bound(second.promise)));
      second.resolve();
      const third = deferred<void>();
      tracked.push(track('third', deadlines.bound(third.promise)));
      await Promise.all(tracked);
      expect(outcomes).toEqual(['second answered', 'first expired', 'third expired']);
    } finally {
      deadlines.close();
    }
  });

  it('keeps up with many calls and forgets answered ones', async () => {
    const deadlines = createCallDeadlines(1_000);
    try {
      const results = await Promise.all(Array.from({ length: 5_000 }, (_, i) => deadlines.bound(Promise.resolve(i))));
      expect(results[4_999]).toBe(4_999);
      expect(results.reduce((a, b) => a + b, 0)).toBe((4_999 * 5_000) / 2);
    } finally {
      deadlines.close();
    }
  });

  it('hands a failure, the call\'s own or the deadline\'s, to recover() and settles as it does', async () => {
    const deadlines = createCallDeadlines(30);
    try {
      const seen: unknown[] = [];
      const recover = (e: unknown) => {
        seen.push(e);
        return 'recovered';
      };
      await expect(deadlines.bound(Promise.resolve('answer'), recover)).resolves.toBe('answer');
      const refused = new Error('refused');
      await expect(deadlines.bound(Promise.reject(refused), recover)).resolves.toBe('recovered');
      await expect(deadlines.bound(deferred<string>().promise, recover)).resolves.toBe('recovered');
      expect(seen[0]).toBe(refused);
      expect(seen[1]).toBeInstanceOf(CallDeadlineError);
      expect(seen).toHaveLength(2);
      const rethrown = new Error('still failing');
      const throwing = () => {
        throw rethrown;
      };
      await expect(deadlines.bound(Promise.reject(refused), throwing)).rejects.toBe(rethrown);
      await expect(deadlines.bound(Promise.reject(refused), () => Promise.reject(rethrown))).rejects.toBe(rethrown);
    } finally {
      deadlines.close();
    }
    await expect(deadlines.bound(Promise.reject(new Error('after close')), () => 'recovered after close')).resolves.toBe('recovered after close');
  });

  it('recovers an overdue call once, even when the abandoned call fails later', async () => {
    const deadlines = createCallDeadlines(20);
    try {
      const late = deferred<string>();
      let recovered = 0;
      const bounded = deadlines.bound(late.promise, () => `recovered ${++recovered}`);
      await expect(bounded).resolves.toBe('recovered 1');
      late.reject(new Error('late failure'));
      await sleep(30);
      expect(recovered).toBe(1);
    } finally {
      deadlines.close();
    }
  });

  it('stops bounding after close()', async () => {
    const deadlines = createCallDeadlines(20);
    deadlines.close();
    deadlines.close();
    const pending = deferred<string>();
    const bounded = deadlines.bound(pending.promise);
    await sleep(60);
    pending.resolve('late but fine');
    await expect(bounded).resolves.toBe('late but fine');
  });

  it('lets retrying() retry an overdue read until one attempt answers', async () => {
    const deadlines = createCallDeadlines(40);
    try {
      let attempts = 0;
      const value = await retrying({ retryWindowMs: 2_000, connection: 'etcd at http://h:1 (plaintext)', closed: () => false, deadlines }, { operation: 'Get' }, async () => {
        attempts++;
        if (attempts < 3) return deferred<string>().promise; // never answers
        return 'answer';
      });
      expect(value).toBe('answer');
      expect(attempts).toBe(3);
    } finally {
      deadlines.close();
    }
  });
});
