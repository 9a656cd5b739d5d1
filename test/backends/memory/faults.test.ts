import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, MEMORY_OPERATIONS, type MemoryBackend, type MemoryOperation } from '../../../src/testing.js';
import { UnavailableError, UnauthorizedError, isUnavailable, type ValidationError } from '../../../src/errors.js';
import type { BackendEvent, KVPair } from '../../../src/backends/backend.js';
import { firstEvents, pool, rejectionOf, settle } from './helpers.js';

/** Calls `op` once on a backend holding pool `a`. */
function call(b: MemoryBackend, op: MemoryOperation, a: KVPair): Promise<unknown> {
  switch (op) {
    case 'create':
      return b.create({ key: { kind: 'IPPool', name: 'b' }, value: pool('b') });
    case 'update':
      return b.update(a);
    case 'updateStatus':
      return b.updateStatus(a);
    case 'delete':
      return b.delete(a.key);
    case 'get':
      return b.get(a.key);
    case 'list':
      return b.list({ kind: 'IPPool' });
    case 'watch':
      return firstValueFrom(b.watch({ kind: 'IPPool' }));
  }
}

describe('memory backend fault injection', () => {
  it.each(MEMORY_OPERATIONS.map((op) => [op]))('failNext(%s) fails exactly the next call, without writing', async (op) => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    const injected = new UnavailableError('injected');
    b.failNext(op, injected);
    expect(await rejectionOf(call(b, op, a))).toBe(injected);
    expect(b.currentRevision()).toBe(a.revision);
    await call(b, op, a);
  });

  it('fails other operations normally while a failure is queued', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    b.failNext('delete', new UnauthorizedError());
    expect((await b.get(a.key)).revision).toBe(a.revision);
    expect((await rejectionOf(b.delete(a.key))) instanceof UnauthorizedError).toBe(true);
  });

  it("when: 'after' commits the write, notifies watches, then rejects", async () => {
    const b = createMemoryBackend();
    const listed = await b.list({ kind: 'IPPool' });
    const events = firstEvents(b.watch({ kind: 'IPPool', revision: listed.revision }), 1);
    b.failNext('create', new UnavailableError('timed out after commit'), { when: 'after' });
    expect(isUnavailable(await rejectionOf(b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') })))).toBe(true);
    expect((await b.get({ kind: 'IPPool', name: 'a' })).revision).toBe('2');
    expect((await events).map((e) => e.type)).toEqual(['ADDED']);
  });

  it('times: n fails n consecutive calls, in queue order', async () => {
    const b = createMemoryBackend();
    const first = new UnavailableError('first');
    const second = new UnauthorizedError('second');
    b.failNext('list', first, { times: 2 });
    b.failNext('list', second);
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => b.list({ kind: 'IPPool' })));
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : 'ok'))).toEqual([first, first, second, 'ok']);
  });

  it('rejects unknown operations and bad counts with validation errors', () => {
    const b = createMemoryBackend();
    const paths = (f: () => void): string[] => {
      try {
        f();
      } catch (e) {
        return (e as ValidationError).errors.map((x) => x.path);
      }
      return [];
    };
    expect(paths(() => b.failNext('apply' as MemoryOperation, new UnavailableError('x')))).toEqual(['operation']);
    expect(paths(() => b.failNext('get', new UnavailableError('x'), { times: 0 }))).toEqual(['times']);
  });

  it('dropWatches completes every open stream and releases it; resuming from the last revision loses nothing', async () => {
    const b = createMemoryBackend();
    const seen: BackendEvent[] = [];
    let completed = 0;
    const sub = b.watch({ kind: 'IPPool' }).subscribe({ next: (e) => seen.push(e), complete: () => completed++ });
    const other = b.watch({ kind: 'Tier' }).subscribe({ complete: () => completed++ });
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    await settle();
    expect(b.openWatchCount()).toBe(2);
    b.dropWatches();
    expect(b.openWatchCount()).toBe(0);
    await settle();
    expect(completed).toBe(2);
    expect(sub.closed && other.closed).toBe(true);
    // Writes while disconnected are replayed on resume.
    const u = await b.update({ ...a, value: pool('a', 2) });
    await b.delete(a.key);
    const last = seen[seen.length - 1];
    const resumed = await firstEvents(b.watch({ kind: 'IPPool', revision: last?.type === 'ADDED' ? last.revision : '' }), 2);
    expect(resumed.map((e) => `${e.type}@${e.type === 'ERROR' ? '' : e.revision}`)).toEqual([`MODIFIED@${u.revision}`, `DELETED@${b.currentRevision()}`]);
  });

  it('after close() every operation rejects Unavailable and new watches error', async () => {
    const b = createMemoryBackend();
    const a = await b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    const open = firstValueFrom(b.watch({ kind: 'IPPool' }).pipe(toArray()));
    await b.close();
    expect((await open).map((e) => e.type)).toEqual(['ADDED']);
    for (const op of MEMORY_OPERATIONS) expect(isUnavailable(await rejectionOf(call(b, op, a)))).toBe(true);
    expect(isUnavailable(await rejectionOf(b.ensureInitialized()))).toBe(true);
    expect(() => b.seed([pool('c')])).toThrow(UnavailableError);
    await b.close();
  });
});
