import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './index.js';
import { call, IPPOOLS, ipPool } from './test-helpers.js';

let server: FakeApiServer;
beforeAll(async () => {
  server = await startFakeApiServer();
});
afterAll(async () => {
  await server.close();
});

type Obj = KubeObject & { code?: number; reason?: string; message?: string; details?: Record<string, unknown> };

describe('create', () => {
  it('answers 201 with uid, creationTimestamp, generation 1 and a resourceVersion from the global counter', async () => {
    const before = Number(server.store.resourceVersion());
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('create-a', '10.1.0.0/16'));
    expect(r.status).toBe(201);
    const m = r.body.metadata ?? {};
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(m.generation).toBe(1);
    expect(Number(m.resourceVersion)).toBe(before + 1);
    expect(r.body.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(r.body.kind).toBe('IPPool');
  });

  it('ignores client-supplied uid and creationTimestamp', async () => {
    const body = ipPool('create-b', '10.2.0.0/16');
    body.metadata = { name: 'create-b', uid: '11111111-1111-4111-8111-111111111111', creationTimestamp: '2001-01-01T00:00:00Z' };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(201);
    expect(r.body.metadata?.uid).not.toBe('11111111-1111-4111-8111-111111111111');
    expect(r.body.metadata?.creationTimestamp).not.toBe('2001-01-01T00:00:00Z');
  });

  it('answers 409 AlreadyExists with the real Status shape', async () => {
    await call(server.url, 'POST', IPPOOLS, ipPool('dup', '10.3.0.0/16'));
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('dup', '10.3.0.0/16'));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'ippools.crd.projectcalico.org "dup" already exists',
      reason: 'AlreadyExists',
      details: { name: 'dup', group: 'crd.projectcalico.org', kind: 'ippools' },
      code: 409,
    });
  });

  it('rejects a resourceVersion on create like the storage layer (500, no reason)', async () => {
    const body = ipPool('with-rv', '10.4.0.0/16');
    body.metadata = { name: 'with-rv', resourceVersion: '5' };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(500);
    expect(r.body.message).toBe('resourceVersion should not be set on objects to be created');
    expect(r.body.reason).toBeUndefined();
  });

  it('rejects an apiVersion that does not match the URL with 400', async () => {
    const body = { ...ipPool('bad-av', '10.5.0.0/16'), apiVersion: 'projectcalico.org/v3' };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    expect(r.body.message).toContain('does not match the expected API version (crd.projectcalico.org/v1)');
  });

  it('rejects a wrong kind for a custom resource with 422 on field kind', async () => {
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, { ...ipPool('bad-kind', '10.6.0.0/16'), kind: 'Tier' });
    expect(r.status).toBe(422);
    expect((r.body.details?.causes as { field: string }[]).map((c) => c.field)).toContain('kind');
  });

  it('names an object from generateName', async () => {
    const body = ipPool('', '10.7.0.0/16');
    body.metadata = { generateName: 'gen-' };
    const r = await call<Obj>(server.url, 'POST', IPPOOLS, body);
    expect(r.status).toBe(201);
    expect(r.body.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('requires an existing namespace for namespaced kinds (404 for the namespace)', async () => {
    const r = await call<Obj>(server.url, 'POST', '/api/v1/namespaces/nowhere/serviceaccounts', { metadata: { name: 'sa' } });
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nowhere" not found');
    expect(r.body.details).toEqual({ name: 'nowhere', kind: 'namespaces' });
  });

  it('rejects a body namespace that differs from the URL with 400', async () => {
    const r = await call<Obj>(server.url, 'POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'sa', namespace: 'kube-system' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });
});

describe('get', () => {
  it('returns the object with apiVersion and kind', async () => {
    await call(server.url, 'POST', IPPOOLS, ipPool('get-a', '10.10.0.0/16'));
    const r = await call<Obj>(server.url, 'GET', `${IPPOOLS}/get-a`);
    expect(r.status).toBe(200);
    expect(r.body.metadata?.name).toBe('get-a');
    expect((r.body.spec as Record<string, unknown>).cidr).toBe('10.10.0.0/16');
  });

  it('answers 404 NotFound as a Status naming the object', async () => {
    const r = await call<Obj>(server.url, 'GET', `${IPPOOLS}/missing`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'ippools.crd.projectcalico.org "missing" not found',
      reason: 'NotFound',
      details: { name: 'missing', group: 'crd.projectcalico.org', kind: 'ippools' },
      code: 404,
    });
  });

  it('names core resources without a group', async () => {
    const r = await call<Obj>(server.url, 'GET', '/api/v1/nodes/none');
    expect(r.body.message).toBe('nodes "none" not found');
    expect(r.body.details).toEqual({ name: 'none', kind: 'nodes' });
  });

  it('answers 404 "could not find the requested resource" for uninstalled resources', async () => {
    const r = await call<Obj>(server.url, 'GET', '/apis/crd.projectcalico.org/v1/bgppeers');
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('the server could not find the requested resource');
    expect(r.body.details).toEqual({});
  });

  it('waits for a future resourceVersion and then answers 504 Too large resource version', async () => {
    const s = await startFakeApiServer({ tooLargeResourceVersionWaitMs: 50, clusterBootstrap: false });
    try {
      s.store.seed(ipPool('p', '10.0.0.0/16'));
      const future = Number(s.store.resourceVersion()) + 100;
      const r = await call<Obj>(s.url, 'GET', `${IPPOOLS}/p?resourceVersion=${future}`);
      expect(r.status).toBe(504);
      expect(r.body.reason).toBe('Timeout');
      expect(r.body.details?.causes).toEqual([{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
    } finally {
      await s.close();
    }
  });
});

describe('update', () => {
  it('bumps resourceVersion and generation on spec change, keeps uid and creationTimestamp', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-a', '10.20.0.0/16'))).body;
    const next = { ...created, spec: { ...(created.spec as object), disabled: true } };
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-a`, next);
    expect(r.status).toBe(200);
    expect(Number(r.body.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    expect(r.body.metadata?.generation).toBe(2);
    expect(r.body.metadata?.uid).toBe(created.metadata?.uid);
    expect(r.body.metadata?.creationTimestamp).toBe(created.metadata?.creationTimestamp);
  });

  it('does not bump generation for metadata-only changes', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-meta', '10.21.0.0/16'))).body;
    const next = { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } };
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-meta`, next);
    expect(r.body.metadata?.generation).toBe(1);
    expect(r.body.metadata?.labels).toEqual({ a: 'b' });
  });

  it('answers 409 Conflict for a stale resourceVersion', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-b', '10.22.0.0/16'))).body;
    await call(server.url, 'PUT', `${IPPOOLS}/upd-b`, { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-b`, created);
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('Conflict');
    expect(r.body.message).toBe(
      'Operation cannot be fulfilled on ippools.crd.projectcalico.org "upd-b": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('rejects a custom-resource update without resourceVersion (422 on metadata.resourceVersion)', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-c', '10.23.0.0/16'))).body;
    const meta = { ...created.metadata };
    delete meta.resourceVersion;
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-c`, { ...created, metadata: meta });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('IPPool.crd.projectcalico.org "upd-c" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    expect(r.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]);
  });

  it('allows an unconditional update of built-in kinds', async () => {
    await call(server.url, 'POST', '/api/v1/nodes', { metadata: { name: 'uncond' } });
    const r = await call<Obj>(server.url, 'PUT', '/api/v1/nodes/uncond', { metadata: { name: 'uncond', labels: { z: '1' } } });
    expect(r.status).toBe(200);
    expect(r.body.metadata?.labels).toEqual({ z: '1' });
  });

  it('answers 409 "Precondition failed: UID in precondition" when the body uid differs', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-d', '10.24.0.0/16'))).body;
    const other = '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b';
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-d`, { ...created, metadata: { ...created.metadata, uid: other } });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(
      `Operation cannot be fulfilled on ippools.crd.projectcalico.org "upd-d": Precondition failed: UID in precondition: ${other}, UID in object meta: ${created.metadata?.uid}`,
    );
  });

  it('treats an unchanged object as a no-op (same resourceVersion)', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-e', '10.25.0.0/16'))).body;
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-e`, created);
    expect(r.status).toBe(200);
    expect(r.body.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
  });

  it('answers 400 when the body name differs from the URL', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('upd-f', '10.26.0.0/16'))).body;
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/upd-f`, { ...created, metadata: { ...created.metadata, name: 'other' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the name of the object (other) does not match the name on the URL (upd-f)');
  });

  it('answers 404 for an update of a missing object', async () => {
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/ghost`, { ...ipPool('ghost', '10.27.0.0/16'), metadata: { name: 'ghost', resourceVersion: '5' } });
    expect(r.status).toBe(404);
  });
});

