import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, IPPOOLS, ipPool, openWatch, type WatchReader } from './test-helpers.js';

let server: FakeApiServer;
const readers: WatchReader[] = [];
const watch = async (path: string): Promise<WatchReader> => {
  const r = await openWatch(server.url, path);
  readers.push(r);
  return r;
};

beforeEach(async () => {
  server = await startFakeApiServer({ clusterBootstrap: false, enforceNamespaces: false, bookmarkIntervalMs: 40 });
});
afterEach(async () => {
  readers.splice(0).forEach((r) => r.close());
  await server.close();
});

describe('watch stream', () => {
  it('answers 200 chunked JSON lines; no resourceVersion → synthetic ADDED for current objects, then changes', async () => {
    server.store.seed(ipPool('a', '10.1.0.0/16'), ipPool('b', '10.2.0.0/16'));
    const res = await fetch(`${server.url}${IPPOOLS}?watch=true&timeoutSeconds=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    await res.body?.cancel();

    const w = await watch(`${IPPOOLS}?watch=true`);
    const initial = await w.take(2);
    expect(initial.map((f) => [f.type, f.object.metadata?.name])).toEqual([
      ['ADDED', 'a'],
      ['ADDED', 'b'],
    ]);
    expect(initial[0]?.object.kind).toBe('IPPool');
    const created = await call<{ metadata: { resourceVersion: string } }>(server.url, 'POST', IPPOOLS, ipPool('c', '10.3.0.0/16'));
    const added = await w.next();
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'c', resourceVersion: created.body.metadata.resourceVersion } } });
    await call(server.url, 'DELETE', `${IPPOOLS}/c`);
    const deleted = await w.next();
    expect(deleted).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'c' } } });
    expect(Number((deleted as { object: { metadata: { resourceVersion: string } } }).object.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.body.metadata.resourceVersion),
    );
  });

  it('accepts watch=1 and resumes from a resourceVersion, replaying later events only', async () => {
    const [a] = server.store.seed(ipPool('a', '10.1.0.0/16'));
    const from = a?.metadata?.resourceVersion ?? '';
    server.store.seed(ipPool('b', '10.2.0.0/16'));
    server.store.seed({ ...ipPool('a', '10.1.0.0/16'), metadata: { name: 'a', labels: { x: 'y' } } });
    const w = await watch(`${IPPOOLS}?watch=1&resourceVersion=${from}`);
    const frames = await w.take(2);
    expect(frames.map((f) => [f.type, f.object.metadata?.name])).toEqual([
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
    ]);
  });

  it('sends an in-stream ERROR 410 Expired and closes when the resourceVersion is older than the history', async () => {
    server.store.seed(ipPool('a', '10.1.0.0/16'));
    const old = Number(server.store.resourceVersion()) - 1;
    server.store.seed(ipPool('b', '10.2.0.0/16'));
    const compacted = server.faults.compact();
    const w = await watch(`${IPPOOLS}?watch=true&resourceVersion=${old}`);
    expect(w.status).toBe(200);
    const f = await w.next();
    expect(f).toEqual({
      type: 'ERROR',
      object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${old} (${compacted})`, reason: 'Expired', code: 410 },
    });
    expect(await w.ended()).toBe('closed');
  });

  it('sends BOOKMARK frames carrying only metadata.resourceVersion when allowWatchBookmarks=true', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&allowWatchBookmarks=true&resourceVersion=${server.store.resourceVersion()}`);
    server.store.advanceResourceVersion(3);
    const f = await w.next();
    expect(f).toEqual({ type: 'BOOKMARK', object: { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { resourceVersion: server.store.resourceVersion() } } });
  });

  it('sends no BOOKMARK frames without allowWatchBookmarks', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    server.store.advanceResourceVersion(3);
    await expect(w.next(200)).rejects.toThrow(/no watch frame/);
  });

  it('ends the stream cleanly at timeoutSeconds', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&timeoutSeconds=1&resourceVersion=${server.store.resourceVersion()}`);
    expect(await w.ended(3000)).toBe('closed');
  });

  it('filters by label selector and turns objects leaving/entering the selection into DELETED/ADDED', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&labelSelector=team%3Da&resourceVersion=${server.store.resourceVersion()}`);
    server.store.seed({ ...ipPool('p', '10.1.0.0/16'), metadata: { name: 'p', labels: { team: 'b' } } });
    server.store.seed({ ...ipPool('p', '10.1.0.0/16'), metadata: { name: 'p', labels: { team: 'a' } } });
    server.store.seed({ ...ipPool('p', '10.1.0.0/16'), metadata: { name: 'p', labels: { team: 'a', x: '1' } } });
    server.store.seed({ ...ipPool('p', '10.1.0.0/16'), metadata: { name: 'p', labels: { team: 'c' } } });
    const frames = await w.take(3);
    expect(frames.map((f) => [f.type, f.object.metadata?.labels])).toEqual([
      ['ADDED', { team: 'a' }],
      ['MODIFIED', { team: 'a', x: '1' }],
      ['DELETED', { team: 'c' }],
    ]);
  });

  it('watches a single object with fieldSelector=metadata.name and pods of one node with spec.nodeName', async () => {
    const one = await watch(`${IPPOOLS}?watch=true&fieldSelector=metadata.name%3Done&resourceVersion=${server.store.resourceVersion()}`);
    const node = await watch(`/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dn1&resourceVersion=${server.store.resourceVersion()}`);
    server.store.seed(ipPool('two', '10.2.0.0/16'), ipPool('one', '10.1.0.0/16'));
    const pod = (name: string, nodeName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: { nodeName, containers: [{ name: 'c', image: 'i' }] } });
    server.store.seed(pod('x', 'n2'), pod('y', 'n1'));
    expect(await one.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'one' } } });
    expect(await node.next()).toMatchObject({ type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'y' } } });
  });

  it('limits a namespaced watch to its namespace', async () => {
    const w = await watch(`/api/v1/namespaces/one/serviceaccounts?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    server.store.seed({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's', namespace: 'two' } });
    server.store.seed({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's', namespace: 'one' } });
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { namespace: 'one' } } });
  });

  it('sendInitialEvents=true sends the state and a BOOKMARK marked k8s.io/initial-events-end', async () => {
    server.store.seed(ipPool('a', '10.1.0.0/16'));
    const w = await watch(`${IPPOOLS}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=`);
    const [added, mark] = await w.take(2);
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    expect(mark).toMatchObject({ type: 'BOOKMARK', object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
  });

  it('rejects resourceVersionMatch on a plain watch (422)', async () => {
    const r = await call<{ code: number }>(server.url, 'GET', `${IPPOOLS}?watch=true&resourceVersion=1&resourceVersionMatch=NotOlderThan`);
    expect(r.status).toBe(422);
  });
});

