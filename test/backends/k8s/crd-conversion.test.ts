/**
 * The custom-resource layout of Calico objects (backends spec §3.2.2–3.2.4 and the Kubernetes
 * mapping invariants of §7), and that what we send validates against Calico's real CRDs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { fromCustomResource, metadataAnnotation, toCustomResource, type CrdKind } from '../../../src/backends/k8s/crd-conversion.js';
import { convertUID } from '../../../src/backends/k8s/uid.js';
import { isParseError } from '../../../src/errors.js';
import { crdProblems } from './crd-schema.js';

const IPPOOL: CrdKind = { kind: 'IPPool', plural: 'ippools', namespaced: false, policy: false };
const NP: CrdKind = { kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, policy: true };
const GNP: CrdKind = { kind: 'GlobalNetworkPolicy', plural: 'globalnetworkpolicies', namespaced: false, policy: true };
const TIER: CrdKind = { kind: 'Tier', plural: 'tiers', namespaced: false, policy: false };
const CI: CrdKind = { kind: 'ClusterInformation', plural: 'clusterinformations', namespaced: false, policy: false };
const UID = '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b';
const CR_UID = '50d1f670-3cb4-4efa-9ad8-34bc72fa56de';

const pool = (labels?: Record<string, string>): ResourceObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'IPPool',
  metadata: { name: 'pool-a', uid: UID, creationTimestamp: '2025-03-01T09:00:00Z', ...(labels ? { labels } : {}) },
  spec: { cidr: '10.10.0.0/16', vxlanMode: 'Always', natOutgoing: true, blockSize: 26, nodeSelector: 'all()' },
});

const policy = (name: string, tier = 'default'): ResourceObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'shop', uid: UID, creationTimestamp: '2025-03-01T09:00:00Z', labels: { 'projectcalico.org/tier': tier } },
  spec: { tier, order: 100, selector: "app == 'web'", types: ['Ingress'], ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }] },
});

/** What the API server does with a created CR: its own uid, a revision, a creation time, managed fields. */
function served(cr: ReturnType<typeof toCustomResource>, rv = '51234') {
  return { ...cr, metadata: { ...cr.metadata, uid: CR_UID, resourceVersion: rv, creationTimestamp: '2025-03-02T00:00:00Z', generation: 1, managedFields: [{ manager: 'x' }] } };
}

describe('v1 write layout', () => {
  it('matches the IPPool example of the spec', () => {
    const cr = toCustomResource(pool({ env: 'prod' }), IPPOOL, 'v1', { name: 'pool-a', resourceVersion: '51234' });
    expect(cr).toEqual({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: {
        name: 'pool-a',
        resourceVersion: '51234',
        uid: CR_UID,
        annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":"2025-03-01T09:00:00Z","labels":{"env":"prod"}}' },
      },
      spec: { cidr: '10.10.0.0/16', vxlanMode: 'Always', natOutgoing: true, blockSize: 26, nodeSelector: 'all()' },
    });
  });

  it('keeps the name in a policy annotation and the tier label on the CR', () => {
    const cr = toCustomResource(policy('allow-web'), NP, 'v1', { name: 'allow-web' });
    expect(cr.metadata).toEqual({
      name: 'allow-web',
      namespace: 'shop',
      uid: CR_UID,
      labels: { 'projectcalico.org/tier': 'default' },
      annotations: { 'projectcalico.org/metadata': '{"name":"allow-web","creationTimestamp":"2025-03-01T09:00:00Z","labels":{"projectcalico.org/tier":"default"}}' },
    });
  });

  it('puts only projectcalico.org/ and operator.tigera.io/ labels and annotations on the CR (spec §7 invariant)', () => {
    const value = pool({ env: 'prod', 'projectcalico.org/x': 'y' });
    value.metadata.annotations = { note: 'n', 'operator.tigera.io/managed': 'true', 'a.projectcalico.org/b': 'c' };
    const cr = toCustomResource(value, IPPOOL, 'v1', { name: 'pool-a' });
    expect(cr.metadata?.labels).toEqual({ 'projectcalico.org/x': 'y' });
    expect(cr.metadata?.annotations).toEqual({
      'operator.tigera.io/managed': 'true',
      'a.projectcalico.org/b': 'c',
      'projectcalico.org/metadata': metadataAnnotation(value.metadata, false),
    });
    const back = fromCustomResource(served(cr), IPPOOL, 'v1', '/apis/crd.projectcalico.org/v1/ippools/pool-a');
    expect(back.metadata.labels).toEqual({ env: 'prod', 'projectcalico.org/x': 'y' });
    expect(back.metadata.annotations).toEqual(value.metadata.annotations);
  });

  it('writes creationTimestamp null when absent and rewrites v3 owner references', () => {
    const text = metadataAnnotation(
      { name: 'x', ownerReferences: [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 't', uid: UID }, { apiVersion: 'v1', kind: 'Namespace', name: 'n', uid: UID }] } as ResourceObject['metadata'],
      false,
    );
    expect(JSON.parse(text)).toEqual({
      creationTimestamp: null,
      ownerReferences: [
        { apiVersion: 'crd.projectcalico.org/v1', kind: 'Tier', name: 't', uid: CR_UID },
        { apiVersion: 'v1', kind: 'Namespace', name: 'n', uid: UID },
      ],
    });
  });

  it('in v3 mode sends the object as it is', () => {
    const value = pool({ env: 'prod' });
    const cr = toCustomResource(value, IPPOOL, 'v3', { name: 'pool-a', resourceVersion: '9' });
    expect(cr).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a', resourceVersion: '9', uid: UID, labels: { env: 'prod' } }, spec: value.spec });
    expect(fromCustomResource(served(cr), IPPOOL, 'v3', 'k').metadata).toEqual({ name: 'pool-a', resourceVersion: '51234', uid: CR_UID, labels: { env: 'prod' }, creationTimestamp: '2025-03-02T00:00:00Z', generation: 1 });
  });
});

