import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../../../src/testing.js';
import type { BackendEvent, KVPair } from '../../../src/backends/backend.js';
import { firstEvents, policy, pool, settle } from './helpers.js';

/** Every event a watch replays right away (the memory backend queues a replay in one microtask). */
async function replayed(b: MemoryBackend, request: Parameters<MemoryBackend['watch']>[0]): Promise<BackendEvent[]> {
  const out: BackendEvent[] = [];
  const sub = b.watch(request).subscribe((e) => out.push(e));
  await settle();
  sub.unsubscribe();
  return out;
}

describe('memory backend watch', () => {
  it('is cold: nothing is registered until subscribe, and unsubscribe unregisters', async () => {
    const b = createMemoryBackend();
    const stream = b.watch({ kind: 'IPPool' });
    expect(b.openWatchCount()).toBe(0);
    const sub = stream.subscribe();
    expect(b.openWatchCount()).toBe(1);
    sub.unsubscribe();
    expect(b.openWatchCount()).toBe(0);
  });

  it('gives the initial ADDED events the snapshot revision, so resuming from the last one misses nothing', async () => {
    const b = createMemoryBackend({ objects: [pool('a'), pool('b')] });
    const others = b.seed([policy('x', 'p')]);
    const initial = await firstEvents(b.watch({ kind: 'IPPool' }), 2);
    expect(initial.map((e) => (e.type === 'ADDED' ? [e.object.key.name, e.object.revision, e.revision] : []))).toEqual([
      ['a', '2', others[0]?.revision],
      ['b', '3', others[0]?.revision],
    ]);
  });

  it('delivers after the write returns, in revision order, even when a subscriber writes from its handler', async () => {
    const b = createMemoryBackend();
    const seen: string[] = [];
    const sub = b.watch({ kind: 'IPPool', revision: '1' }).subscribe((e) => {
      if (e.type === 'ADDED') {
        seen.push(`ADDED ${e.object.key.name}@${e.revision}`);
        if (e.object.key.name === 'a') void b.create({ key: { kind: 'IPPool', name: 'c' }, value: pool('c') });
      }
    });
    const a = b.create({ key: { kind: 'IPPool', name: 'a' }, value: pool('a') });
    const bb = b.create({ key: { kind: 'IPPool', name: 'b' }, value: pool('b') });
    expect(seen).toEqual([]);
    await Promise.all([a, bb]);
    await settle();
    expect(seen).toEqual(['ADDED a@2', 'ADDED b@3', 'ADDED c@4']);
    sub.unsubscribe();
  });

  it('filters by namespace and exact name', async () => {
    const b = createMemoryBackend();
    b.seed([policy('x', 'p'), policy('y', 'p'), policy('x', 'pp'), policy('x', 'q')]);
    const byNs = await replayed(b, { kind: 'NetworkPolicy', namespace: 'x', revision: '1' });
    expect(byNs.map((e) => (e.type === 'ADDED' ? `${e.object.key.namespace}/${e.object.key.name}` : e.type))).toEqual(['x/p', 'x/pp', 'x/q']);
    const byName = await replayed(b, { kind: 'NetworkPolicy', name: 'p', revision: '1' });
    expect(byName.map((e) => (e.type === 'ADDED' ? `${e.object.key.namespace}/${e.object.key.name}` : e.type))).toEqual(['x/p', 'y/p']);
    const byPrefix = await replayed(b, { kind: 'NetworkPolicy', namespace: 'x', name: 'p', namePrefix: true, revision: '1' });
    expect(byPrefix).toHaveLength(2);
  });

  it('reports an object leaving a selector as DELETED with its last matching state', async () => {
    const b = createMemoryBackend();
    const [a] = b.seed([pool('a', 1, { env: 'prod' })]);
    const u = await b.update({ ...(a as KVPair), value: pool('a', 2, { env: 'prod' }) });
    await b.update({ ...u, value: pool('a', 3, { env: 'dev' }) });
    const events = await replayed(b, { kind: 'IPPool', labelSelector: 'env=prod', revision: u.revision });
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e?.type === 'DELETED' && [e.previous.revision, e.previous.value.spec, e.revision]).toEqual([u.revision, { cidr: '10.2.0.0/16' }, '4']);
  });

  it('emits no bookmarks even when asked', async () => {
    const b = createMemoryBackend({ objects: [pool('a')] });
    const events = await replayed(b, { kind: 'IPPool', revision: '1', allowBookmarks: true });
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  const op = fc.record({
    kind: fc.constantFrom('create', 'update', 'delete'),
    name: fc.constantFrom('n0', 'n1', 'n2', 'n3'),
    env: fc.constantFrom('a', 'b', undefined),
  });

  it('property: list at any revision in the window + the replayed watch from it = the current list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.nat(), fc.constantFrom('', 'env=a', 'env!=a', '!env', 'env in (a,b)'), async (ops, pick, labelSelector) => {
        const b = createMemoryBackend({ historyWindow: 25 });
        for (const o of ops) {
          const key = { kind: 'IPPool', name: o.name };
          const current = await b.get(key).catch(() => undefined);
          const value = pool(o.name, 1, o.env ? { env: o.env } : undefined);
          if (o.kind === 'create' && !current) await b.create({ key, value });
          if (o.kind === 'update' && current) await b.update({ ...current, value });
          if (o.kind === 'delete' && current) await b.delete(key);
        }
        const now = Number(b.currentRevision());
        const oldest = Math.max(1, now - 25);
        const from = String(oldest + (pick % (now - oldest + 1)));
        const listed = await b.list({ kind: 'IPPool', labelSelector, revision: from });
        expect(listed.revision).toBe(from);
        const state = new Map(listed.items.map((i) => [i.key.name, i.revision]));
        const events = await replayed(b, { kind: 'IPPool', labelSelector, revision: from });
        let last = Number(from);
        for (const e of events) {
          if (e.type === 'BOOKMARK' || e.type === 'ERROR') throw new Error(`unexpected ${e.type}`);
          expect(Number(e.revision)).toBeGreaterThan(last);
          last = Number(e.revision);
          if (e.type === 'DELETED') {
            expect(state.has(e.previous.key.name)).toBe(true);
            state.delete(e.previous.key.name);
          } else {
            expect(state.has(e.object.key.name)).toBe(e.type === 'MODIFIED');
            if (e.type === 'MODIFIED') expect(e.previous?.revision).toBe(state.get(e.object.key.name));
            state.set(e.object.key.name, e.object.revision);
          }
        }
        const current = await b.list({ kind: 'IPPool', labelSelector });
        expect([...state.entries()].sort()).toEqual(current.items.map((i) => [i.key.name, i.revision]));
      }),
      { numRuns: 150 },
    );
  });
});