describe('delete', () => {
  it('deletes a custom resource and answers a Success Status with the uid', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('del-a', '10.30.0.0/16'))).body;
    const r = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/del-a`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'del-a', group: 'crd.projectcalico.org', kind: 'ippools', uid: created.metadata?.uid },
    });
    expect((await call(server.url, 'GET', `${IPPOOLS}/del-a`)).status).toBe(404);
  });

  it('returns the deleted Pod (kinds with ReturnDeletedObject) with the deletion resourceVersion', async () => {
    const pod = { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = (await call<Obj>(server.url, 'POST', '/api/v1/namespaces/default/pods', pod)).body;
    const r = await call<Obj>(server.url, 'DELETE', '/api/v1/namespaces/default/pods/p1');
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('Pod');
    expect(Number(r.body.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
  });

  it('honours preconditions.uid and preconditions.resourceVersion with the real 409 messages', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, ipPool('del-b', '10.31.0.0/16'))).body;
    const uid = created.metadata?.uid;
    const rv = created.metadata?.resourceVersion;
    const badUid = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/del-b`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-it' } });
    expect(badUid.status).toBe(409);
    expect(badUid.body.message).toBe(
      `Operation cannot be fulfilled on ippools.crd.projectcalico.org "del-b": Precondition failed: UID in precondition: not-it, UID in object meta: ${uid}`,
    );
    const badRv = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/del-b`, { preconditions: { uid, resourceVersion: '1' } });
    expect(badRv.status).toBe(409);
    expect(badRv.body.message).toBe(
      `Operation cannot be fulfilled on ippools.crd.projectcalico.org "del-b": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${rv}`,
    );
    const ok = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/del-b`, { preconditions: { uid, resourceVersion: rv } });
    expect(ok.status).toBe(200);
  });

  it('defers deletion while finalizers remain, then deletes when they are removed', async () => {
    const body = ipPool('del-c', '10.32.0.0/16');
    body.metadata = { name: 'del-c', finalizers: ['example.com/hold'] };
    await call(server.url, 'POST', IPPOOLS, body);
    const d = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/del-c`);
    expect(d.status).toBe(200);
    expect(d.body.metadata?.deletionTimestamp).toBeTruthy();
    expect(d.body.metadata?.generation).toBe(2);
    const still = await call<Obj>(server.url, 'GET', `${IPPOOLS}/del-c`);
    expect(still.status).toBe(200);
    const r = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/del-c`, { ...still.body, metadata: { ...still.body.metadata, finalizers: [] } });
    expect(r.status).toBe(200);
    expect((await call(server.url, 'GET', `${IPPOOLS}/del-c`)).status).toBe(404);
  });

  it('answers 404 for a missing object', async () => {
    const r = await call<Obj>(server.url, 'DELETE', `${IPPOOLS}/never`);
    expect(r.status).toBe(404);
    expect(r.body.reason).toBe('NotFound');
  });

  it('deleting a namespace deletes what it contains', async () => {
    await call(server.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await call(server.url, 'POST', '/api/v1/namespaces/doomed/serviceaccounts', { metadata: { name: 'x' } });
    const d = await call<Obj>(server.url, 'DELETE', '/api/v1/namespaces/doomed');
    expect(d.status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/namespaces/doomed/serviceaccounts/x')).status).toBe(404);
  });
});