describe('v1 read layout', () => {
  it('round-trips through the server: metadata from the annotation, uid transformed, revision from the CR', () => {
    const back = fromCustomResource(served(toCustomResource(pool({ env: 'prod' }), IPPOOL, 'v1', { name: 'pool-a' })), IPPOOL, 'v1', 'k');
    expect(back).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'pool-a', resourceVersion: '51234', uid: convertUID(CR_UID), creationTimestamp: '2025-03-01T09:00:00Z', labels: { env: 'prod' } },
      spec: pool().spec,
    });
  });

  it('reads a CR made with kubectl (no annotation) as it is, uid transformed, no policy-name stripping', () => {
    const cr = { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'default.web', namespace: 'shop', uid: CR_UID, resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', labels: { a: 'b' }, generation: 2, managedFields: [{}] }, spec: { tier: 'default' } };
    expect(fromCustomResource(cr, NP, 'v1', 'k').metadata).toEqual({ name: 'default.web', namespace: 'shop', uid: UID, resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', labels: { a: 'b' }, generation: 2 });
  });

  it('strips one default. prefix from a default-tier policy whose annotation has no name (legacy CRs)', () => {
    const legacy = (tier: string) => ({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${tier}.web`, namespace: 'shop', uid: CR_UID, resourceVersion: '7', annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null}' } },
      spec: { tier },
    });
    expect(fromCustomResource(legacy('default'), NP, 'v1', 'k').metadata.name).toBe('web');
    expect(fromCustomResource(legacy('other'), NP, 'v1', 'k').metadata.name).toBe('other.web');
    const annotated = legacy('default');
    annotated.metadata.annotations = { 'projectcalico.org/metadata': '{"name":"web2"}' };
    expect(fromCustomResource(annotated, GNP, 'v1', 'k').metadata.name).toBe('web2');
  });

  it('merges CR labels and annotations under those of the annotation, and takes the CR creation time when the annotation has none', () => {
    const cr = {
      metadata: {
        name: 'p',
        uid: CR_UID,
        resourceVersion: '3',
        creationTimestamp: '2025-02-02T02:02:02Z',
        labels: { 'projectcalico.org/x': 'cr', old: 'kept' },
        annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null,"labels":{"projectcalico.org/x":"ann"},"annotations":{"n":"1"},"finalizers":["f"],"ownerReferences":[{"apiVersion":"crd.projectcalico.org/v1","kind":"Tier","name":"t","uid":"50d1f670-3cb4-4efa-9ad8-34bc72fa56de"}]}', other: 'o' },
      },
      spec: {},
    };
    expect(fromCustomResource(cr, IPPOOL, 'v1', 'k').metadata).toEqual({
      name: 'p',
      uid: UID,
      resourceVersion: '3',
      creationTimestamp: '2025-02-02T02:02:02Z',
      labels: { 'projectcalico.org/x': 'ann', old: 'kept' },
      annotations: { other: 'o', n: '1' },
      finalizers: ['f'],
      ownerReferences: [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', name: 't', uid: UID }],
    });
  });

  it.each([
    ['{not json', 'is not valid JSON'],
    ['[1]', 'is not a JSON object'],
  ])('a corrupt annotation %j is a ParseError naming the object, never the value', (text, reason) => {
    let caught: unknown;
    try {
      fromCustomResource({ metadata: { name: 'p', annotations: { 'projectcalico.org/metadata': text } } }, IPPOOL, 'v1', '/apis/crd.projectcalico.org/v1/ippools/p');
    } catch (e) {
      caught = e;
    }
    expect(isParseError(caught)).toBe(true);
    expect((caught as Error).message).toContain(reason);
    expect((caught as Error).message).toContain('/apis/crd.projectcalico.org/v1/ippools/p');
    expect((caught as Error).message).not.toContain(text);
  });

  it('property: any v3 metadata survives v1 storage (except uid and resourceVersion, which the server owns)', () => {
    const key = fc.constantFrom('env', 'projectcalico.org/tier', 'app.kubernetes.io/name', 'operator.tigera.io/x', 'z');
    const map = fc.dictionary(key, fc.string({ maxLength: 8 }), { maxKeys: 4 });
    fc.assert(
      fc.property(map, map, fc.boolean(), (labels, annotations, isPolicy) => {
        const value = isPolicy ? policy('web') : pool();
        value.metadata = { ...value.metadata, labels, annotations };
        if (Object.keys(labels).length === 0) delete value.metadata.labels;
        if (Object.keys(annotations).length === 0) delete value.metadata.annotations;
        const kind = isPolicy ? NP : IPPOOL;
        const back = fromCustomResource(served(toCustomResource(value, kind, 'v1', { name: value.metadata.name ?? '' })), kind, 'v1', 'k');
        expect(back.metadata).toEqual({ ...value.metadata, uid: convertUID(CR_UID), resourceVersion: '51234' });
        expect(back.spec).toEqual(value.spec);
      }),
    );
  });
});

describe('what we send validates against the real Calico CRDs', () => {
  const cases: [string, ResourceObject, CrdKind][] = [
    ['IPPool', pool({ env: 'prod' }), IPPOOL],
    ['IPPool with status', { ...pool(), status: { conditions: [{ type: 'Allocatable', status: 'True', lastTransitionTime: '2025-03-01T09:00:00Z', reason: 'OK', message: '' }] } }, IPPOOL],
    ['NetworkPolicy', policy('allow-web'), NP],
    [
      'GlobalNetworkPolicy',
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny-all', uid: UID }, spec: { tier: 'default', order: 10, selector: 'all()', namespaceSelector: 'has(team)', types: ['Ingress', 'Egress'], egress: [{ action: 'Deny', destination: { nets: ['10.0.0.0/8'] } }], doNotTrack: false } },
      GNP,
    ],
    ['Tier', { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security', uid: UID }, spec: { order: 100, defaultAction: 'Deny' } }, TIER],
    ['ClusterInformation', { apiVersion: 'projectcalico.org/v3', kind: 'ClusterInformation', metadata: { name: 'default', uid: UID }, spec: { clusterGUID: 'a'.repeat(32), clusterType: 'k8s,kdd', datastoreReady: true } }, CI],
  ];
  it.each(cases)('%s', (_name, value, kind) => {
    const cr = toCustomResource(value, kind, 'v1', { name: value.metadata.name ?? '' });
    expect(crdProblems(cr, kind.plural)).toEqual([]);
  });

  it('and the checker does catch what the server would refuse', () => {
    const bad = toCustomResource({ ...pool(), spec: { cidr: 'nope', blockSize: 'big' } }, IPPOOL, 'v1', { name: 'pool-a' });
    expect(crdProblems(bad, 'ippools').length).toBeGreaterThan(0);
    const unknown = toCustomResource({ ...pool(), spec: { ...(pool().spec as object), surprise: 1 } }, IPPOOL, 'v1', { name: 'pool-a' });
    expect(crdProblems(unknown, 'ippools')).toEqual(['spec.surprise: unknown field (would be pruned)']);
  });
});
