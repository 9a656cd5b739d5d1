import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { ExpiredError, NotSupportedError, ParseError, UnauthorizedError, UnavailableError, isUnavailable } from '../../src/errors.js';
import { syncedCache, combineStatuses, keyString } from '../../src/watch/synced-cache.js';
import type { SyncedCacheOptions, SyncItem } from '../../src/watch/sync-types.js';
import { added, bookmark, deleted, errorEvent, modified, pool, type Pool } from './helpers.js';
import { render, scriptedSource, type ListAnswer, type ScriptedSource } from './scripted-source.js';
import { settle, virtualClock, type VirtualClock } from './virtual-clock.js';

const subs: Subscription[] = [];
afterEach(() => {
  for (const s of subs.splice(0)) s.unsubscribe();
});

interface Harness {
  clock: VirtualClock;
  src: ScriptedSource;
  items: SyncItem<Pool>[];
  errors: unknown[];
  completed: () => boolean;
  cache: ReturnType<typeof syncedCache<Pool>>;
}

/** A cache over one scripted source, subscribed once; records every item. */
function start(options: SyncedCacheOptions = {}, answers: ListAnswer[] = [{ items: [pool('a', '1'), pool('b', '2')], revision: '2' }]): Harness {
  const clock = virtualClock();
  const src = scriptedSource(() => clock.now());
  src.answers.push(...answers);
  const cache = syncedCache<Pool>(src, { scheduler: clock.scheduler, backoff: { initialDelay: 100, jitter: 'none' }, ...options });
  const items: SyncItem<Pool>[] = [];
  const errors: unknown[] = [];
  let done = false;
  subs.push(cache.events$.subscribe({ next: (i) => items.push(i), error: (e: unknown) => errors.push(e), complete: () => (done = true) }));
  return { clock, src, items, errors, completed: () => done, cache };
}

