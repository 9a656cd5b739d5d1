/**
 * CRD-backed kinds on the fake API server beyond the shared conformance suite: what is stored on
 * the server (layout, labels split, uid transform), that every body sent validates against
 * Calico's real CRDs, legacy policy storage names and naming modes, status without a status
 * subresource, CRDs that are not installed, and the v3 API group.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, KVPair, ResourceObject } from '../../../src/backends/backend.js';
import { convertUID } from '../../../src/backends/k8s/index.js';
import { isNotFound, isNotSupported } from '../../../src/errors.js';
import { calicoCrdFile, loadCrdFile } from '../../fake-apiserver/index.js';
import { crdProblems } from './crd-schema.js';
import { startHarness, type Harness } from './helpers.js';

const V1 = 'crd.projectcalico.org/v1';
type Spec = Record<string, unknown>;

const pool = (name: string, labels?: Record<string, string>): ResourceObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'IPPool',
  metadata: { name, uid: randomUUID(), creationTimestamp: '2025-03-01T09:00:00Z', ...(labels ? { labels } : {}) },
  spec: { cidr: '10.20.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Always', natOutgoing: true, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' },
});

const np = (name: string, tier = 'default'): ResourceObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'shop', uid: randomUUID(), creationTimestamp: '2025-03-01T09:00:00Z', labels: { 'projectcalico.org/tier': tier } },
  spec: { tier, order: 100, selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow' }] },
});

const key = (o: ResourceObject) => ({ kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name ?? '' });

let h: Harness;
let b: Backend;

describe('on a crd.projectcalico.org/v1 cluster', () => {
  beforeEach(async () => {
    h = await startHarness(['shop']);
    b = await h.backend();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stores the v1 layout: metadata annotation, only Calico labels on the CR, transformed uid (spec §7)', async () => {
    const created = await b.create({ key: { kind: 'IPPool', name: 'pool-a' }, value: pool('pool-a', { env: 'prod', 'projectcalico.org/x': 'y' }) });
    const cr = h.server.store.get(V1, 'IPPool', 'pool-a');
    expect(cr?.apiVersion).toBe(V1);
    expect(cr?.metadata?.labels).toEqual({ 'projectcalico.org/x': 'y' });
    expect(JSON.parse(cr?.metadata?.annotations?.['projectcalico.org/metadata'] ?? '')).toEqual({ creationTimestamp: '2025-03-01T09:00:00Z', labels: { env: 'prod', 'projectcalico.org/x': 'y' } });
    expect(created.value.metadata.uid).toBe(convertUID(cr?.metadata?.uid ?? ''));
    expect(created.value.metadata.labels).toEqual({ env: 'prod', 'projectcalico.org/x': 'y' });
    expect(created.value.metadata.annotations).toBeUndefined();
    expect(created.revision).toBe(cr?.metadata?.resourceVersion);
  });

  it('server-side label selectors are used only for Calico-owned label keys', async () => {
    await b.create({ key: { kind: 'IPPool', name: 'p1' }, value: pool('p1', { env: 'prod', 'projectcalico.org/x': 'y' }) });
    await b.create({ key: { kind: 'IPPool', name: 'p2' }, value: pool('p2', { env: 'dev' }) });
    h.server.clearRequests();
    expect((await b.list({ kind: 'IPPool', labelSelector: 'projectcalico.org/x=y' })).items.map((i) => i.key.name)).toEqual(['p1']);
    expect((await b.list({ kind: 'IPPool', labelSelector: 'env=prod' })).items.map((i) => i.key.name)).toEqual(['p1']);
    const lists = h.server.requests.filter((r) => r.verb === 'list');
    expect(lists.map((r) => r.query.labelSelector)).toEqual(['projectcalico.org/x=y', undefined]);
  });

  it('every body sent for a CRD-backed kind validates against the real Calico CRD', async () => {
    h.server.clearRequests();
    await b.ensureInitialized();
    const p = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p', { a: 'b' }) });
    const p2 = await b.update({ ...p, value: { ...p.value, spec: { ...(p.value.spec as Spec), natOutgoing: false, disableBGPExport: true } } });
    await b.updateStatus({ ...p2, value: { ...p2.value, status: { conditions: [{ type: 'Allocatable', status: 'True', lastTransitionTime: '2025-03-01T09:00:00Z', reason: 'OK', message: 'fine' }] } } });
    const n = await b.create({ key: key(np('allow-web')), value: np('allow-web') });
    await b.update({ ...n, value: { ...n.value, spec: { ...(n.value.spec as Spec), order: 5 } } });
    await b.create({ key: { kind: 'GlobalNetworkPolicy', name: 'g' }, value: { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: { tier: 'default', selector: 'all()', types: ['Egress'], egress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [22, '8000:8080'] } }] } } });
    await b.create({ key: { kind: 'Tier', name: 'security' }, value: { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Pass' } } });
    const writes = h.server.requests.filter((r) => r.group === 'crd.projectcalico.org' && (r.method === 'POST' || r.method === 'PUT'));
    expect(writes.length).toBeGreaterThanOrEqual(9);
    for (const w of writes) expect({ path: w.path, problems: crdProblems(w.body, w.resource ?? '') }).toEqual({ path: w.path, problems: [] });
  });

  it('reads, updates and deletes a legacy default.<name> policy CR under its real name', async () => {
    h.server.store.seed({
      apiVersion: V1,
      kind: 'NetworkPolicy',
      metadata: { name: 'default.legacy', namespace: 'shop', annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null}' } },
      spec: { tier: 'default', order: 10, selector: 'all()', types: ['Ingress'] },
    });
    const got = await b.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'legacy' });
    expect(got.key.name).toBe('default.legacy');
    expect(got.value.metadata.name).toBe('legacy');
    expect((await b.list({ kind: 'NetworkPolicy', namespace: 'shop', name: 'legacy' })).items.map((i) => i.key.name)).toEqual(['default.legacy']);
    const updated = await b.update({ ...got, value: { ...got.value, spec: { ...(got.value.spec as Spec), order: 11 } } });
    expect(updated.key.name).toBe('default.legacy');
    expect(h.server.store.get(V1, 'NetworkPolicy', 'legacy', 'shop')).toBeUndefined();
    expect((h.server.store.get(V1, 'NetworkPolicy', 'default.legacy', 'shop')?.spec as Spec).order).toBe(11);
    const deleted = await b.delete({ kind: 'NetworkPolicy', namespace: 'shop', name: 'legacy' });
    expect(deleted.revision).toBe(updated.revision);
    expect(h.server.store.get(V1, 'NetworkPolicy', 'default.legacy', 'shop')).toBeUndefined();
  });

  it('a legacy CR of another v3 name is not found through the fallback', async () => {
    h.server.store.seed({ apiVersion: V1, kind: 'NetworkPolicy', metadata: { name: 'default.web', namespace: 'shop', annotations: { 'projectcalico.org/metadata': '{"name":"other"}' } }, spec: { tier: 'default' } });
    expect(isNotFound(await b.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'web' }).catch((e: unknown) => e))).toBe(true);
  });

  it.each([
    ['v3.31.2', 'default.allow-web', true],
    ['v3.29.0', 'default.allow-web', false],
    ['v3.32.0', 'allow-web', true],
    [undefined, 'allow-web', true],
  ])('with calicoVersion %s a new default-tier policy is stored as %s (name in annotation: %s)', async (calicoVersion, crName, annotated) => {
    h.server.store.seed({ apiVersion: V1, kind: 'ClusterInformation', metadata: { name: 'default' }, spec: { datastoreReady: true, ...(calicoVersion ? { calicoVersion } : {}) } });
    const created = await b.create({ key: key(np('allow-web')), value: np('allow-web') });
    expect(created.key.name).toBe(crName);
    expect(created.value.metadata.name).toBe('allow-web');
    const cr = h.server.store.get(V1, 'NetworkPolicy', crName, 'shop');
    expect('name' in JSON.parse(cr?.metadata?.annotations?.['projectcalico.org/metadata'] ?? '{}')).toBe(annotated);
    expect((await b.get({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-web' })).key.name).toBe(crName);
    // Non-default tiers keep their own name.
    const tiered = await b.create({ key: key(np('sec.allow')), value: np('sec.allow', 'sec') });
    expect(tiered.key.name).toBe('sec.allow');
  });

  it('the policyNaming option overrides detection', async () => {
    const legacy = await h.backend({ policyNaming: 'legacy' });
    expect((await legacy.create({ key: key(np('a')), value: np('a') })).key.name).toBe('default.a');
    h.server.store.seed({ apiVersion: V1, kind: 'ClusterInformation', metadata: { name: 'default' }, spec: { calicoVersion: 'v3.20.0' } });
    const current = await h.backend({ policyNaming: 'current' });
    expect((await current.create({ key: key(np('b')), value: np('b') })).key.name).toBe('b');
  });

  it('ensureInitialized creates the built-in tiers and a kdd ClusterInformation, once', async () => {
    await b.ensureInitialized();
    await b.ensureInitialized();
    const ci = await b.get({ kind: 'ClusterInformation', name: 'default' });
    expect(ci.value.spec).toMatchObject({ clusterType: 'kdd', datastoreReady: true });
    expect((ci.value.spec as Spec).clusterGUID).toMatch(/^[0-9a-f]{32}$/);
    expect(h.server.store.list(V1, 'Tier').map((t) => t.metadata?.name).sort()).toEqual(['default', 'kube-admin', 'kube-baseline']);
  });

  it('a delete with a uid precondition sends the transformed uid and a resourceVersion precondition', async () => {
    const created = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') });
    h.server.clearRequests();
    await b.delete(created.key, { uid: created.value.metadata.uid ?? '', revision: created.revision });
    const del = h.server.requests.find((r) => r.method === 'DELETE');
    expect(del?.body).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: convertUID(created.value.metadata.uid ?? ''), resourceVersion: created.revision } });
  });
});

describe('status without a status subresource', () => {
  let pools: KVPair;
  beforeEach(async () => {
    h = await startHarness([], { calicoCrds: ['networkpolicies', 'globalnetworkpolicies', 'tiers', 'clusterinformations'] });
    // An older IPPool CRD: same schema, no status subresource.
    const [def] = loadCrdFile(calicoCrdFile('ippools'));
    if (!def) throw new Error('no IPPool CRD');
    h.server.resources.register({ ...def, statusSubresource: false, updateKeepsStatus: false });
    b = await h.backend();
    pools = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') });
  });
  afterEach(async () => {
    await h.close();
  });

  it('updateStatus writes the status through the main resource and nothing else', async () => {
    const status = { conditions: [{ type: 'Allocatable', status: 'True', lastTransitionTime: '2025-03-01T09:00:00Z', reason: 'OK', message: '' }] };
    const done = await b.updateStatus({ ...pools, value: { ...pools.value, spec: { ...(pools.value.spec as Spec), natOutgoing: false }, status } });
    expect(done.value.status).toEqual(status);
    expect((done.value.spec as Spec).natOutgoing).toBe(true);
    // A normal update keeps it.
    const updated = await b.update({ ...done, value: { ...done.value, spec: { ...(done.value.spec as Spec), natOutgoing: false }, status: undefined } });
    expect(updated.value.status).toEqual(status);
    expect((updated.value.spec as Spec).natOutgoing).toBe(false);
    expect(h.server.requests.some((r) => r.subresource === 'status')).toBe(false);
  });

  it('both conflict on a stale revision without writing', async () => {
    await b.update({ ...pools, value: { ...pools.value, spec: { ...(pools.value.spec as Spec), natOutgoing: false } } });
    await expect(b.update(pools)).rejects.toMatchObject({ code: 'Conflict' });
    await expect(b.updateStatus({ ...pools, value: { ...pools.value, status: { conditions: [] } } })).rejects.toMatchObject({ code: 'Conflict' });
  });
});

describe('CRDs that are not installed', () => {
  beforeEach(async () => {
    h = await startHarness([], { calicoCrds: ['tiers', 'clusterinformations'] });
    b = await h.backend();
  });
  afterEach(async () => {
    await h.close();
  });

  it('ensureInitialized skips kinds whose CRD is missing', async () => {
    const bare = await startHarness([], { calicoCrds: false });
    try {
      await (await bare.backend()).ensureInitialized();
      expect(bare.server.requests.filter((r) => r.method === 'POST').length).toBeGreaterThan(0);
    } finally {
      await bare.close();
    }
  });

  it('list empty (with a warning), get NotFound, create NotSupported', async () => {
    expect(await b.list({ kind: 'IPPool' })).toEqual({ items: [], revision: '' });
    expect(h.warnings.join()).toContain('IPPool');
    expect(isNotFound(await b.get({ kind: 'IPPool', name: 'x' }).catch((e: unknown) => e))).toBe(true);
    expect(isNotSupported(await b.create({ key: { kind: 'IPPool', name: 'x' }, value: pool('x') }).catch((e: unknown) => e))).toBe(true);
  });
});

describe('projectcalico.org/v3 custom resources', () => {
  const v3Cluster = async (): Promise<Harness> => {
    const harness = await startHarness([], { calicoCrds: false });
    for (const plural of ['ippools', 'tiers', 'clusterinformations']) harness.server.resources.registerCrd({ manifest: plural, group: 'projectcalico.org', version: 'v3' });
    return harness;
  };
  afterEach(async () => {
    await h.close();
  });

  it('are found by discovery and hold the objects as they are', async () => {
    h = await v3Cluster();
    b = await h.backend();
    const created = await b.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p', { env: 'prod' }) });
    const cr = h.server.store.get('projectcalico.org/v3', 'IPPool', 'p');
    expect(cr?.metadata?.labels).toEqual({ env: 'prod' });
    expect(cr?.metadata?.annotations).toBeUndefined();
    expect(created.value.metadata.uid).toBe(cr?.metadata?.uid);
    expect((await b.list({ kind: 'IPPool', labelSelector: 'env=prod' })).items.map((i) => i.key.name)).toEqual(['p']);
  });

  it('are chosen by calicoAPIGroup without discovery', async () => {
    h = await v3Cluster();
    h.server.resources.registerCrd(calicoCrdFile('ippools'));
    const forced = await createForced(h);
    await forced.create({ key: { kind: 'IPPool', name: 'p' }, value: pool('p') });
    expect(h.server.store.get('projectcalico.org/v3', 'IPPool', 'p')).toBeDefined();
    expect(h.server.requests.some((r) => r.path === '/apis')).toBe(false);
  });
});

async function createForced(harness: Harness): Promise<Backend> {
  const { createKubernetesBackend } = await import('../../../src/backends/k8s/index.js');
  const backend = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: harness.server.url, calicoAPIGroup: 'projectcalico.org/v3' });
  const close = harness.close;
  harness.close = async () => {
    await backend.close();
    await close();
  };
  return backend;
}
