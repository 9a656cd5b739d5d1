import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './index.js';
import { ipPool } from './test-helpers.js';

const IPPOOLS = { group: 'crd.projectcalico.org', version: 'v1', plural: 'ippools' } as const;
const NETPOLS = { group: 'crd.projectcalico.org', version: 'v1', plural: 'networkpolicies' } as const;

let server: FakeApiServer;
let kc: KubeConfig;
let core: CoreV1Api;
let co: CustomObjectsApi;

beforeAll(async () => {
  server = await startFakeApiServer({ bookmarkIntervalMs: 50 });
  kc = new KubeConfig();
  // Exactly how the backend's tests build their client.
  kc.loadFromClusterAndUser({ name: 'fake', server: server.url, skipTLSVerify: true }, { name: 'u' });
  core = kc.makeApiClient(CoreV1Api);
  co = kc.makeApiClient(CustomObjectsApi);
});
afterAll(async () => {
  await server.close();
});

/** The ApiException a call rejects with, and its decoded Status body. */
async function failure(p: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiException);
    const x = e as ApiException<string>;
    return { code: x.code, status: JSON.parse(x.body) as Record<string, unknown>, headers: x.headers };
  }
  throw new Error('expected the call to fail');
}

interface WatchResult {
  events: { type: string; object: KubeObject & { code?: number; reason?: string } }[];
  done: Promise<unknown>;
  abort(): void;
}

