import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import { createMemoryBackend, type MemoryBackend } from '../../src/backends/memory/index.js';
import type { BackendEvent, KVPair } from '../../src/backends/backend.js';
import { UnauthorizedError, UnavailableError } from '../../src/errors.js';
import { resumableWatch } from '../../src/watch/resumable-watch.js';
import { sourceFromBackend } from '../../src/watch/backend-source.js';
import { keyString, syncedCache } from '../../src/watch/synced-cache.js';
import type { SyncItem } from '../../src/watch/sync-types.js';
import type { Pool } from './helpers.js';
import { render } from './scripted-source.js';
import { settle, virtualClock, type VirtualClock } from './virtual-clock.js';

const subs: Subscription[] = [];
afterEach(() => {
  for (const s of subs.splice(0)) s.unsubscribe();
});

const poolObject = (name: string, cidr = '10.0.0.0/16'): Pool => ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: { cidr } });
const keyOf = (name: string): { kind: string; name: string } => ({ kind: 'IPPool', name });

function describeEvent(e: BackendEvent<Pool>): string {
  switch (e.type) {
    case 'ADDED':
    case 'MODIFIED':
      return `${e.type}:${e.object.key.name}@${e.revision}`;
    case 'DELETED':
      return `DELETED:${e.previous.key.name}@${e.revision}`;
    case 'BOOKMARK':
      return `BOOKMARK@${e.revision}`;
    case 'ERROR':
      return `ERROR:${e.error.code}`;
  }
}

/** resumableWatch over the memory backend, fixed 100 ms backoff on a virtual clock. */
function watchPools(backend: MemoryBackend, clock: VirtualClock, revision: string): { events: string[]; done: () => boolean; sub: Subscription } {
  const events: string[] = [];
  let done = false;
  const sub = resumableWatch<Pool>((from) => backend.watch<Pool>({ kind: 'IPPool', revision: from }), {
    revision,
    scheduler: clock.scheduler,
    backoff: { initialDelay: 100, jitter: 'none' },
  }).subscribe({ next: (e) => events.push(describeEvent(e)), complete: () => (done = true) });
  subs.push(sub);
  return { events, done: () => done, sub };
}

describe('resumableWatch on the memory backend', () => {
  it('misses nothing and repeats nothing across dropped streams, and releases the backend watch on unsubscribe', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend();
    const w = watchPools(backend, clock, backend.currentRevision());
    await backend.create({ key: keyOf('a'), value: poolObject('a') }); // 2
    await settle();
    expect(backend.openWatchCount()).toBe(1);
    backend.dropWatches();
    const b = await backend.create({ key: keyOf('b'), value: poolObject('b') }); // 3, while down
    await backend.delete(keyOf('a')); // 4, while down
    await clock.advance(50);
    expect(backend.openWatchCount()).toBe(0);
    await clock.advance(50);
    await backend.update({ ...b, value: poolObject('b', '10.2.0.0/16') }); // 5
    await settle();
    backend.dropWatches();
    await clock.advance(100);
    await backend.create({ key: keyOf('c'), value: poolObject('c') }); // 6
    await settle();
    expect(w.events).toEqual(['ADDED:a@2', 'ADDED:b@3', 'DELETED:a@4', 'MODIFIED:b@5', 'ADDED:c@6']);
    expect(backend.openWatchCount()).toBe(1);
    w.sub.unsubscribe();
    expect(backend.openWatchCount()).toBe(0);
  });

  it('retries a watch the backend refuses to open, then resumes where it was', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend();
    backend.failNext('watch', new UnavailableError('injected'), { times: 2 });
    const w = watchPools(backend, clock, backend.currentRevision());
    await backend.create({ key: keyOf('a'), value: poolObject('a') });
    await clock.advance(100);
    expect(backend.openWatchCount()).toBe(0);
    await clock.advance(200);
    expect(backend.openWatchCount()).toBe(1);
    expect(w.events).toEqual(['ADDED:a@2']);
  });

  it('reports Expired and completes when the revision was compacted while the stream was down', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend();
    const w = watchPools(backend, clock, backend.currentRevision());
    await backend.create({ key: keyOf('a'), value: poolObject('a') });
    await settle();
    backend.dropWatches();
    await backend.create({ key: keyOf('b'), value: poolObject('b') });
    backend.compact();
    await clock.advance(100);
    expect(w.events).toEqual(['ADDED:a@2', 'ERROR:Expired']);
    expect(w.done()).toBe(true);
    await clock.advance(10_000);
    expect(backend.openWatchCount()).toBe(0);
  });

  it('errors with a fatal error the backend raises when opening', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend();
    backend.failNext('watch', new UnauthorizedError());
    const errors: unknown[] = [];
    subs.push(resumableWatch((from) => backend.watch({ kind: 'IPPool', revision: from }), { scheduler: clock.scheduler }).subscribe({ error: (e: unknown) => errors.push(e) }));
    await clock.advance(60_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(UnauthorizedError);
  });
});