describe('watch faults', () => {
  it('expireWatches sends ERROR 410 in-stream and closes', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    expect(server.openWatches()).toBe(1);
    expect(server.faults.expireWatches({ resource: 'ippools' })).toBe(1);
    expect(await w.next()).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    expect(await w.ended()).toBe('closed');
    expect(server.openWatches()).toBe(0);
  });

  it('dropWatches resets the connection mid-stream (the reader sees an error, not a clean end)', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    server.store.seed(ipPool('a', '10.1.0.0/16'));
    expect(await w.next()).toMatchObject({ type: 'ADDED' });
    expect(server.faults.dropWatches()).toBe(1);
    await expect(w.ended()).rejects.toThrow();
  });

  it('endWatches ends streams cleanly and sendBookmarks forces a bookmark', async () => {
    const w = await watch(`${IPPOOLS}?watch=true&allowWatchBookmarks=true&resourceVersion=${server.store.resourceVersion()}`);
    expect(server.faults.sendBookmarks()).toBe(1);
    expect(await w.next()).toMatchObject({ type: 'BOOKMARK' });
    server.faults.endWatches();
    expect(await w.ended()).toBe('closed');
  });

  it('a client that goes away is removed from the hub', async () => {
    const w = await watch(`${IPPOOLS}?watch=true`);
    expect(server.openWatches()).toBe(1);
    w.close();
    for (let i = 0; i < 50 && server.openWatches() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.openWatches()).toBe(0);
  });

  it('close() ends open watches so the server shuts down', async () => {
    const s = await startFakeApiServer({ clusterBootstrap: false });
    const w = await openWatch(s.url, `${IPPOOLS}?watch=true`);
    await s.close();
    await expect(w.ended()).rejects.toThrow();
  });
});
