/**
 * Conformance cases for watch (backends.md §1.5, §4.3, §7): replay after a list revision, the
 * initial ADDED state, previous values, selectors, compaction, teardown.
 */
import { expect, it } from './test-api.js';
import type { BackendEvent, KVPair, ResourceObject } from '../../backends/backend.js';
import { isExpired, isValidationError } from '../../errors.js';
import { pollUntil, type SuiteContext } from './context.js';
import { gnp, keyOf } from './fixtures.js';
import { describeEvent, openTap } from './stream.js';

type Spec = Record<string, unknown>;

function withOrder(kv: KVPair, order: number, labels?: Record<string, string>): ResourceObject {
  const metadata = labels ? { ...kv.value.metadata, labels } : kv.value.metadata;
  return { ...kv.value, metadata, spec: { ...(kv.value.spec as Spec), order } };
}

const orderOf = (kv: KVPair | undefined): unknown => (kv?.value.spec as Spec | undefined)?.order;

/** Registers the watch cases in the current describe block. */
export function registerWatchCases(ctx: SuiteContext): void {
  const filter = () => ({ kind: 'GlobalNetworkPolicy', name: ctx.run(), namePrefix: true });

  /** Writes a marker object and checks it is the next event: proves nothing else was pending. */
  async function expectOnlyMarkerNext(events: ReturnType<typeof openTap>, labels?: Record<string, string>): Promise<void> {
    const marker = gnp(`${ctx.run()}-zz-marker`, 999, labels);
    const created = await ctx.backend().create({ key: keyOf(marker), value: marker });
    const e = await events.next();
    expect(describeEvent(e)).toBe(`ADDED ${marker.metadata.name}`);
    expect(e.type === 'ADDED' && e.revision).toBe(created.revision);
  }

  it('a watch from a list revision yields exactly the later changes, in order, at the revisions of the writes', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10);
    const aKv = await b.create({ key: keyOf(a), value: a });
    const listed = await b.list(filter());
    const events = openTap(b.watch({ ...filter(), revision: listed.revision }));
    try {
      const c = gnp(`${ctx.run()}-c`, 30);
      const cKv = await b.create({ key: keyOf(c), value: c });
      const aNew = await b.update({ ...aKv, value: withOrder(aKv, 11) });
      const cGone = await b.delete(keyOf(c));
      const got = await events.take(3);
      expect(got.map(describeEvent)).toEqual([`ADDED ${c.metadata.name}`, `MODIFIED ${a.metadata.name}`, `DELETED ${c.metadata.name}`]);
      const [added, modified, deleted] = got as [BackendEvent, BackendEvent, BackendEvent];
      expect(added.type === 'ADDED' && added.revision).toBe(cKv.revision);
      expect(added.type === 'ADDED' && added.object.revision).toBe(cKv.revision);
      expect(modified.type === 'MODIFIED' && modified.revision).toBe(aNew.revision);
      expect(modified.type === 'MODIFIED' && orderOf(modified.object)).toBe(11);
      expect(modified.type === 'MODIFIED' && modified.object.value.metadata.resourceVersion).toBe(aNew.revision);
      expect(deleted.type === 'DELETED' && deleted.previous.revision).toBe(cGone.revision);
      expect(deleted.type === 'DELETED' && deleted.revision).not.toBe(cGone.revision);
      await expectOnlyMarkerNext(events);
    } finally {
      events.close();
    }
  });

  it('applying the events after a list reproduces the store', async () => {
    const b = ctx.backend();
    const run = ctx.run();
    const state = new Map<string, KVPair>();
    for (const i of [0, 1]) {
      const o = gnp(`${run}-${i}`, i);
      await b.create({ key: keyOf(o), value: o });
    }
    const listed = await b.list(filter());
    for (const item of listed.items) state.set(item.key.name, item);
    const events = openTap(b.watch({ ...filter(), revision: listed.revision }));
    try {
      const live = new Map(state);
      // create, update, delete and re-create over four names; each op is one event.
      const ops: [string, number][] = [['c', 2], ['u', 0], ['d', 1], ['c', 3], ['u', 2], ['u', 2], ['d', 0], ['c', 1], ['c', 0], ['d', 3], ['u', 1]];
      for (const [op, i] of ops) {
        const name = `${run}-${i}`;
        const current = live.get(name);
        if (op === 'c') {
          const o = gnp(name, 100 + i);
          live.set(name, await b.create({ key: keyOf(o), value: o }));
        } else if (op === 'u' && current) {
          live.set(name, await b.update({ ...current, value: withOrder(current, orderOf(current) as number + 1) }));
        } else if (op === 'd' && current) {
          await b.delete(current.key);
          live.delete(name);
        }
      }
      for (const e of await events.take(ops.length)) {
        if (e.type === 'ADDED' || e.type === 'MODIFIED') state.set(e.object.key.name, e.object);
        else if (e.type === 'DELETED') state.delete(e.previous.key.name);
        else throw new Error(`unexpected ${describeEvent(e)}`);
      }
      const now = await b.list(filter());
      const summary = (items: Iterable<KVPair>) => [...items].map((i) => [i.key.name, i.revision, orderOf(i)]).sort();
      expect(summary(state.values())).toEqual(summary(now.items));
      expect(summary(live.values())).toEqual(summary(now.items));
    } finally {
      events.close();
    }
  });

  it('a watch without a revision starts with the current state as ADDED, then follows changes', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10);
    const c = gnp(`${ctx.run()}-c`, 30);
    const aKv = await b.create({ key: keyOf(a), value: a });
    const cKv = await b.create({ key: keyOf(c), value: c });
    const events = openTap(b.watch(filter()));
    try {
      const initial = await events.take(2);
      expect(initial.map(describeEvent).sort()).toEqual([`ADDED ${a.metadata.name}`, `ADDED ${c.metadata.name}`]);
      const revisions = initial.map((e) => (e.type === 'ADDED' ? e.object.revision : '')).sort();
      expect(revisions).toEqual([aKv.revision, cKv.revision].sort());
      const aNew = await b.update({ ...aKv, value: withOrder(aKv, 12) });
      const next = await events.next();
      expect(describeEvent(next)).toBe(`MODIFIED ${a.metadata.name}`);
      expect(next.type === 'MODIFIED' && next.revision).toBe(aNew.revision);
    } finally {
      events.close();
    }
  });

  it('MODIFIED carries the prior state exactly when capabilities.previousOnModified says so', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10);
    const aKv = await b.create({ key: keyOf(a), value: a });
    const events = openTap(b.watch({ ...filter(), revision: aKv.revision }));
    try {
      await b.update({ ...aKv, value: withOrder(aKv, 15) });
      const e = await events.next();
      expect(e.type).toBe('MODIFIED');
      if (e.type !== 'MODIFIED') return;
      if (b.capabilities.previousOnModified) {
        expect(e.previous?.revision).toBe(aKv.revision);
        expect(orderOf(e.previous)).toBe(10);
      } else {
        expect(e.previous).toBeUndefined();
      }
    } finally {
      events.close();
    }
  });

  it('DELETED carries the last state as previous and its own revision', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10);
    const aKv = await b.create({ key: keyOf(a), value: a });
    const aNew = await b.update({ ...aKv, value: withOrder(aKv, 16) });
    const events = openTap(b.watch({ ...filter(), revision: aNew.revision }));
    try {
      await b.delete(keyOf(a));
      const e = await events.next();
      expect(e.type).toBe('DELETED');
      if (e.type !== 'DELETED') return;
      expect(e.previous.key).toEqual(keyOf(a));
      expect(orderOf(e.previous)).toBe(16);
      expect(e.revision).toMatch(/\S/);
      expect(e.revision).not.toBe(aNew.revision);
      // Resuming after the delete sees nothing more of it.
      const resumed = openTap(b.watch({ ...filter(), revision: e.revision }));
      try {
        await expectOnlyMarkerNext(resumed);
      } finally {
        resumed.close();
      }
    } finally {
      events.close();
    }
  });

  it('a label-selector watch sees objects enter as ADDED and leave as DELETED', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10, { env: 'dev' });
    const aKv = await b.create({ key: keyOf(a), value: a });
    const selected = { ...filter(), labelSelector: 'env=prod' };
    const listed = await b.list(selected);
    expect(listed.items).toEqual([]);
    const events = openTap(b.watch({ ...selected, revision: listed.revision }));
    try {
      const in1 = await b.update({ ...aKv, value: withOrder(aKv, 10, { env: 'prod' }) });
      const in2 = await b.update({ ...in1, value: withOrder(in1, 11, { env: 'prod' }) });
      const out = await b.update({ ...in2, value: withOrder(in2, 11, { env: 'dev' }) });
      const got = await events.take(3);
      expect(got.map(describeEvent)).toEqual([`ADDED ${a.metadata.name}`, `MODIFIED ${a.metadata.name}`, `DELETED ${a.metadata.name}`]);
      expect(got.map((e) => (e.type === 'ERROR' ? '' : e.revision))).toEqual([in1.revision, in2.revision, out.revision]);
      await b.update({ ...out, value: withOrder(out, 12, { env: 'test' }) });
      await expectOnlyMarkerNext(events, { env: 'prod' });
    } finally {
      events.close();
    }
  });

  it('a watch from a compacted revision reports one ERROR Expired and ends', async () => {
    const b = ctx.backend();
    const a = gnp(`${ctx.run()}-a`, 10);
    const aKv = await b.create({ key: keyOf(a), value: a });
    await b.update({ ...aKv, value: withOrder(aKv, 11) });
    await ctx.target().compact();
    const events = openTap(b.watch({ ...filter(), revision: aKv.revision }));
    try {
      const e = await events.next();
      expect(e.type).toBe('ERROR');
      expect(e.type === 'ERROR' && isExpired(e.error)).toBe(true);
      expect(await events.ended()).toBe('complete');
      expect(events.pending).toBe(0);
    } finally {
      events.close();
    }
  });

  it('unsubscribing closes the stream: no further events, and the backend side is released', async () => {
    const b = ctx.backend();
    const target = ctx.target();
    const baseline = target.openWatches ? await target.openWatches() : 0;
    const events = openTap(b.watch(filter()));
    const a = gnp(`${ctx.run()}-a`, 10);
    const aKv = await b.create({ key: keyOf(a), value: a });
    expect(describeEvent(await events.next())).toBe(`ADDED ${a.metadata.name}`);
    if (target.openWatches) expect(await target.openWatches()).toBe(baseline + 1);
    events.close();
    expect(events.closed).toBe(true);
    if (target.openWatches) expect(await pollUntil(() => target.openWatches?.() ?? Promise.resolve(0), (n) => n === baseline)).toBe(baseline);
    // A second watch proves later writes are delivered to live subscribers, and not to the closed one.
    const witness = openTap(b.watch({ ...filter(), revision: aKv.revision }));
    try {
      await b.update({ ...aKv, value: withOrder(aKv, 11) });
      expect(describeEvent(await witness.next())).toBe(`MODIFIED ${a.metadata.name}`);
      expect(events.pending).toBe(0);
    } finally {
      witness.close();
    }
  });

  it('a watch that cannot be opened errors instead of emitting events', async () => {
    const events = openTap(ctx.backend().watch({ ...filter(), labelSelector: 'env in prod' }));
    expect(await events.ended()).toBe('error');
    expect(isValidationError(events.error)).toBe(true);
    expect(events.pending).toBe(0);
  });

  it('bookmarks appear only where capabilities.bookmarks says so, and never disturb the changes', async () => {
    const b = ctx.backend();
    const listed = await b.list(filter());
    const events = openTap(b.watch({ ...filter(), revision: listed.revision, allowBookmarks: true }));
    try {
      const created: string[] = [];
      for (const i of [0, 1, 2]) {
        const o = gnp(`${ctx.run()}-${i}`, i);
        created.push((await b.create({ key: keyOf(o), value: o })).revision);
      }
      const got = await events.take(3);
      expect(got.map((e) => (e.type === 'ADDED' ? e.revision : describeEvent(e)))).toEqual(created);
      await expectOnlyMarkerNext(events);
      if (b.capabilities.bookmarks) for (const r of events.bookmarkRevisions) expect(r).toMatch(/\S/);
      else expect(events.bookmarkRevisions).toEqual([]);
    } finally {
      events.close();
    }
  });

  it('close() ends every open watch', async () => {
    const b = ctx.backend();
    const events = openTap(b.watch(filter()));
    const other = openTap(b.watch({ kind: 'IPPool', name: ctx.run(), namePrefix: true }));
    const a = gnp(`${ctx.run()}-a`, 10);
    await b.create({ key: keyOf(a), value: a });
    expect(describeEvent(await events.next())).toBe(`ADDED ${a.metadata.name}`);
    await b.close();
    expect(await events.ended()).toBe('complete');
    expect(await other.ended()).toBe('complete');
  });
}
