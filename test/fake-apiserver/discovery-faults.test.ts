import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calicoCrdFile, startFakeApiServer, type FakeApiServer } from './index.js';
import { call, IPPOOLS, ipPool, openWatch } from './test-helpers.js';

type Doc = Record<string, unknown>;
let server: FakeApiServer;
beforeEach(async () => {
  server = await startFakeApiServer();
});
afterEach(async () => {
  await server.close();
});

describe('discovery', () => {
  it('/version, /api and /api/v1', async () => {
    expect((await call<Doc>(server.url, 'GET', '/version')).body).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) as unknown });
    const api = (await call<Doc>(server.url, 'GET', '/api')).body;
    expect(api).toEqual({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${server.port}` }] });
    const v1 = (await call<{ resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[] }>(server.url, 'GET', '/api/v1')).body;
    const names = v1.resources.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['nodes', 'nodes/status', 'pods', 'pods/status', 'namespaces', 'serviceaccounts']));
    expect(v1.resources.find((r) => r.name === 'pods')).toMatchObject({ namespaced: true, kind: 'Pod', verbs: expect.arrayContaining(['watch', 'patch']) as unknown });
    expect(v1.resources.find((r) => r.name === 'nodes/status')?.verbs).toEqual(['get', 'patch', 'update']);
  });

  it('/apis lists the installed groups; /apis/<group>/<version> their resources', async () => {
    const groups = (await call<{ kind: string; groups: { name: string; preferredVersion: { groupVersion: string } }[] }>(server.url, 'GET', '/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g) => g.name).sort()).toEqual(['apiextensions.k8s.io', 'crd.projectcalico.org', 'networking.k8s.io']);
    const calico = (await call<{ groupVersion: string; resources: { name: string; namespaced: boolean }[] }>(server.url, 'GET', '/apis/crd.projectcalico.org/v1')).body;
    expect(calico.groupVersion).toBe('crd.projectcalico.org/v1');
    expect(calico.resources.map((r) => r.name).sort()).toEqual(['clusterinformations', 'globalnetworkpolicies', 'ippools', 'ippools/status', 'networkpolicies', 'tiers', 'tiers/status']);
    expect((await call(server.url, 'GET', '/apis/projectcalico.org')).status).toBe(404);
  });

  it('can imitate a v3-CRD cluster: install the manifests under projectcalico.org/v3 and uninstall the v1 group', async () => {
    server.resources.registerCrd({ manifest: calicoCrdFile('ippools'), group: 'projectcalico.org', version: 'v3' });
    for (const p of ['ippools', 'networkpolicies', 'globalnetworkpolicies', 'tiers', 'clusterinformations']) server.resources.unregister('crd.projectcalico.org', p);
    const groups = (await call<{ groups: { name: string }[] }>(server.url, 'GET', '/apis')).body.groups.map((g) => g.name);
    expect(groups).toContain('projectcalico.org');
    expect(groups).not.toContain('crd.projectcalico.org');
    const r = await call<Doc>(server.url, 'POST', '/apis/projectcalico.org/v3/ippools', { ...ipPool('v3', '10.0.0.0/16'), apiVersion: 'projectcalico.org/v3' });
    expect(r.status).toBe(201);
    expect((await call<Doc>(server.url, 'GET', IPPOOLS)).status).toBe(404);
  });

  it('uninstalling a CRD drops its objects and ends its watches', async () => {
    server.store.seed(ipPool('gone', '10.0.0.0/16'));
    const w = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    server.resources.unregister('crd.projectcalico.org', 'ippools');
    expect(await w.ended()).toBe('closed');
    server.resources.registerCrd(calicoCrdFile('ippools'));
    expect((await call<{ items: unknown[] }>(server.url, 'GET', IPPOOLS)).body.items).toEqual([]);
  });
});

describe('request faults', () => {
  it('failNext answers the next matching request with a real-looking Status, then stops', async () => {
    server.faults.failNext(500, { match: { verb: 'create', resource: 'ippools' } });
    const other = await call(server.url, 'GET', IPPOOLS);
    expect(other.status).toBe(200);
    const failed = await call<Doc>(server.url, 'POST', IPPOOLS, ipPool('f', '10.0.0.0/16'));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect((await call(server.url, 'POST', IPPOOLS, ipPool('f', '10.0.0.0/16'))).status).toBe(201);
  });

  it('failNext 409 / 422 / 503 use the matching reasons; times repeats', async () => {
    server.faults.failNext(409, { match: { verb: 'update' } });
    server.faults.failNext(422, { match: { verb: 'patch' } });
    server.faults.failNext(503, { match: { verb: 'get' }, times: 2 });
    const created = (await call<Doc & { metadata: object }>(server.url, 'POST', IPPOOLS, ipPool('g', '10.0.0.0/16'))).body;
    expect((await call<Doc>(server.url, 'PUT', `${IPPOOLS}/g`, created)).body.reason).toBe('Conflict');
    expect((await call<Doc>(server.url, 'PATCH', `${IPPOOLS}/g`, {}, 'application/merge-patch+json')).body.reason).toBe('Invalid');
    expect((await call(server.url, 'GET', `${IPPOOLS}/g`)).status).toBe(503);
    expect((await call(server.url, 'GET', `${IPPOOLS}/g`)).status).toBe(503);
    expect((await call(server.url, 'GET', `${IPPOOLS}/g`)).status).toBe(200);
  });

  it('resetNext destroys the connection without an answer', async () => {
    server.faults.resetNext({ match: { resource: 'nodes' } });
    await expect(fetch(`${server.url}/api/v1/nodes`)).rejects.toThrow();
    expect((await call(server.url, 'GET', '/api/v1/nodes')).status).toBe(200);
  });

  it('pause holds matching requests until resume; delayNext delays one', async () => {
    const handle = server.faults.pause({ resource: 'nodes' });
    let settled = false;
    const pending = call(server.url, 'GET', '/api/v1/nodes').then((r) => ((settled = true), r));
    for (let i = 0; i < 100 && handle.waiting() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(handle.waiting()).toBe(1);
    expect(settled).toBe(false);
    expect((await call(server.url, 'GET', IPPOOLS)).status).toBe(200);
    handle.resume();
    expect((await pending).status).toBe(200);

    server.faults.delayNext(300, { match: { resource: 'nodes' } });
    const order: string[] = [];
    const delayed = call(server.url, 'GET', '/api/v1/nodes').then(() => order.push('delayed'));
    await call(server.url, 'GET', IPPOOLS).then(() => order.push('other'));
    await delayed;
    expect(order).toEqual(['other', 'delayed']);
  });

  it('records requests for assertions (method, verb, target, content type, body)', async () => {
    server.clearRequests();
    await call(server.url, 'PATCH', `${IPPOOLS}/none`, { spec: {} }, 'application/merge-patch+json');
    expect(server.requests).toEqual([
      {
        method: 'PATCH',
        path: `${IPPOOLS}/none`,
        query: {},
        verb: 'patch',
        resource: 'ippools',
        group: 'crd.projectcalico.org',
        name: 'none',
        contentType: 'application/merge-patch+json',
        userAgent: expect.any(String) as unknown,
        authorization: false,
        body: { spec: {} },
      },
    ]);
  });
});

describe('store access', () => {
  it('seeds objects with server fields and defaults, reads, lists and removes them', () => {
    const [pool] = server.store.seed(ipPool('seeded', '10.0.0.0/16'));
    expect(pool?.metadata?.uid).toBeTruthy();
    expect((pool?.spec as Doc).assignmentMode).toBe('Automatic');
    expect(server.store.get('crd.projectcalico.org/v1', 'IPPool', 'seeded')?.metadata?.resourceVersion).toBe(pool?.metadata?.resourceVersion);
    const [again] = server.store.seed({ ...ipPool('seeded', '10.0.0.0/16'), status: { conditions: [] } });
    expect(again?.metadata?.uid).toBe(pool?.metadata?.uid);
    expect(again?.status).toEqual({ conditions: [] });
    expect(server.store.list('v1', 'Namespace').map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(server.store.remove('crd.projectcalico.org/v1', 'IPPool', 'seeded')?.metadata?.name).toBe('seeded');
    expect(server.store.get('crd.projectcalico.org/v1', 'IPPool', 'seeded')).toBeUndefined();
    const rv = Number(server.store.resourceVersion());
    expect(Number(server.store.advanceResourceVersion(5))).toBe(rv + 5);
  });

  it('refuses kinds that are not installed', () => {
    expect(() => server.store.seed({ apiVersion: 'crd.projectcalico.org/v1', kind: 'BGPPeer', metadata: { name: 'x' } })).toThrow(/no resource installed/);
  });

  it('writes kubeconfig YAML for the server', () => {
    const yaml = server.kubeconfigYaml({ token: 't' });
    expect(yaml).toContain(`server: ${server.url}`);
    expect(yaml).toContain('token: t');
    expect(yaml).toContain('current-context: fake');
  });
});
