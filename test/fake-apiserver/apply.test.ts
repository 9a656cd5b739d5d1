/**
 * Server-side apply and `managedFields`: Apply and Update entries in `FieldsV1`, conflicts between
 * managers with the real 409 wording, shared ownership of equal values, `force`, removal of
 * fields an applier drops, associative lists of built-in kinds, and the PatchOptions checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, IPPOOLS, ipPool } from './test-helpers.js';
import type { JsonObject, KubeObject } from './types.js';

type Obj = KubeObject & { code?: number; reason?: string; message?: string; details?: { causes?: JsonObject[] } };

const APPLY = 'application/apply-patch+yaml';
let server: FakeApiServer;
beforeAll(async () => {
  server = await startFakeApiServer();
});
afterAll(async () => {
  await server.close();
});

const apply = (path: string, manager: string, obj: KubeObject, force = false) =>
  call<Obj>(server.url, 'PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, stringify(obj), APPLY);
const entries = (o: Obj): JsonObject[] => (o.metadata?.managedFields ?? []).map(({ time: _t, ...rest }) => rest);

describe('server-side apply', () => {
  it('checks PatchOptions: apply needs fieldManager, force is for apply only', async () => {
    const noManager = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/opts`, stringify(ipPool('opts', '10.9.0.0/16')), APPLY);
    expect(noManager.status).toBe(422);
    expect(noManager.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const force = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/opts?force=true`, { spec: {} }, 'application/merge-patch+json');
    expect(force.status).toBe(422);
    expect(force.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('creates with an Apply entry, and an identical apply is a no-op', async () => {
    const created = await apply(`${IPPOOLS}/pool-a`, 'alice', ipPool('pool-a', '10.1.0.0/16', { ipipMode: 'Always' }));
    expect(created.status).toBe(201);
    expect(entries(created.body)).toEqual([
      { manager: 'alice', operation: 'Apply', apiVersion: 'crd.projectcalico.org/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:cidr': {}, 'f:ipipMode': {} } } },
    ]);
    const again = await apply(`${IPPOOLS}/pool-a`, 'alice', ipPool('pool-a', '10.1.0.0/16', { ipipMode: 'Always' }));
    expect(again.status).toBe(200);
    expect(again.body.metadata?.resourceVersion).toBe(created.body.metadata?.resourceVersion);
  });

  it('answers 409 when another manager owns a field the apply would change, and shares equal values', async () => {
    const conflict = await apply(`${IPPOOLS}/pool-a`, 'bob', ipPool('pool-a', '10.2.0.0/16'));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "alice": .spec.cidr',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.cidr' }] },
    });
    const shared = await apply(`${IPPOOLS}/pool-a`, 'bob', ipPool('pool-a', '10.1.0.0/16'));
    expect(shared.status).toBe(200);
    expect(entries(shared.body).map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['alice', { 'f:spec': { 'f:cidr': {}, 'f:ipipMode': {} } }],
      ['bob', { 'f:spec': { 'f:cidr': {} } }],
    ]);
  });

  it('records other writes as Update entries that take the fields they change, and conflicts name them', async () => {
    const patched = await call<Obj>(server.url, 'PATCH', `${IPPOOLS}/pool-a?fieldManager=carol`, { spec: { ipipMode: 'CrossSubnet', natOutgoing: true } }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    expect(entries(patched.body).map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ['alice', 'Apply', { 'f:spec': { 'f:cidr': {} } }],
      ['bob', 'Apply', { 'f:spec': { 'f:cidr': {} } }],
      ['carol', 'Update', { 'f:spec': { 'f:ipipMode': {}, 'f:natOutgoing': {} } }],
    ]);
    const two = await apply(`${IPPOOLS}/pool-a`, 'alice', ipPool('pool-a', '10.1.0.0/16', { ipipMode: 'Always', natOutgoing: false }));
    expect(two.status).toBe(409);
    expect(two.body.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "carol" using crd.projectcalico.org/v1:\n- .spec.ipipMode\n- .spec.natOutgoing',
    );
    const forced = await apply(`${IPPOOLS}/pool-a`, 'alice', ipPool('pool-a', '10.1.0.0/16', { ipipMode: 'Always', natOutgoing: false }), true);
    expect(forced.status).toBe(200);
    expect(forced.body.spec).toMatchObject({ ipipMode: 'Always', natOutgoing: false });
    expect(entries(forced.body).map((e) => e.manager)).toEqual(['alice', 'bob']);
  });

  it('removes fields an applier leaves out, unless another manager holds them', async () => {
    const dropped = await apply(`${IPPOOLS}/pool-a`, 'alice', ipPool('pool-a', '10.1.0.0/16', { natOutgoing: false }));
    expect(dropped.status).toBe(200);
    expect((dropped.body.spec as JsonObject).ipipMode).toBeUndefined();
    const bobLeaves = await apply(`${IPPOOLS}/pool-a`, 'bob', { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { natOutgoing: false } });
    expect(bobLeaves.status).toBe(200);
    // alice still owns cidr, so bob leaving it out does not remove it.
    expect((bobLeaves.body.spec as JsonObject).cidr).toBe('10.1.0.0/16');
  });

  it('tracks associative lists of built-in kinds by key and names items in conflicts', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
    };
    const created = await apply('/api/v1/namespaces/default/pods/web', 'alice', pod);
    expect(created.status).toBe(201);
    expect(entries(created.body)[0]?.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
    const other = await apply('/api/v1/namespaces/default/pods/web', 'bob', { ...pod, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } });
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.containers[name="app"].image');
  });
});
