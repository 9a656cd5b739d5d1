import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer, type KubeObject } from './index.js';
import { call, IPPOOLS, ipPool } from './test-helpers.js';

type Obj = KubeObject & { code?: number; reason?: string; message?: string; details?: { causes?: { field?: string; reason?: string; message?: string }[] } };

let server: FakeApiServer;
beforeAll(async () => {
  server = await startFakeApiServer();
});
afterAll(async () => {
  await server.close();
});

const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';
const SMP = 'application/strategic-merge-patch+json';

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { os: 'linux' } }, spec: { podCIDR: '10.244.1.0/24' } });
const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations: { keep: 'me' } },
  spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
});

describe('merge patch', () => {
  it('merges objects and deletes keys set to null', async () => {
    await call(server.url, 'POST', IPPOOLS, ipPool('mp', '10.1.0.0/16', { natOutgoing: true }));
    const r = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/mp`, { metadata: { labels: { a: '1' } }, spec: { natOutgoing: null, disabled: true } }, MERGE);
    expect(r.status).toBe(200);
    expect(r.body.metadata?.labels).toEqual({ a: '1' });
    expect(r.body.spec).toMatchObject({ cidr: '10.1.0.0/16', disabled: true });
    expect((r.body.spec as Record<string, unknown>).natOutgoing).toBeUndefined();
    expect(r.body.metadata?.generation).toBe(2);
  });

  it('answers 400 "Invalid JSON Patch" for an array sent as merge patch', async () => {
    const r = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/mp`, [{ op: 'add', path: '/metadata/labels/b', value: '2' }], MERGE);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('Invalid JSON Patch');
  });

  it('answers 409 when the patch carries a stale resourceVersion', async () => {
    const r = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/mp`, { metadata: { resourceVersion: '1', labels: { c: '3' } } }, MERGE);
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('Conflict');
  });

  it('answers 422 field is immutable when the patch changes metadata.uid', async () => {
    const r = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/mp`, { metadata: { uid: '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b' } }, MERGE);
    expect(r.status).toBe(422);
    expect(r.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: "0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b": field is immutable', field: 'metadata.uid' }]);
  });

  it('answers 404 for a missing object', async () => {
    expect((await call(server.url, 'PATCH', `${IPPOOLS}/nope`, { spec: {} }, MERGE)).status).toBe(404);
  });
});

