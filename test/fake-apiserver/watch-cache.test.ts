/**
 * The watch cache window: its sizing rule on its own (with a manual clock), and on the wire the
 * 410 a watch from before the window gets, the starts still inside it, and what lists at old
 * revisions answer meanwhile (they are served from storage, not from the window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/testing/conformance/context.js';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, IPPOOLS, ipPool, openWatch } from './test-helpers.js';
import { createEventWindow } from './watch-cache.js';

describe('event window', () => {
  const fill = (n: number, push: (rv: number) => void, from = 1): void => {
    for (let rv = from; rv < from + n; rv++) push(rv);
  };

  it('keeps its lower bound when nothing is fresh, and moves the start past dropped events', () => {
    const w = createEventWindow<{ rv: number }>(0, { size: 4 });
    fill(3, (rv) => w.push({ rv }));
    expect(w.startRv()).toBe(0);
    fill(3, (rv) => w.push({ rv }), 4);
    expect(w.capacity()).toBe(4);
    expect(w.since(0).map((e) => e.rv)).toEqual([3, 4, 5, 6]);
    expect(w.startRv()).toBe(2);
  });

  it('grows while its oldest event is fresh and shrinks back once a quarter of it is stale', () => {
    let now = 0;
    const w = createEventWindow<{ rv: number }>(0, { size: 4, maxSize: 16, freshMs: 1000, now: () => now });
    fill(10, (rv) => w.push({ rv }));
    expect(w.capacity()).toBe(16);
    expect(w.startRv()).toBe(0);
    // Full with a stale oldest event but a fresh last quarter: the oldest is dropped.
    now = 5000;
    fill(7, (rv) => w.push({ rv }), 11);
    expect(w.capacity()).toBe(16);
    expect(w.startRv()).toBe(1);
    // The last quarter is stale too: the window halves and keeps the newest events.
    now = 7000;
    w.push({ rv: 18 });
    expect(w.capacity()).toBe(8);
    expect(w.since(0).map((e) => e.rv)).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(w.startRv()).toBe(10);
  });
});

describe('watch cache on the wire', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer({ clusterBootstrap: false, watchCacheSize: 5 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a watch from before the window with an in-stream 410 naming the oldest start', async () => {
    const start = Number(server.store.resourceVersion());
    for (let i = 0; i < 7; i++) server.store.seed(ipPool(`p${i}`, `10.${i}.0.0/16`));
    const kept = server.store.list('crd.projectcalico.org/v1', 'IPPool').map((o) => Number(o.metadata?.resourceVersion));
    const oldest = (kept[2] as number) - 1;
    const w = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${start}`);
    expect(w.status).toBe(200);
    expect(await w.next()).toEqual({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${start} (${oldest})`, reason: 'Expired', code: 410 },
    });
    expect(await w.ended()).toBe('closed');

    const inside = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${oldest}`);
    try {
      expect((await inside.take(5)).map((f) => f.object.metadata?.name)).toEqual(['p2', 'p3', 'p4', 'p5', 'p6']);
    } finally {
      inside.close();
    }
  });

  it('keeps one window per resource: other kinds do not push it', async () => {
    const from = server.store.resourceVersion();
    for (let i = 0; i < 8; i++) server.store.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}` } });
    const w = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${from}`);
    try {
      server.store.seed(ipPool('late', '10.99.0.0/16'));
      expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'late' } } });
    } finally {
      w.close();
    }
  });

  it('serves lists at an old revision from storage: Exact and continue still work past the window', async () => {
    const listed = await call<{ metadata: { resourceVersion: string; continue?: string } }>(server.url, 'GET', `${IPPOOLS}?limit=2`);
    const at = listed.body.metadata.resourceVersion;
    for (let i = 0; i < 6; i++) server.store.seed(ipPool(`q${i}`, `10.${100 + i}.0.0/16`));
    const exact = await call<{ items: unknown[] }>(server.url, 'GET', `${IPPOOLS}?resourceVersion=${at}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    expect(exact.body.items.length).toBe(8);
    const next = await call(server.url, 'GET', `${IPPOOLS}?limit=2&continue=${encodeURIComponent(listed.body.metadata.continue ?? '')}`);
    expect(next.status).toBe(200);
    const w = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${at}`);
    expect(await w.next()).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    // sendInitialEvents starts from the current state, so an old revision is no error there.
    const initial = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${at}&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&allowWatchBookmarks=true`);
    try {
      expect(await initial.next()).toMatchObject({ type: 'ADDED' });
    } finally {
      initial.close();
    }
  });
});

describe('a watch from a future revision', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer({ clusterBootstrap: false, tooLargeResourceVersionWaitMs: 50 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('waits for it, then answers in-stream 504 Too large resource version', async () => {
    const current = Number(server.store.resourceVersion());
    const w = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${current + 10}`);
    expect(w.status).toBe(200);
    expect(await w.next()).toMatchObject({
      type: 'ERROR',
      object: { code: 504, reason: 'Timeout', message: `Timeout: Too large resource version: ${current + 10}, current: ${current}`, details: { retryAfterSeconds: 1 } },
    });
    expect(await w.ended()).toBe('closed');
  });

  it('starts normally once the server reaches it within the wait', async () => {
    const patient = await startFakeApiServer({ clusterBootstrap: false });
    try {
      const next = Number(patient.store.resourceVersion()) + 1;
      const opening = openWatch(patient.url, `${IPPOOLS}?watch=true&resourceVersion=${next}`);
      // The watch is waiting for revision `next` once the server has taken the request.
      await pollUntil(() => Promise.resolve(patient.requests.some((r) => r.verb === 'watch')), (x) => x);
      patient.store.seed(ipPool('reached', '10.77.0.0/16'));
      patient.store.seed(ipPool('after', '10.78.0.0/16'));
      const w = await opening;
      try {
        expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'after' } } });
      } finally {
        w.close();
      }
    } finally {
      await patient.close();
    }
  });
});
