import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer, type JsonObject } from './index.js';
import { humanDuration } from './table.js';
import { call, ipPool, IPPOOLS } from './test-helpers.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

type Doc = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: unknown }>>; components: { schemas: Record<string, Record<string, unknown>> } };
type Table = { kind: string; apiVersion: string; columnDefinitions: { name: string; priority: number }[] | null; rows: { cells: unknown[]; object?: { kind: string } }[] };

describe('OpenAPI documents', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('indexes every served group-version with a content hash that changes with the content', async () => {
    const index = await call<{ paths: Record<string, { serverRelativeURL: string }> }>(server.url, 'GET', '/openapi/v3');
    expect(Object.keys(index.body.paths)).toEqual(['api/v1', 'apis/apiextensions.k8s.io/v1', 'apis/crd.projectcalico.org/v1', 'apis/networking.k8s.io/v1']);
    const before = index.body.paths['apis/crd.projectcalico.org/v1']?.serverRelativeURL;
    expect(before).toMatch(/^\/openapi\/v3\/apis\/crd\.projectcalico\.org\/v1\?hash=[0-9A-F]{128}$/);
    server.resources.registerCrd({ manifest: 'ipreservations' });
    const after = (await call<{ paths: Record<string, { serverRelativeURL: string }> }>(server.url, 'GET', '/openapi/v3')).body.paths['apis/crd.projectcalico.org/v1']?.serverRelativeURL;
    expect(after).not.toBe(before);
  });

  it('describes CRs from their schema: PATCH carries fieldValidation and the GVK, metadata refers to ObjectMeta', async () => {
    const doc = (await call<Doc>(server.url, 'GET', '/openapi/v3/apis/crd.projectcalico.org/v1')).body;
    const patch = doc.paths['/apis/crd.projectcalico.org/v1/ippools/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: 'crd.projectcalico.org', kind: 'IPPool', version: 'v1' });
    expect(patch?.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    const pool = doc.components.schemas['org.projectcalico.crd.v1.IPPool'] as { properties: Record<string, { properties?: Record<string, unknown>; allOf?: unknown }>; 'x-kubernetes-group-version-kind': unknown };
    expect(pool['x-kubernetes-group-version-kind']).toEqual([{ group: 'crd.projectcalico.org', kind: 'IPPool', version: 'v1' }]);
    expect(Object.keys(pool.properties.spec?.properties ?? {})).toContain('cidr');
    expect(pool.properties.metadata?.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    expect(doc.paths['/apis/crd.projectcalico.org/v1/namespaces/{namespace}/networkpolicies/{name}']?.get).toBeDefined();
  });

  it('describes the built-in kinds; v2 comes as JSON or as gnostic protobuf, other types get 406', async () => {
    const core = (await call<Doc>(server.url, 'GET', '/openapi/v3/api/v1')).body;
    expect(core.paths['/api/v1/nodes/{name}/status']?.patch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Node', version: 'v1' });
    expect(core.components.schemas['io.k8s.api.core.v1.PodSpec']).toBeDefined();
    const v2 = await call<{ swagger: string; definitions: Record<string, { properties?: Record<string, { $ref?: string }> }> }>(server.url, 'GET', '/openapi/v2');
    expect(v2.body.swagger).toBe('2.0');
    expect(v2.body.definitions['io.k8s.api.core.v1.Node']?.properties?.metadata?.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const pb = await fetch(`${server.url}/openapi/v2`, { headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    expect(pb.headers.get('content-type')).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const bytes = Buffer.from(await pb.arrayBuffer());
    // Field 1 (swagger, length-delimited) = "2.0", then field 2 (info).
    expect([...bytes.subarray(0, 6)]).toEqual([0x0a, 3, 0x32, 0x2e, 0x30, 0x12]);
    expect(bytes.includes(Buffer.from('io.k8s.api.core.v1.Node'))).toBe(true);
    const xml = await call<{ code: number; reason: string }>(server.url, 'GET', '/openapi/v2', undefined, 'application/json', { Accept: 'application/xml' });
    expect(xml.body).toMatchObject({ code: 406, reason: 'NotAcceptable' });
    expect((await call(server.url, 'GET', '/openapi/v3/apis/nothing.example.com/v1')).status).toBe(404);
  });
});

describe('Table output', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const get = async (path: string): Promise<Table> => (await call<Table>(server.url, 'GET', path, undefined, 'application/json', { Accept: TABLE })).body;
  const names = (t: Table): string[] => (t.columnDefinitions ?? []).filter((c) => c.priority === 0).map((c) => c.name);

  it('prints Nodes and Pods with the real columns and cells', async () => {
    server.store.seed({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.4' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
    });
    const nodes = await get('/api/v1/nodes');
    expect(nodes).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(names(nodes)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(nodes.rows[0]?.cells.slice(0, 3)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane']);
    expect(nodes.rows[0]?.cells[4]).toBe('v1.31.4');
    expect(nodes.rows[0]?.cells[5]).toBe('10.0.0.1');
    expect(nodes.rows[0]?.object?.kind).toBe('PartialObjectMetadata');
    server.store.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] },
      status: { phase: 'Running', podIPs: [{ ip: '192.168.0.5' }], containerStatuses: [{ name: 'a', ready: true, restartCount: 2, state: { running: {} } }, { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    });
    const pods = await get('/api/v1/namespaces/default/pods');
    expect(names(pods)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(pods.rows[0]?.cells).toEqual(['p1', '1/2', 'CrashLoopBackOff', '2', expect.any(String), '192.168.0.5', 'n1', '<none>', '<none>']);
  });

  it('prints Namespaces, NetworkPolicies, CRDs and CRs; a single get is a one-row Table', async () => {
    expect(names(await get('/api/v1/namespaces'))).toEqual(['Name', 'Status', 'Age']);
    expect((await get('/api/v1/namespaces/default')).rows.map((r) => r.cells.slice(0, 2))).toEqual([['default', 'Active']]);
    server.store.seed({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } } } });
    const np = await get('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies');
    expect(names(np)).toEqual(['Name', 'Pod-Selector', 'Age']);
    expect(np.rows[0]?.cells.slice(0, 2)).toEqual(['np', 'app=web']);
    const crds = await get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(names(crds)).toEqual(['Name', 'Created At']);
    expect(crds.rows[0]?.cells[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    server.store.seed(ipPool('pool-a', '10.1.0.0/16'));
    const pools = await get(IPPOOLS);
    expect(names(pools)).toEqual(['Name', 'Age']);
    expect(pools.rows[0]?.cells[0]).toBe('pool-a');
    const none = await call<Table>(server.url, 'GET', `${IPPOOLS}?includeObject=None`, undefined, 'application/json', { Accept: TABLE });
    expect(none.body.rows[0]?.object).toBeUndefined();
    expect((await call(server.url, 'GET', `${IPPOOLS}?includeObject=All`, undefined, 'application/json', { Accept: TABLE })).status).toBe(400);
  });

  it('uses additionalPrinterColumns of a CRD version', async () => {
    const crd: JsonObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Gadget', plural: 'gadgets' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            additionalPrinterColumns: [
              { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
              { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
              { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
            ],
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
          },
        ],
      },
    };
    server.resources.registerCrd(crd);
    server.store.seed({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 3 } });
    const t = await get('/apis/example.com/v1/gadgets');
    expect(t.columnDefinitions?.map((c) => `${c.name}:${c.priority}`)).toEqual(['Name:0', 'Size:0', 'Color:1', 'Age:0']);
    expect(t.rows[0]?.cells.slice(0, 3)).toEqual(['g', 3, null]);
  });

  it('watches with Table frames: column definitions only in the first event', async () => {
    const res = await fetch(`${server.url}/apis/crd.projectcalico.org/v1/ippools?watch=true&resourceVersion=${server.store.resourceVersion()}`, { headers: { Accept: TABLE } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    server.store.seed(ipPool('w1', '10.2.0.0/16'), ipPool('w2', '10.3.0.0/16'));
    let text = '';
    while (text.split('\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const frames = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: Table });
    expect(frames.map((f) => [f.type, f.object.kind, f.object.rows[0]?.cells[0]])).toEqual([
      ['ADDED', 'Table', 'w1'],
      ['ADDED', 'Table', 'w2'],
    ]);
    expect(frames[0]?.object.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(frames[1]?.object.columnDefinitions).toBeNull();
  });

  it('prints ages like the server', () => {
    expect([0, 119_000, 200_000, 600_000, 3 * 3600_000 + 60_000, 30 * 3600_000, 3 * 86400_000 + 3600_000, 400 * 86400_000, 800 * 86400_000].map(humanDuration)).toEqual(['0s', '119s', '3m20s', '10m', '3h1m', '30h', '3d1h', '400d', '2y70d']);
  });
});