describe('JSON patch', () => {
  it('applies add/replace/remove and a passing test op', async () => {
    const created = (await call<Obj>(server.url, 'POST', '/api/v1/nodes', node('jp'))).body;
    const rv = created.metadata?.resourceVersion;
    const r = await call<Obj>(
      server.url,
      'PATCH',
      '/api/v1/nodes/jp',
      [
        { op: 'test', path: '/metadata/resourceVersion', value: rv },
        { op: 'add', path: '/metadata/annotations', value: { 'projectcalico.org/IPv4Address': '10.0.0.1/24' } },
        { op: 'replace', path: '/metadata/labels/os', value: 'windows' },
        { op: 'remove', path: '/spec/podCIDR' },
      ],
      JSONP,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata?.annotations).toEqual({ 'projectcalico.org/IPv4Address': '10.0.0.1/24' });
    expect(r.body.metadata?.labels).toEqual({ os: 'windows' });
    expect((r.body.spec as Record<string, unknown>).podCIDR).toBeUndefined();
  });

  it('answers 422 when a test op fails', async () => {
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/nodes/jp', [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }], JSONP);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    // The real server drops the patch library's detail: a generic message and empty details.
    expect(r.body.message).toBe('the server rejected our request due to an error in our request');
    expect(r.body.details).toEqual({});
  });

  it('answers 404 for a missing object before applying the patch', async () => {
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/nodes/absent', [{ op: 'remove', path: '/spec/x' }], JSONP);
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('nodes "absent" not found');
  });

  it('answers 400 when the body is an object, not a JSON Patch array', async () => {
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/nodes/jp', { metadata: {} }, JSONP);
    expect(r.status).toBe(400);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name and finalizers as a set', async () => {
    await call(server.url, 'POST', '/api/v1/namespaces/default/pods', pod('smp'));
    const r = await call<Obj>(
      server.url,
      'PATCH',
      '/api/v1/namespaces/default/pods/smp',
      { metadata: { finalizers: ['a.io/x'] }, spec: { containers: [{ name: 'b', image: 'z' }] } },
      SMP,
    );
    expect(r.status).toBe(200);
    const containers = (r.body.spec as { containers: { name: string; image: string }[] }).containers;
    expect(containers.map((c) => [c.name, c.image])).toEqual([
      ['a', 'x'],
      ['b', 'z'],
    ]);
    expect(r.body.metadata?.finalizers).toEqual(['a.io/x']);
    const again = await call<Obj>(server.url, 'PATCH', '/api/v1/namespaces/default/pods/smp', { metadata: { finalizers: ['a.io/y', 'a.io/x'] } }, SMP);
    expect(again.body.metadata?.finalizers).toEqual(['a.io/x', 'a.io/y']);
  });

  it('removing a container is a forbidden Pod spec change (422)', async () => {
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/namespaces/default/pods/smp', { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }, SMP);
    expect(r.status).toBe(422);
  });

  it('merges status conditions by type and honours $patch: delete', async () => {
    server.store.seed({ ...pod('cond'), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } });
    const r = await call<Obj>(
      server.url,
      'PATCH',
      '/api/v1/namespaces/default/pods/cond/status',
      { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', $patch: 'delete' }] } },
      SMP,
    );
    expect(r.status).toBe(200);
    expect((r.body.status as { conditions: unknown[] }).conditions).toEqual([{ type: 'Ready', status: 'True' }]);
  });

  it('is refused for custom resources with 415 and the accepted types', async () => {
    const r = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/mp`, { metadata: { labels: { s: '1' } } }, SMP);
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
    expect(r.body.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('unknown patch content types are 415', async () => {
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/nodes/jp', { metadata: {} }, 'application/json');
    expect(r.status).toBe(415);
  });

  it('patches pods/status persisting annotations, honouring metadata.uid / resourceVersion', async () => {
    const created = (await call<Obj>(server.url, 'POST', '/api/v1/namespaces/default/pods', pod('cni'))).body;
    const patch = {
      metadata: { uid: created.metadata?.uid, resourceVersion: created.metadata?.resourceVersion, annotations: { 'cni.projectcalico.org/podIP': '10.0.0.5/32' } },
      spec: { nodeName: 'elsewhere' },
    };
    const r = await call<Obj>(server.url, 'PATCH', '/api/v1/namespaces/default/pods/cni/status', patch, SMP);
    expect(r.status).toBe(200);
    expect(r.body.metadata?.annotations).toEqual({ keep: 'me', 'cni.projectcalico.org/podIP': '10.0.0.5/32' });
    expect((r.body.spec as { nodeName: string }).nodeName).toBe('n1');
    const stale = await call<Obj>(server.url, 'PATCH', '/api/v1/namespaces/default/pods/cni/status', patch, SMP);
    expect(stale.status).toBe(409);
    const wrongUid = await call<Obj>(server.url, 'PATCH', '/api/v1/namespaces/default/pods/cni/status', { metadata: { uid: '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b' } }, SMP);
    expect(wrongUid.status).toBe(422);
    expect(wrongUid.body.details?.causes?.map((c) => c.field)).toEqual(['metadata.uid']);
  });
});

describe('status subresource', () => {
  it('custom resources: main update ignores status, /status update ignores everything else', async () => {
    const created = (await call<Obj>(server.url, 'POST', IPPOOLS, { ...ipPool('st', '10.9.0.0/16'), status: { conditions: [] } })).body;
    expect(created.status).toBeUndefined();
    const withStatus = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/st/status`, {
      ...created,
      metadata: { ...created.metadata, labels: { ignored: 'yes' } },
      spec: { cidr: '10.99.0.0/16' },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'r', message: 'm' }] },
    });
    expect(withStatus.status).toBe(200);
    expect(withStatus.body.metadata?.labels).toBeUndefined();
    expect((withStatus.body.spec as { cidr: string }).cidr).toBe('10.9.0.0/16');
    expect((withStatus.body.status as { conditions: unknown[] }).conditions).toHaveLength(1);
    expect(withStatus.body.metadata?.generation).toBe(1);
    const main = await call<Obj>(server.url, 'PUT', `${IPPOOLS}/st`, { ...withStatus.body, status: { conditions: [] }, spec: { ...(withStatus.body.spec as object), disabled: true } });
    expect((main.body.status as { conditions: unknown[] }).conditions).toHaveLength(1);
    expect(main.body.metadata?.generation).toBe(2);
  });

  it('/status of a CRD without the subresource is 404 (GlobalNetworkPolicy)', async () => {
    const r = await call<Obj>(server.url, 'PUT', '/apis/crd.projectcalico.org/v1/globalnetworkpolicies/x/status', { metadata: { name: 'x' } });
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('the server could not find the requested resource');
  });

  it('without a status subresource, status is an ordinary field', async () => {
    const gnp = { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: { selector: 'all()' } };
    const created = (await call<Obj>(server.url, 'POST', '/apis/crd.projectcalico.org/v1/globalnetworkpolicies', gnp)).body;
    expect(created.metadata?.name).toBe('g');
  });

  it('nodes/status persists metadata changes but not spec changes', async () => {
    const created = (await call<Obj>(server.url, 'POST', '/api/v1/nodes', node('ns1'))).body;
    const r = await call<Obj>(server.url, 'PUT', '/api/v1/nodes/ns1/status', {
      ...created,
      metadata: { ...created.metadata, annotations: { 'projectcalico.org/IPv4Address': '10.0.0.9/24' } },
      spec: { podCIDR: '10.244.9.0/24' },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.9' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.metadata?.annotations).toEqual({ 'projectcalico.org/IPv4Address': '10.0.0.9/24' });
    expect((r.body.spec as { podCIDR: string }).podCIDR).toBe('10.244.1.0/24');
    expect(r.body.status).toEqual({ addresses: [{ type: 'InternalIP', address: '10.0.0.9' }] });
  });

  it('a main Node update keeps the stored status', async () => {
    const current = (await call<Obj>(server.url, 'GET', '/api/v1/nodes/ns1')).body;
    const r = await call<Obj>(server.url, 'PUT', '/api/v1/nodes/ns1', { ...current, status: {} });
    expect(r.body.status).toEqual({ addresses: [{ type: 'InternalIP', address: '10.0.0.9' }] });
  });
});