describe('syncedCache: initial sync', () => {
  it('starts nothing before subscription', () => {
    const clock = virtualClock();
    const src = scriptedSource(() => clock.now());
    const cache = syncedCache<Pool>(src, { scheduler: clock.scheduler });
    expect(src.listCalls).toEqual([]);
    expect(cache.current().size).toBe(0);
    expect(cache.status()).toBe('wait-for-datastore');
  });

  it('goes wait-for-datastore → resync → in-sync with every new update before in-sync, then watches from the list revision', async () => {
    const h = start();
    await h.clock.advance(0);
    expect(render(h.items)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(a)@1', 'new:IPPool(b)@2', 'status:in-sync']);
    expect(h.items.filter((i) => i.type === 'updates')).toHaveLength(1);
    expect(h.src.listCalls).toEqual([0]);
    expect(h.src.watches.map((w) => w.revision)).toEqual(['2']);
    expect([...h.cache.current().keys()]).toEqual(['IPPool(a)', 'IPPool(b)']);
    expect(h.cache.get({ kind: 'IPPool', name: 'b' })?.revision).toBe('2');
    expect(h.cache.status()).toBe('in-sync');
  });

  it('reports an empty datastore as in-sync with no updates', async () => {
    const h = start({}, [{ items: [], revision: '7' }]);
    await h.clock.advance(0);
    expect(render(h.items)).toEqual(['status:wait-for-datastore', 'status:resync', 'status:in-sync']);
  });
});

describe('syncedCache: watch events', () => {
  it('turns events into new/updated/deleted, and emits nothing for an unchanged revision, an unknown deletion or a bookmark', async () => {
    const h = start();
    await h.clock.advance(0);
    const w = h.src.lastWatch();
    const a1 = pool('a', '1');
    const a3 = pool('a', '3', '10.3.0.0/16');
    h.items.length = 0;
    w.server.next(added(a1)); // replay of the cached revision
    w.server.next(modified(a3, a1));
    w.server.next(modified(pool('c', '4'))); // MODIFIED of an unknown key is new (Kubernetes)
    w.server.next(deleted(pool('zz', '1'), '5')); // never cached
    w.server.next(bookmark('6'));
    w.server.next(deleted(pool('b', '2'), '7'));
    await settle();
    expect(render(h.items)).toEqual(['updated:IPPool(a)@3', 'new:IPPool(c)@4', 'deleted:IPPool(b)@7']);
    const upd = h.items[0];
    expect(upd?.type === 'updates' ? upd.updates[0]?.previous : undefined).toEqual(a1.value);
    const del = h.items[2];
    expect(del?.type === 'updates' ? del.updates[0]?.value : undefined).toEqual(pool('b', '2').value);
    expect([...h.cache.current().values()].map((kv) => `${kv.key.name}@${kv.revision}`)).toEqual(['a@3', 'c@4']);
  });

  it('applies updates to current() before delivering them', async () => {
    const h = start();
    const seen: string[] = [];
    subs.push(h.cache.updates$.subscribe((batch) => seen.push(...batch.map((u) => `${u.type}:${h.cache.current().has(keyString(u.key))}`))));
    await h.clock.advance(0);
    h.src.lastWatch().server.next(deleted(pool('a', '1'), '3'));
    await settle();
    expect(seen).toEqual(['new:true', 'new:true', 'deleted:false']);
  });

  it('surfaces a Parse ERROR event as an error item and keeps watching', async () => {
    const h = start();
    await h.clock.advance(0);
    h.items.length = 0;
    const w = h.src.lastWatch();
    w.server.next(errorEvent(new ParseError('/calico/resources/v3/projectcalico.org/ippools/x')));
    w.server.next(added(pool('x', '3')));
    await settle();
    expect(render(h.items)).toEqual(['error:Parse', 'new:IPPool(x)@3']);
    expect(w.closed).toBe(false);
  });
});

describe('syncedCache: resume and relist', () => {
  it('resumes an ended watch from the last revision (bookmarks included) without relisting', async () => {
    const h = start();
    await h.clock.advance(0);
    const w1 = h.src.lastWatch();
    w1.server.next(added(pool('c', '3')));
    w1.server.next(bookmark('9'));
    w1.server.complete();
    await h.clock.advance(100);
    expect(h.src.watches.map((w) => `${w.revision}@${w.at}`)).toEqual(['2@0', '9@100']);
    expect(h.src.listCalls).toEqual([0]);
    expect(render(h.items).filter((s) => s.startsWith('status'))).toEqual(['status:wait-for-datastore', 'status:resync', 'status:in-sync']);
  });

  it('resumes after a transient watch error, with backoff, without relisting', async () => {
    const h = start();
    await h.clock.advance(0);
    h.src.lastWatch().server.error(new UnavailableError('reset'));
    await h.clock.advance(99);
    expect(h.src.watches).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.src.watches.map((w) => `${w.revision}@${w.at}`)).toEqual(['2@0', '2@100']);
    expect(h.src.listCalls).toEqual([0]);
  });

  it('relists on Expired (no sooner than minResyncInterval after the last list), synthesising deleted for vanished keys', async () => {
    const h = start();
    await h.clock.advance(0);
    h.items.length = 0;
    // b is deleted and c created while the watch is down; a is unchanged.
    h.src.answers.push({ items: [pool('a', '1'), pool('c', '8')], revision: '9' });
    await h.clock.advance(100);
    h.src.lastWatch().server.next(errorEvent(new ExpiredError('compacted')));
    await h.clock.advance(0);
    expect(render(h.items)).toEqual(['status:resync']);
    expect(h.src.listCalls).toEqual([0]);
    await h.clock.advance(399);
    expect(h.src.listCalls).toEqual([0]);
    await h.clock.advance(1);
    expect(h.src.listCalls).toEqual([0, 500]);
    expect(render(h.items)).toEqual(['status:resync', 'new:IPPool(c)@8', 'deleted:IPPool(b)@9', 'status:in-sync']);
    expect(h.src.watches.map((w) => w.revision)).toEqual(['2', '9']);
    expect(h.src.watches[0]?.closed).toBe(true);
    expect([...h.cache.current().keys()]).toEqual(['IPPool(a)', 'IPPool(c)']);
  });

  it('relists at once on Expired when the last list is older than minResyncInterval, reporting changed objects as updated', async () => {
    const h = start();
    await h.clock.advance(2000);
    h.items.length = 0;
    h.src.answers.push({ items: [pool('a', '5', '10.5.0.0/16'), pool('b', '2')], revision: '6' });
    h.src.lastWatch().server.next(errorEvent(new ExpiredError()));
    await h.clock.advance(0);
    expect(h.src.listCalls).toEqual([0, 2000]);
    expect(render(h.items)).toEqual(['status:resync', 'updated:IPPool(a)@5', 'status:in-sync']);
  });

  it('relists after watchFailuresBeforeResync consecutive watch failures', async () => {
    const h = start({ watchFailuresBeforeResync: 2 });
    await h.clock.advance(0);
    h.src.answers.push({ items: [pool('a', '1'), pool('b', '2')], revision: '4' });
    h.src.lastWatch().server.error(new UnavailableError('reset'));
    await h.clock.advance(100);
    h.src.lastWatch().server.error(new UnavailableError('reset'));
    await h.clock.advance(500);
    expect(h.src.listCalls).toEqual([0, 500]);
    expect(h.src.watches.map((w) => w.revision)).toEqual(['2', '2', '4']);
    expect(h.cache.status()).toBe('in-sync');
  });

  it('retries a failed list every listRetryDelay while waiting for the datastore', async () => {
    const h = start({}, [{ error: new UnavailableError('refused') }, { error: new ExpiredError('continue token expired') }, { items: [pool('a', '1')], revision: '1' }]);
    await h.clock.advance(999);
    expect(h.src.listCalls).toEqual([0]);
    expect(render(h.items)).toEqual(['status:wait-for-datastore']);
    await h.clock.advance(1001);
    expect(h.src.listCalls).toEqual([0, 1000, 2000]);
    expect(render(h.items)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(a)@1', 'status:in-sync']);
  });

  it('reports one connection-loss error when lists keep failing for connectionLossThreshold', async () => {
    const h = start({ connectionLossThreshold: 3000 }, Array.from({ length: 6 }, () => ({ error: new UnavailableError('refused') })));
    await h.clock.advance(5000);
    const errors = h.items.filter((i) => i.type === 'error');
    expect(errors).toHaveLength(1);
    const e = errors[0];
    expect(e?.type === 'error' && isUnavailable(e.error) && e.kind).toBe('IPPool');
    expect(e?.type === 'error' ? e.error.message : '').toContain('3 s');
    expect(h.errors).toEqual([]);
  });

  it('errors the stream on a fatal list error', async () => {
    const err = new UnauthorizedError();
    const h = start({}, [{ error: err }]);
    await h.clock.advance(0);
    expect(h.errors).toEqual([err]);
    expect(h.cache.current().size).toBe(0);
  });

  it('errors the stream on a fatal watch error and closes nothing twice', async () => {
    const err = new UnauthorizedError('token revoked');
    const h = start();
    await h.clock.advance(0);
    h.src.lastWatch().server.error(err);
    await h.clock.advance(1000);
    expect(h.errors).toEqual([err]);
    expect(h.src.watches).toHaveLength(1);
  });

  it('polls with a relist every pollInterval when the source cannot watch, staying in-sync', async () => {
    const h = start({ pollInterval: 5000 });
    h.src.watchFailures.push(new NotSupportedError('Watch'));
    await h.clock.advance(0);
    h.items.length = 0;
    h.src.answers.push({ items: [pool('a', '1')], revision: '3' }, { items: [pool('a', '1')], revision: '3' });
    await h.clock.advance(10_000);
    expect(h.src.listCalls).toEqual([0, 5000, 10_000]);
    expect(render(h.items)).toEqual(['deleted:IPPool(b)@3']);
    expect(h.src.watches).toHaveLength(0);
  });
});

describe('syncedCache: several sources', () => {
  it('is in-sync only when every source is, and resync while any is behind', async () => {
    const clock = virtualClock();
    const s1 = scriptedSource(() => clock.now(), 'IPPool');
    const s2 = scriptedSource(() => clock.now(), 'IPPool');
    s1.answers.push({ items: [pool('a', '1')], revision: '1' });
    s2.answers.push({ error: new UnavailableError('x') }, { items: [pool('z', '2')], revision: '2' });
    const cache = syncedCache<Pool>([s1, s2], { scheduler: clock.scheduler });
    const items: SyncItem<Pool>[] = [];
    const inSync: boolean[] = [];
    subs.push(cache.events$.subscribe((i) => items.push(i)));
    subs.push(cache.inSync$.subscribe((v) => inSync.push(v)));
    await clock.advance(0);
    expect(render(items)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(a)@1']);
    await clock.advance(1000);
    expect(render(items)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(a)@1', 'new:IPPool(z)@2', 'status:in-sync']);
    expect(cache.current().size).toBe(2);
    expect(inSync).toEqual([false, true]);
  });

  it('combineStatuses follows Calico', () => {
    expect(combineStatuses(['in-sync', 'in-sync'])).toBe('in-sync');
    expect(combineStatuses(['wait-for-datastore', 'wait-for-datastore'])).toBe('wait-for-datastore');
    expect(combineStatuses(['wait-for-datastore', 'in-sync'])).toBe('resync');
    expect(combineStatuses(['resync', 'in-sync'])).toBe('resync');
  });

  it('rejects an empty source list and bad options', () => {
    expect(() => syncedCache([])).toThrow(/sources/);
    const src = scriptedSource(() => 0);
    expect(() => syncedCache(src, { minResyncInterval: -1 })).toThrow(/minResyncInterval/);
    expect(() => syncedCache(src, { watchFailuresBeforeResync: 0 })).toThrow(/watchFailuresBeforeResync/);
  });
});

describe('syncedCache: sharing, teardown and stop', () => {
  it('shares one list and one watch between subscribers; a late subscriber gets a snapshot first', async () => {
    const h = start();
    const second: SyncItem<Pool>[] = [];
    subs.push(h.cache.events$.subscribe((i) => second.push(i)));
    await h.clock.advance(0);
    h.src.lastWatch().server.next(added(pool('c', '3')));
    await settle();
    const late: SyncItem<Pool>[] = [];
    const statuses: string[] = [];
    subs.push(h.cache.events$.subscribe((i) => late.push(i)));
    subs.push(h.cache.status$.subscribe((s) => statuses.push(s)));
    expect(render(late)).toEqual(['new:IPPool(a)@1', 'new:IPPool(b)@2', 'new:IPPool(c)@3', 'status:in-sync']);
    expect(statuses).toEqual(['in-sync']);
    h.src.lastWatch().server.next(deleted(pool('a', '1'), '4'));
    await settle();
    expect(render(late).at(-1)).toBe('deleted:IPPool(a)@4');
    expect(render(second)).toEqual(render(h.items));
    expect(h.src.listCalls).toHaveLength(1);
    expect(h.src.watches).toHaveLength(1);
  });

  it('closes the watch and empties the cache when the last subscriber leaves; the next subscriber relists', async () => {
    const h = start();
    await h.clock.advance(0);
    const w = h.src.lastWatch();
    const other = h.cache.inSync$.subscribe();
    subs.pop()?.unsubscribe();
    expect(w.closed).toBe(false);
    other.unsubscribe();
    expect(w.closed).toBe(true);
    expect(h.cache.current().size).toBe(0);
    expect(h.cache.status()).toBe('wait-for-datastore');
    expect(h.clock.pending()).toBe(0);
    h.src.answers.push({ items: [pool('q', '5')], revision: '5' });
    const again: SyncItem<Pool>[] = [];
    subs.push(h.cache.events$.subscribe((i) => again.push(i)));
    await h.clock.advance(0);
    expect(render(again)).toEqual(['status:wait-for-datastore', 'status:resync', 'new:IPPool(q)@5', 'status:in-sync']);
    expect(h.src.listCalls).toHaveLength(2);
  });

  it('with keepAlive, keeps running for that long after the last subscriber leaves, and a returning subscriber joins without a relist', async () => {
    const h = start({ keepAlive: 1000 });
    await h.clock.advance(0);
    subs.pop()?.unsubscribe();
    await h.clock.advance(999);
    expect(h.src.lastWatch().closed).toBe(false);
    expect(h.cache.current().size).toBe(2);
    const back: SyncItem<Pool>[] = [];
    const sub = h.cache.events$.subscribe((i) => back.push(i));
    await h.clock.advance(5000);
    expect(render(back)).toEqual(['new:IPPool(a)@1', 'new:IPPool(b)@2', 'status:in-sync']);
    expect(h.src.listCalls).toEqual([0]);
    sub.unsubscribe();
    await h.clock.advance(999);
    expect(h.src.lastWatch().closed).toBe(false);
    await h.clock.advance(1);
    expect(h.src.lastWatch().closed).toBe(true);
    expect(h.cache.current().size).toBe(0);
  });

  it('cancels a pending list retry and a pending watch backoff on unsubscribe', async () => {
    const h = start({}, [{ error: new UnavailableError('x') }]);
    await h.clock.advance(0);
    expect(h.clock.pending()).toBe(1);
    subs.pop()?.unsubscribe();
    expect(h.clock.pending()).toBe(0);

    const g = start();
    await g.clock.advance(0);
    g.src.lastWatch().server.error(new UnavailableError('reset'));
    await settle();
    expect(g.clock.pending()).toBe(1);
    subs.pop()?.unsubscribe();
    expect(g.clock.pending()).toBe(0);
    await g.clock.advance(10_000);
    expect(g.src.watches).toHaveLength(1);
  });

  it('stop() completes every subscriber and, with emitDeletesOnStop, deletes every cached key first', async () => {
    const h = start({ emitDeletesOnStop: true });
    await h.clock.advance(0);
    h.items.length = 0;
    h.cache.stop();
    expect(render(h.items)).toEqual(['deleted:IPPool(a)@2', 'deleted:IPPool(b)@2']);
    expect(h.completed()).toBe(true);
    expect(h.src.lastWatch().closed).toBe(true);
    expect(h.cache.current().size).toBe(0);
  });

  it('stop() without emitDeletesOnStop just completes', async () => {
    const h = start();
    await h.clock.advance(0);
    h.items.length = 0;
    h.cache.stop();
    h.cache.stop();
    expect(h.items).toEqual([]);
    expect(h.completed()).toBe(true);
  });
});
