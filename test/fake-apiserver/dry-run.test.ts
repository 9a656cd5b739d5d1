import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, ipPool, IPPOOLS, openWatch } from './test-helpers.js';

type Obj = { metadata: { name: string; uid?: string; resourceVersion?: string; generation?: number; deletionTimestamp?: string }; spec?: Record<string, unknown> };
type Invalid = { code: number; reason: string; message: string; details: { kind: string; group: string; causes: { field: string; message: string }[] } };

describe('dryRun=All', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('create, update, patch and delete validate and answer but store nothing, use no revision and send no events', async () => {
    const existing = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('kept', '10.0.0.0/16'))).body;
    const watch = await openWatch(server.url, `${IPPOOLS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    const rv = server.store.resourceVersion();

    const created = await call<Obj>(server.url, 'POST', `${IPPOOLS}?dryRun=All`, ipPool('ghost', '10.9.0.0/16'));
    expect(created.status).toBe(201);
    expect(created.body.metadata.uid).toBeTruthy();
    expect(created.body.metadata.resourceVersion).toBeUndefined();
    expect((await call(server.url, 'GET', `${IPPOOLS}/ghost`)).status).toBe(404);

    const bad = await call<Invalid>(server.url, 'POST', `${IPPOOLS}?dryRun=All`, ipPool('bad', 'not-a-cidr'));
    expect(bad.status).toBe(422);

    const updated = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/kept?dryRun=All`, { ...ipPool('kept', '10.0.0.0/16', { blockSize: 28 }), metadata: { name: 'kept', resourceVersion: existing.metadata.resourceVersion } });
    expect(updated.status).toBe(200);
    expect(updated.body.spec?.blockSize).toBe(28);
    expect(updated.body.metadata.resourceVersion).toBe(existing.metadata.resourceVersion);
    expect(updated.body.metadata.generation).toBe(2);

    const patched = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/kept?dryRun=All`, { spec: { disabled: true } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.body.spec?.disabled).toBe(true);

    const applied = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/ghost2?dryRun=All&fieldManager=kubectl`, ipPool('ghost2', '10.8.0.0/16'), 'application/apply-patch+yaml');
    expect(applied.status).toBe(201);

    const deleted = await call(server.url, 'DELETE', `${IPPOOLS}/kept?dryRun=All`);
    expect(deleted.status).toBe(200);
    const viaBody = await call(server.url, 'DELETE', `${IPPOOLS}/kept`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] });
    expect(viaBody.status).toBe(200);

    expect(server.store.resourceVersion()).toBe(rv);
    const stored = (await call<Obj>(server.url, 'GET', `${IPPOOLS}/kept`)).body;
    expect(stored.spec).toEqual(existing.spec);
    expect(stored.metadata.resourceVersion).toBe(existing.metadata.resourceVersion);
    server.store.seed(ipPool('marker', '10.7.0.0/16'));
    const [first] = await watch.take(1);
    expect(first?.object.metadata?.name).toBe('marker');
    watch.close();
  });

  it('a dry-run CRD create is not established; a dry-run Namespace delete keeps its content', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'things.example.com' },
      spec: { group: 'example.com', names: { kind: 'Thing', plural: 'things' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    };
    expect((await call(server.url, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All', crd)).status).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    expect((await call(server.url, 'GET', '/apis/example.com/v1')).status).toBe(404);
    expect((await call(server.url, 'DELETE', '/api/v1/namespaces/default?dryRun=All')).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status).toBe(200);
  });

  it('rejects other dryRun values with the options kind in a 422, as the server words it', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', `${IPPOOLS}?dryRun=Yes`, ipPool('x', '10.1.0.0/16'), 'CreateOptions'],
      ['PUT', `${IPPOOLS}/x?dryRun=true`, ipPool('x', '10.1.0.0/16'), 'UpdateOptions'],
      ['PATCH', `${IPPOOLS}/x?dryRun=All&dryRun=Some`, {}, 'PatchOptions'],
      ['DELETE', `${IPPOOLS}/x?dryRun=1`, undefined, 'DeleteOptions'],
    ];
    for (const [method, path, body, kind] of cases) {
      const res = await call<Invalid>(server.url, method, path, body, method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
      expect(res.status, path).toBe(422);
      expect(res.body.details).toMatchObject({ kind, group: 'meta.k8s.io' });
      const values = new URLSearchParams(path.split('?')[1]).getAll('dryRun');
      expect(res.body.message).toBe(`${kind}.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(', ')}}: supported values: "All"`);
    }
  });
});
