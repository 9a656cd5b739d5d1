import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { call, openWatch } from './test-helpers.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function widgetCrd(overrides: { name?: string; spec?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: overrides.name ?? 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } }, status: { type: 'object' } },
            },
          },
        },
      ],
      ...overrides.spec,
    },
  };
}

type Cause = { reason: string; message: string; field: string };
type Invalid = { code: number; reason: string; message: string; details: { causes: Cause[] } };

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}

describe('CustomResourceDefinition API', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer({ calicoCrds: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists the Calico CRDs installed at startup as established objects', async () => {
    const s = await startFakeApiServer({ calicoCrds: ['ippools'] });
    try {
      const list = await call<{ items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[]; storedVersions: string[] } }[] }>(s.url, 'GET', CRDS);
      expect(list.body.items.map((i) => i.metadata.name)).toEqual(['ippools.crd.projectcalico.org']);
      const crd = list.body.items[0];
      expect(crd?.status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['NamesAccepted=True', 'Established=True']);
      expect(crd?.status.storedVersions).toEqual(['v1']);
    } finally {
      await s.close();
    }
  });

  it('creates a CRD, establishes it, serves its resource and defaults names and conversion', async () => {
    const created = await call<{ metadata: { generation: number }; spec: { names: Record<string, string>; conversion: unknown } }>(server.url, 'POST', CRDS, widgetCrd());
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.spec.names).toMatchObject({ singular: 'widget', listKind: 'WidgetList' });
    expect(created.body.spec.conversion).toEqual({ strategy: 'None' });
    await until(async () => (await call(server.url, 'GET', '/apis/example.com/v1')).status === 200);
    const crd = await call<{ status: { acceptedNames: Record<string, string>; conditions: { type: string; reason: string }[] } }>(server.url, 'GET', `${CRDS}/widgets.example.com`);
    expect(crd.body.status.acceptedNames).toMatchObject({ kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' });
    expect(crd.body.status.conditions.map((c) => c.reason)).toEqual(['NoConflicts', 'InitialNamesAccepted']);
    const disc = await call<{ resources: { name: string }[] }>(server.url, 'GET', '/apis/example.com/v1');
    expect(disc.body.resources.map((r) => r.name)).toEqual(['widgets', 'widgets/status']);
    const w = await call(server.url, 'POST', '/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 0 } });
    expect(w.status).toBe(422);
    expect((w.body as unknown as Invalid).details.causes[0]?.field).toBe('spec.size');
  });

  it("ignores a creator's status: the controllers start from an empty one", async () => {
    const body = { ...widgetCrd({ name: 'gizmos.example.com', spec: { names: { kind: 'Gizmo', plural: 'gizmos' } } }), status: { storedVersions: ['v0'], conditions: [{ type: 'Bogus', status: 'True', reason: 'X', message: 'x', lastTransitionTime: '2020-01-01T00:00:00Z' }] } };
    expect((await call(server.url, 'POST', CRDS, body)).status).toBe(201);
    let status: { storedVersions?: string[]; conditions?: { type: string }[] } = {};
    await until(async () => {
      status = (await call<{ status: typeof status }>(server.url, 'GET', `${CRDS}/gizmos.example.com`)).body.status;
      return (status.conditions ?? []).some((c) => c.type === 'Established');
    });
    expect(status.storedVersions).toEqual(['v1']);
    expect(status.conditions?.map((c) => c.type)).toEqual(['NamesAccepted', 'Established']);
    expect((await call(server.url, 'DELETE', `${CRDS}/gizmos.example.com`)).status).toBe(200);
  });

  it('rejects what the apiextensions server rejects, with its paths and wording', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [widgetCrd({ name: 'gadgets.example.com' }), 'metadata.name', 'Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group'],
      [widgetCrd({ spec: { scope: 'Global' } }), 'spec.scope', 'Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
      [widgetCrd({ name: 'widgets.example', spec: { group: 'example' } }), 'spec.group', 'Invalid value: "example": should be a domain with at least one dot'],
      [
        widgetCrd({ spec: { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { size: { type: 'integer' } } } } } } }] } }),
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
        'Required value: must not be empty for specified object fields',
      ],
      [
        widgetCrd({ spec: { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', anyOf: [{ type: 'object', description: 'x' }] } } } } }] } }),
        'spec.versions[0].schema.openAPIV3Schema.properties[spec].anyOf[0].type',
        'Forbidden: must be empty to be structural',
      ],
      [widgetCrd({ spec: { versions: [{ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } }] } }), 'spec.versions', 'must have exactly one version marked as storage version'],
      [
        widgetCrd({ spec: { versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }, { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } }),
        'spec.versions',
        'must have exactly one version marked as storage version',
      ],
      [widgetCrd({ spec: { versions: [{ name: 'v1', served: true, storage: true }] } }), 'spec.versions[0].schema.openAPIV3Schema', 'Required value'],
    ];
    for (const [body, field, message] of cases) {
      const res = await call<Invalid>(server.url, 'POST', CRDS, body);
      expect(res.status, field).toBe(422);
      expect(res.body.reason).toBe('Invalid');
      const cause = res.body.details.causes.find((c) => c.field === field);
      expect(cause?.message, JSON.stringify(res.body.details.causes)).toContain(message);
      expect(res.body.message).toContain(`CustomResourceDefinition.apiextensions.k8s.io "${String((body.metadata as { name: string }).name)}" is invalid: `);
    }
    expect((await call(server.url, 'GET', `${CRDS}/gadgets.example.com`)).status).toBe(404);
  });

  it('creating a CRD whose name is taken answers 409 AlreadyExists', async () => {
    await until(async () => (await call(server.url, 'GET', '/apis/example.com/v1')).status === 200);
    const other = widgetCrd({ name: 'widgets.example.com' });
    const res = await call(server.url, 'POST', CRDS, other);
    expect(res.status).toBe(409);
    expect((res.body as { reason: string }).reason).toBe('AlreadyExists');
  });

  it('updates re-serve the versions: a new served version appears, an unserved one goes; scope stays immutable', async () => {
    await until(async () => (await call(server.url, 'GET', '/apis/example.com/v1')).status === 200);
    const current = (await call<{ metadata: { resourceVersion: string }; spec: { versions: Record<string, unknown>[] } }>(server.url, 'GET', `${CRDS}/widgets.example.com`)).body;
    const v1 = current.spec.versions[0] as Record<string, unknown>;
    const body = widgetCrd({ spec: { versions: [{ ...v1, storage: false }, { ...v1, name: 'v2', storage: true }] } });
    (body.metadata as Record<string, unknown>).resourceVersion = current.metadata.resourceVersion;
    expect((await call(server.url, 'PUT', `${CRDS}/widgets.example.com`, body)).status).toBe(200);
    await until(async () => (await call(server.url, 'GET', '/apis/example.com/v2')).status === 200);
    const group = await call<{ versions: { version: string }[] }>(server.url, 'GET', '/apis/example.com');
    expect(group.body.versions.map((v) => v.version).sort()).toEqual(['v1', 'v2']);
    const after = (await call<{ metadata: { resourceVersion: string }; status: { storedVersions: string[] } }>(server.url, 'GET', `${CRDS}/widgets.example.com`)).body;
    expect(after.status.storedVersions).toEqual(['v1', 'v2']);
    const unserve = widgetCrd({ spec: { versions: [{ ...v1, served: false, storage: false }, { ...v1, name: 'v2', storage: true }] } });
    (unserve.metadata as Record<string, unknown>).resourceVersion = after.metadata.resourceVersion;
    expect((await call(server.url, 'PUT', `${CRDS}/widgets.example.com`, unserve)).status).toBe(200);
    await until(async () => (await call(server.url, 'GET', '/apis/example.com/v1')).status === 404);
    const scope = await call<Invalid>(server.url, 'PATCH', `${CRDS}/widgets.example.com`, { spec: { scope: 'Cluster' } }, 'application/merge-patch+json');
    expect(scope.status).toBe(422);
    expect(scope.body.details.causes).toContainEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: "Cluster": field is immutable', field: 'spec.scope' });
    const dropStored = await call<Invalid>(server.url, 'PATCH', `${CRDS}/widgets.example.com`, [{ op: 'remove', path: '/spec/versions/0' }], 'application/json-patch+json');
    expect(dropStored.status).toBe(422);
    expect(dropStored.body.details.causes[0]?.field).toBe('status.storedVersions[0]');
  });

  it('a CRD whose kind is taken in its group is stored but not established', async () => {
    const twin = widgetCrd({ name: 'doohickeys.example.com', spec: { names: { kind: 'Widget', plural: 'doohickeys' } } });
    expect((await call(server.url, 'POST', CRDS, twin)).status).toBe(201);
    let conditions: { type: string; status: string; reason: string; message: string }[] = [];
    await until(async () => {
      conditions = (await call<{ status: { conditions?: typeof conditions } }>(server.url, 'GET', `${CRDS}/doohickeys.example.com`)).body.status?.conditions ?? [];
      return conditions.length > 0;
    });
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'False', 'KindConflict'],
      ['Established', 'False', 'NotAccepted'],
    ]);
    expect(conditions[0]?.message).toBe('"Widget" is already in use');
    const disc = await call<{ resources: { name: string }[] }>(server.url, 'GET', '/apis/example.com/v2');
    expect(disc.body.resources.map((r) => r.name)).not.toContain('doohickeys');
    expect((await call(server.url, 'DELETE', `${CRDS}/doohickeys.example.com`)).status).toBe(200);
  });

  it('deleting a CRD deletes its objects (watchers see DELETED), stops serving it, then removes it', async () => {
    const made = await call(server.url, 'POST', '/apis/example.com/v2/namespaces/default/widgets', { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 2 } });
    expect(made.status).toBe(201);
    const crdWatch = await openWatch(server.url, `${CRDS}?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    const objWatch = await openWatch(server.url, `/apis/example.com/v2/widgets?watch=true&resourceVersion=${server.store.resourceVersion()}`);
    const del = await call<{ metadata: { deletionTimestamp?: string; finalizers?: string[] }; status: { conditions: { type: string; reason: string }[] } }>(server.url, 'DELETE', `${CRDS}/widgets.example.com`);
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    expect(del.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(del.body.status.conditions.find((c) => c.type === 'Terminating')?.reason).toBe('InstanceDeletionPending');
    const [gone] = await objWatch.take(1);
    expect(gone).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'w2' } } });
    expect(await objWatch.ended()).toBe('closed');
    const frames = await crdWatch.take(2);
    expect(frames.map((f) => f.type)).toEqual(['MODIFIED', 'DELETED']);
    crdWatch.close();
    expect((await call(server.url, 'GET', '/apis/example.com/v2')).status).toBe(404);
    expect((await call(server.url, 'GET', `${CRDS}/widgets.example.com`)).status).toBe(404);
  });
});