async function startWatch(path: string, query: Record<string, string | number | boolean | undefined>): Promise<WatchResult> {
  const events: WatchResult['events'] = [];
  let finish: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((resolve) => (finish = resolve));
  const ctl = await new Watch(kc).watch(path, query, (type, object) => events.push({ type, object: object as WatchResult['events'][number]['object'] }), (err) => finish(err ?? null));
  return { events, done, abort: () => ctl.abort() };
}

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('CustomObjectsApi', () => {
  it('create → get → replace with resourceVersion → stale replace is ApiException 409 Conflict', async () => {
    const created = (await co.createClusterCustomObject({ ...IPPOOLS, body: ipPool('cn-a', '10.1.0.0/16') })) as KubeObject;
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    const got = (await co.getClusterCustomObject({ ...IPPOOLS, name: 'cn-a' })) as KubeObject;
    expect(got.metadata?.uid).toBe(created.metadata?.uid);
    const replaced = (await co.replaceClusterCustomObject({ ...IPPOOLS, name: 'cn-a', body: { ...got, spec: { ...(got.spec as object), disabled: true } } })) as KubeObject;
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(got.metadata?.resourceVersion));
    const f = await failure(co.replaceClusterCustomObject({ ...IPPOOLS, name: 'cn-a', body: got }));
    expect(f.code).toBe(409);
    expect(f.status.reason).toBe('Conflict');
  });

  it('AlreadyExists and NotFound arrive as ApiException with a Status body', async () => {
    const dup = await failure(co.createClusterCustomObject({ ...IPPOOLS, body: ipPool('cn-a', '10.1.0.0/16') }));
    expect(dup).toMatchObject({ code: 409, status: { reason: 'AlreadyExists' } });
    const missing = await failure(co.getClusterCustomObject({ ...IPPOOLS, name: 'nope' }));
    expect(missing).toMatchObject({ code: 404, status: { reason: 'NotFound', details: { name: 'nope', group: 'crd.projectcalico.org', kind: 'ippools' } } });
  });

  it('deleteClusterCustomObject honours preconditions in the DeleteOptions body', async () => {
    const created = (await co.createClusterCustomObject({ ...IPPOOLS, body: ipPool('cn-del', '10.2.0.0/16') })) as KubeObject;
    const stale = await failure(co.deleteClusterCustomObject({ ...IPPOOLS, name: 'cn-del', body: { preconditions: { uid: created.metadata?.uid, resourceVersion: '1' } } }));
    expect(stale.code).toBe(409);
    expect(String(stale.status.message)).toContain('Precondition failed: ResourceVersion in precondition: 1');
    const ok = (await co.deleteClusterCustomObject({
      ...IPPOOLS,
      name: 'cn-del',
      body: { preconditions: { uid: created.metadata?.uid, resourceVersion: created.metadata?.resourceVersion } },
    })) as { status?: string };
    expect(ok.status).toBe('Success');
  });

  it('pages with limit/_continue and reads metadata.continue; an expired token is ApiException 410', async () => {
    for (const n of ['pg-1', 'pg-2', 'pg-3']) await co.createClusterCustomObject({ ...IPPOOLS, body: ipPool(n, `10.${n.slice(-1)}0.0.0/16`) });
    const names: string[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = (await co.listClusterCustomObject({ ...IPPOOLS, limit: 2, _continue: cont })) as { items: KubeObject[]; metadata: { continue?: string; resourceVersion: string } };
      names.push(...page.items.map((p) => p.metadata?.name ?? ''));
      rv ??= page.metadata.resourceVersion;
      expect(page.metadata.resourceVersion).toBe(rv);
      cont = page.metadata.continue || undefined;
      if (!cont) break;
    }
    expect(names).toEqual(['cn-a', 'pg-1', 'pg-2', 'pg-3']);
    const first = (await co.listClusterCustomObject({ ...IPPOOLS, limit: 1 })) as { metadata: { continue: string } };
    server.faults.expireContinueTokens();
    const expired = await failure(co.listClusterCustomObject({ ...IPPOOLS, limit: 1, _continue: first.metadata.continue }));
    expect(expired).toMatchObject({ code: 410, status: { reason: 'Expired' } });
  });

  it('merge patch needs the header; the default JSON Patch content type rejects an object body', async () => {
    const merged = (await co.patchClusterCustomObject({ ...IPPOOLS, name: 'cn-a', body: { metadata: { labels: { m: '1' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))) as KubeObject;
    expect(merged.metadata?.labels).toEqual({ m: '1' });
    const wrong = await failure(co.patchClusterCustomObject({ ...IPPOOLS, name: 'cn-a', body: { metadata: { labels: { m: '2' } } } }));
    expect(wrong.code).toBe(400);
    const smp = await failure(co.patchClusterCustomObject({ ...IPPOOLS, name: 'cn-a', body: { metadata: {} } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)));
    expect(smp.code).toBe(415);
  });

  it('replaceClusterCustomObjectStatus writes only status (IPPool has a status subresource)', async () => {
    const got = (await co.getClusterCustomObject({ ...IPPOOLS, name: 'cn-a' })) as KubeObject;
    const r = (await co.replaceClusterCustomObjectStatus({ ...IPPOOLS, name: 'cn-a', body: { ...got, spec: { cidr: '10.250.0.0/16' }, status: { conditions: [] } } })) as KubeObject;
    expect((r.spec as { cidr: string }).cidr).toBe('10.1.0.0/16');
    expect(r.status).toEqual({ conditions: [] });
  });

  it('namespaced custom objects: create, list across namespaces with a label selector', async () => {
    const np = (name: string, ns: string, tier: string): KubeObject => ({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns, labels: { 'projectcalico.org/tier': tier } },
      spec: { tier, selector: 'all()' },
    });
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
    await co.createNamespacedCustomObject({ ...NETPOLS, namespace: 'default', body: np('a', 'default', 'default') });
    await co.createNamespacedCustomObject({ ...NETPOLS, namespace: 'shop', body: np('b', 'shop', 'security') });
    const all = (await co.listCustomObjectForAllNamespaces({ ...NETPOLS, labelSelector: 'projectcalico.org/tier=security' })) as { items: KubeObject[] };
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual(['shop/b']);
  });
});

describe('CoreV1Api and NetworkingV1Api', () => {
  it('typed lists page with _continue and field selectors work (spec.nodeName)', async () => {
    for (const [name, node] of [
      ['w1', 'node-1'],
      ['w2', 'node-2'],
      ['w3', 'node-1'],
    ] as const) {
      await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } } });
    }
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-1' });
    expect(onNode.items.map((p) => p.metadata?.name)).toEqual(['w1', 'w3']);
    expect(onNode.items[0]?.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const p1 = await core.listNamespacedPod({ namespace: 'default', limit: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await core.listNamespacedPod({ namespace: 'default', limit: 2, _continue: p1.metadata?._continue });
    expect(p2.items.map((p) => p.metadata?.name)).toEqual(['w3']);
    expect(p2.metadata?._continue).toBeUndefined();
  });

  it('label selectors on namespaces', async () => {
    await core.createNamespace({ body: { metadata: { name: 'prod-a', labels: { env: 'prod' } } } });
    const r = await core.listNamespace({ labelSelector: 'env in (prod)' });
    expect(r.items.map((n) => n.metadata?.name)).toEqual(['prod-a']);
  });

  it('nodes: JSON patch (the default), merge patch with the header, replaceNodeStatus keeps spec', async () => {
    await core.createNode({ body: { metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24' } } });
    const n1 = await core.patchNode({ name: 'node-1', body: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }] });
    expect(n1.metadata?.labels).toEqual({ a: 'b' });
    const n2 = await core.patchNode({ name: 'node-1', body: { metadata: { annotations: { 'projectcalico.org/IPv4Address': '10.0.0.1/24' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    expect(n2.metadata?.annotations).toEqual({ 'projectcalico.org/IPv4Address': '10.0.0.1/24' });
    const body = { ...n2, spec: { podCIDR: '10.244.99.0/24' }, metadata: { ...n2.metadata, annotations: { x: 'y' } } };
    const n3 = await core.replaceNodeStatus({ name: 'node-1', body });
    expect(n3.spec?.podCIDR).toBe('10.244.1.0/24');
    expect(n3.metadata?.annotations).toEqual({ x: 'y' });
  });

  it('pods/status strategic merge patch persists annotations (the CNI plugin path)', async () => {
    const pod = await core.readNamespacedPod({ name: 'w1', namespace: 'default' });
    const patched = await core.patchNamespacedPodStatus(
      { name: 'w1', namespace: 'default', body: { metadata: { uid: pod.metadata?.uid, annotations: { 'cni.projectcalico.org/podIP': '10.0.0.7/32', 'cni.projectcalico.org/podIPs': '10.0.0.7/32' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.annotations?.['cni.projectcalico.org/podIP']).toBe('10.0.0.7/32');
  });

  it('networking.k8s.io NetworkPolicies round-trip with defaults', async () => {
    const net = kc.makeApiClient(NetworkingV1Api);
    await net.createNamespacedNetworkPolicy({ namespace: 'default', body: { metadata: { name: 'deny-all' }, spec: { podSelector: {} } } });
    const got = await net.readNamespacedNetworkPolicy({ namespace: 'default', name: 'deny-all' });
    expect(got.spec?.policyTypes).toEqual(['Ingress']);
    const all = await net.listNetworkPolicyForAllNamespaces({ limit: 500 });
    expect(all.items.map((p) => p.metadata?.name)).toEqual(['deny-all']);
  });

  it('an injected 429 arrives with Retry-After', async () => {
    server.faults.failNext(429, { match: { verb: 'list', resource: 'nodes' }, retryAfterSeconds: 2 });
    const f = await failure(core.listNode());
    expect(f.code).toBe(429);
    expect(f.headers['retry-after']).toBe('2');
    await expect(core.listNode()).resolves.toBeDefined();
  });
});

describe('Watch', () => {
  const PATH = '/apis/crd.projectcalico.org/v1/ippools';

  it('delivers ADDED/MODIFIED/DELETED as plain JSON, and BOOKMARKs when asked', async () => {
    const w = await startWatch(PATH, { resourceVersion: server.store.resourceVersion(), allowWatchBookmarks: true });
    try {
      await co.createClusterCustomObject({ ...IPPOOLS, body: ipPool('wa', '10.60.0.0/16') });
      await co.patchClusterCustomObject({ ...IPPOOLS, name: 'wa', body: { metadata: { labels: { v: '2' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await co.deleteClusterCustomObject({ ...IPPOOLS, name: 'wa' });
      await until(() => w.events.filter((e) => e.type !== 'BOOKMARK').length >= 3, 'three events');
      expect(w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
      expect(typeof w.events.find((e) => e.type === 'ADDED')?.object.metadata?.creationTimestamp).toBe('string');
      server.store.advanceResourceVersion();
      await until(() => w.events.some((e) => e.type === 'BOOKMARK'), 'a bookmark');
      const bm = w.events.find((e) => e.type === 'BOOKMARK');
      expect(Object.keys(bm?.object.metadata ?? {})).toEqual(['resourceVersion']);
    } finally {
      w.abort();
    }
  });

  it('a too-old resourceVersion gives ERROR 410 in the stream, then done(null) when the server closes', async () => {
    const old = server.store.resourceVersion();
    await co.createClusterCustomObject({ ...IPPOOLS, body: ipPool('wb', '10.61.0.0/16') });
    server.faults.compact();
    const w = await startWatch(PATH, { resourceVersion: old });
    expect(await w.done).toBeNull();
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('timeoutSeconds ends the watch with done(null)', async () => {
    const w = await startWatch(PATH, { resourceVersion: server.store.resourceVersion(), timeoutSeconds: 1 });
    expect(await w.done).toBeNull();
  });

  it('a connection reset mid-watch reaches done with an error', async () => {
    const w = await startWatch(PATH, { resourceVersion: server.store.resourceVersion() });
    await until(() => server.openWatches() > 0, 'the watch to register');
    server.faults.dropWatches({ resource: 'ippools' });
    const err = await w.done;
    expect(err).toBeInstanceOf(Error);
  });

  it('a watch refused up front (injected 410) reaches done with statusCode 410', async () => {
    server.faults.failNext(410, { match: { verb: 'watch' } });
    const w = await startWatch(PATH, { resourceVersion: '1' });
    const err = (await w.done) as { statusCode?: number };
    expect(err.statusCode).toBe(410);
  });
});