describe('syncedCache on the memory backend', () => {
  const options = (clock: VirtualClock): Parameters<typeof syncedCache>[1] => ({ scheduler: clock.scheduler, backoff: { initialDelay: 100, jitter: 'none' } });

  it('after a delete while the watch is down and a compaction, relists with exactly one synthesised deleted, then in-sync', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend({ objects: [poolObject('a'), poolObject('b'), poolObject('c')] });
    const cache = syncedCache<Pool>(sourceFromBackend(backend, { kind: 'IPPool' }), options(clock));
    const items: SyncItem<Pool>[] = [];
    subs.push(cache.events$.subscribe((i) => items.push(i)));
    await clock.advance(0);
    expect(render(items)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(a)@2', 'new:IPPool(b)@3', 'new:IPPool(c)@4', 'status:in-sync']);
    items.length = 0;
    backend.dropWatches();
    await backend.delete(keyOf('b')); // revision 5, unseen by any watch
    backend.compact();
    await clock.advance(1000);
    expect(render(items)).toEqual(['status:resync', 'deleted:IPPool(b)@5', 'status:in-sync']);
    expect([...cache.current().keys()]).toEqual(['IPPool(a)', 'IPPool(c)']);
    expect(backend.openWatchCount()).toBe(1);
    subs.pop()?.unsubscribe();
    expect(backend.openWatchCount()).toBe(0);
  });

  it('resumes a dropped watch without relisting and with no duplicate updates', async () => {
    const clock = virtualClock();
    const backend = createMemoryBackend({ objects: [poolObject('a')] });
    const source = sourceFromBackend<Pool>(backend, { kind: 'IPPool', pageSize: 1 });
    let lists = 0;
    const counted = { ...source, list: () => (lists++, source.list()) };
    const cache = syncedCache<Pool>(counted, options(clock));
    const items: SyncItem<Pool>[] = [];
    subs.push(cache.events$.subscribe((i) => items.push(i)));
    await clock.advance(0);
    items.length = 0;
    backend.dropWatches();
    await backend.create({ key: keyOf('b'), value: poolObject('b') });
    await clock.advance(100);
    await backend.create({ key: keyOf('c'), value: poolObject('c') });
    await settle();
    expect(render(items)).toEqual(['new:IPPool(b)@3', 'new:IPPool(c)@4']);
    expect(lists).toBe(1);
  });

  it('applying the updates in order reproduces the store, whatever the writes, drops and compactions (property)', async () => {
    type Write = { op: 'put'; name: string; cidr: number } | { op: 'delete'; name: string };
    type Op = Write | { op: 'outage'; writes: Write[]; compact: boolean } | { op: 'drop' } | { op: 'compact' } | { op: 'tick'; ms: number };
    const name = fc.constantFrom('a', 'b', 'c', 'd');
    const write: fc.Arbitrary<Write> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('put' as const), name, cidr: fc.integer({ min: 0, max: 255 }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), name }) },
    );
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: write },
      // The watch goes down, writes happen unseen, maybe a compaction, then time passes (resume or relist).
      { weight: 2, arbitrary: fc.record({ op: fc.constant('outage' as const), writes: fc.array(write, { maxLength: 5 }), compact: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
      { weight: 1, arbitrary: fc.constant({ op: 'compact' as const }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 1500 }) }) },
    );

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 20 }), async (ops, historyWindow) => {
        const clock = virtualClock();
        const backend = createMemoryBackend({ historyWindow, objects: [poolObject('a')] });
        const cache = syncedCache<Pool>(sourceFromBackend(backend, { kind: 'IPPool' }), options(clock));
        const applied = new Map<string, KVPair<Pool>>();
        const violations: string[] = [];
        const sub = cache.updates$.subscribe((batch) => {
          for (const u of batch) {
            const k = keyString(u.key);
            const had = applied.get(k);
            if (u.type === 'new' && had) violations.push(`new for cached ${k}`);
            if (u.type === 'updated' && (!had || had.revision === u.revision)) violations.push(`updated ${k} without a new revision`);
            if (u.type === 'deleted' && !had) violations.push(`deleted for uncached ${k}`);
            if (u.type === 'deleted') applied.delete(k);
            else applied.set(k, { key: u.key, value: u.value, revision: u.revision });
          }
        });
        const apply = async (w: Write): Promise<void> => {
          if (w.op === 'delete') {
            await backend.delete(keyOf(w.name)).catch(() => undefined);
            return;
          }
          const value = poolObject(w.name, `10.${w.cidr}.0.0/16`);
          const current = await backend.get<Pool>(keyOf(w.name)).catch(() => undefined);
          if (current) await backend.update({ ...current, value });
          else await backend.create({ key: keyOf(w.name), value });
        };
        try {
          await clock.advance(0);
          for (const o of ops) {
            if (o.op === 'put' || o.op === 'delete') await apply(o);
            else if (o.op === 'outage') {
              backend.dropWatches();
              for (const w of o.writes) await apply(w);
              if (o.compact) backend.compact();
              await clock.advance(600);
            } else if (o.op === 'drop') backend.dropWatches();
            else if (o.op === 'compact') backend.compact();
            else await clock.advance(o.ms);
          }
          const marker = await backend.create({ key: keyOf('zz-marker'), value: poolObject('zz-marker') });
          for (let i = 0; i < 100 && cache.get(marker.key)?.revision !== marker.revision; i++) await clock.advance(1000);
          const store = await backend.list<Pool>({ kind: 'IPPool' });
          const expected = store.items.map((kv) => `${kv.key.name}@${kv.revision}:${kv.value.spec.cidr}`);
          const fromUpdates = [...applied.values()].map((kv) => `${kv.key.name}@${kv.revision}:${kv.value.spec.cidr}`).sort();
          const fromCache = [...cache.current().values()].map((kv) => `${kv.key.name}@${kv.revision}:${kv.value.spec.cidr}`).sort();
          expect(violations).toEqual([]);
          expect(fromUpdates).toEqual(expected);
          expect(fromCache).toEqual(expected);
          expect(cache.status()).toBe('in-sync');
        } finally {
          sub.unsubscribe();
        }
        expect(backend.openWatchCount()).toBe(0);
        expect(clock.pending()).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('sourceFromBackend pages the list and falls back to one unpaged list when a continue token expires', async () => {
    const backend = createMemoryBackend({ objects: ['a', 'b', 'c', 'd', 'e'].map((n) => poolObject(n)) });
    const source = sourceFromBackend<Pool>(backend, { kind: 'IPPool', pageSize: 2 });
    const first = await source.list();
    expect(first.items.map((kv) => kv.key.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(first.revision).toBe(backend.currentRevision());
    // A write and a compaction between pages: the continue token's revision is gone.
    const realList = backend.list.bind(backend);
    let calls = 0;
    backend.list = async (req) => {
      calls += 1;
      if (calls === 2) {
        await backend.create({ key: keyOf('f'), value: poolObject('f') });
        backend.compact();
      }
      return realList(req);
    };
    const second = await source.list();
    expect(second.items.map((kv) => kv.key.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(calls).toBe(3);
    expect(() => sourceFromBackend(backend, { kind: 'IPPool', pageSize: 0 })).toThrow(/pageSize/);
  });
});