describe('built-in defaults', () => {
  it('defaults Pods like the API server and admission (service account, port protocol, phase)', async () => {
    const pod = { metadata: { name: 'dflt' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }] }] }, status: { podIP: '10.0.0.1' } };
    const r = await call<Obj>(server.url, 'POST', '/api/v1/namespaces/default/pods', pod);
    expect(r.status).toBe(201);
    const spec = r.body.spec as { serviceAccountName: string; containers: { ports: { protocol: string }[]; imagePullPolicy: string }[] };
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.containers[0]?.ports[0]?.protocol).toBe('TCP');
    expect(spec.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    expect(r.body.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('labels Namespaces with kubernetes.io/metadata.name and creates their default ServiceAccount', async () => {
    const r = await call<Obj>(server.url, 'POST', '/api/v1/namespaces', { metadata: { name: 'fresh', labels: { team: 'a' } } });
    expect(r.body.metadata?.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'fresh' });
    expect((await call(server.url, 'GET', '/api/v1/namespaces/fresh/serviceaccounts/default')).status).toBe(200);
  });

  it('defaults NetworkPolicy policyTypes from the rules and port protocols', async () => {
    const np = { metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
    const r = await call<Obj>(server.url, 'POST', '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', np);
    const spec = r.body.spec as { policyTypes: string[]; egress: { ports: { protocol: string }[] }[] };
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress[0]?.ports[0]?.protocol).toBe('TCP');
    expect(r.body.metadata?.generation).toBe(1);
  });

  it('refuses Pod spec changes on update (422 Forbidden on spec)', async () => {
    const pod = { metadata: { name: 'immut' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = (await call<Obj>(server.url, 'POST', '/api/v1/namespaces/default/pods', pod)).body;
    const r = await call<Obj>(server.url, 'PUT', '/api/v1/namespaces/default/pods/immut', { ...created, spec: { ...(created.spec as object), nodeName: 'n9' } });
    expect(r.status).toBe(422);
    expect((r.body.details?.causes as { field: string; reason: string }[])[0]).toMatchObject({ field: 'spec', reason: 'FieldValueForbidden' });
  });
});
