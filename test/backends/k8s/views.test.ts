/**
 * The views over core Kubernetes objects on the fake API server: Nodes (§3.7), WorkloadEndpoints
 * from Pods (§3.8, including CNI patch mode) and read-only Kubernetes NetworkPolicies (§3.6).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, KVPair } from '../../../src/backends/backend.js';
import { KUBERNETES_NETWORK_POLICY_KIND, NODE_ANNOTATIONS as A, podInterfaceName } from '../../../src/backends/k8s/index.js';
import { isNotFound, isNotSupported, isValidationError } from '../../../src/errors.js';
import type { Node, WorkloadEndpoint } from '../../../src/model/types.generated.js';
import { describeEvent, openTap } from '../../../src/testing/conformance/stream.js';
import { kubeNodeObject, kubePod, startHarness, type Harness } from './helpers.js';

let h: Harness;
let b: Backend;

beforeEach(async () => {
  h = await startHarness(['shop', 'other']);
  b = await h.backend();
});
afterEach(async () => {
  await h.close();
});

const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('Node', () => {
  beforeEach(() => {
    h.server.store.seed(kubeNodeObject('node-1', { zone: 'a', 'kubernetes.io/os': 'linux' }, { [A.labels]: '{"rack":"r1"}', [A.ipv4Address]: '192.168.0.10/24' }), kubeNodeObject('node-2'));
  });

  it('reads Kubernetes Nodes as Calico Nodes, filtering labels on the client', async () => {
    const n1 = await b.get({ kind: 'Node', name: 'node-1' });
    expect(n1.value.metadata.labels).toEqual({ rack: 'r1', zone: 'a', 'kubernetes.io/os': 'linux' });
    expect((n1.value as Node).spec?.bgp).toEqual({ ipv4Address: '192.168.0.10/24' });
    expect(n1.revision).toBe(h.server.store.get('v1', 'Node', 'node-1')?.metadata?.resourceVersion);
    expect((await b.list({ kind: 'Node' })).items.map((i) => i.key.name)).toEqual(['node-1', 'node-2']);
    expect((await b.list({ kind: 'Node', labelSelector: 'rack=r1' })).items.map((i) => i.key.name)).toEqual(['node-1']);
    expect((await b.list({ kind: 'Node', name: 'node-2' })).items.map((i) => i.key.name)).toEqual(['node-2']);
  });

  it('updates go to /status and leave the Node labels alone; Calico-only labels go to the annotation', async () => {
    const n1 = await b.get<Node>({ kind: 'Node', name: 'node-1' });
    h.server.clearRequests();
    const next: Node = { ...n1.value, metadata: { ...n1.value.metadata, labels: { ...n1.value.metadata.labels, team: 'net', zone: 'ignored' } }, spec: { ...n1.value.spec, bgp: { ipv4Address: '192.168.0.11/24', asNumber: 64512 } } };
    const updated = await b.update({ ...n1, value: next });
    const put = h.server.requests.find((r) => r.method === 'PUT');
    expect(put?.subresource).toBe('status');
    const stored = h.server.store.get('v1', 'Node', 'node-1');
    expect(stored?.metadata?.labels).toEqual({ zone: 'a', 'kubernetes.io/os': 'linux' });
    expect(JSON.parse(stored?.metadata?.annotations?.[A.labels] ?? '')).toEqual({ rack: 'r1', team: 'net' });
    expect(stored?.metadata?.annotations?.[A.asNumber]).toBe('64512');
    expect(updated.value.metadata.labels).toEqual({ rack: 'r1', team: 'net', zone: 'a', 'kubernetes.io/os': 'linux' });
    expect(updated.revision).toBe(stored?.metadata?.resourceVersion);
  });

  it('an update with a stale revision conflicts without writing; without a revision it merges', async () => {
    const n1 = await b.get<Node>({ kind: 'Node', name: 'node-1' });
    h.server.store.seed({ ...kubeNodeObject('node-1', { zone: 'b' }), metadata: { name: 'node-1', labels: { zone: 'b' }, annotations: { [A.labels]: '{"rack":"r1"}' } } });
    h.server.clearRequests();
    await expect(b.update(n1)).rejects.toMatchObject({ code: 'Conflict' });
    expect(h.server.requests.some((r) => r.method === 'PUT')).toBe(false);
    const merged = await b.update({ ...n1, revision: '', value: { ...n1.value, metadata: { ...n1.value.metadata, resourceVersion: undefined } } });
    expect(merged.value.metadata.labels?.zone).toBe('b');
  });

  it('updateStatus writes only the WireGuard keys', async () => {
    const n1 = await b.get<Node>({ kind: 'Node', name: 'node-1' });
    const key = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    const done = await b.updateStatus({ ...n1, value: { ...n1.value, spec: {}, status: { wireguardPublicKey: key } } });
    expect((done.value as Node).status?.wireguardPublicKey).toBe(key);
    expect((done.value as Node).spec?.bgp).toEqual({ ipv4Address: '192.168.0.10/24' });
  });

  it('create and delete are NotSupported', async () => {
    expect(isNotSupported(await rejection(b.create({ key: { kind: 'Node', name: 'n' }, value: { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n' } } })))).toBe(true);
    expect(isNotSupported(await rejection(b.delete({ kind: 'Node', name: 'node-1' })))).toBe(true);
  });

  it('watches Nodes', async () => {
    const events = openTap(b.watch({ kind: 'Node' }));
    try {
      expect((await events.take(2)).map(describeEvent).sort()).toEqual(['ADDED node-1', 'ADDED node-2']);
      h.server.store.seed(kubeNodeObject('node-3'));
      expect(describeEvent(await events.next())).toBe('ADDED node-3');
      h.server.store.remove('v1', 'Node', 'node-3');
      expect(describeEvent(await events.next())).toBe('DELETED node-3');
    } finally {
      events.close();
    }
  });
});

describe('WorkloadEndpoint', () => {
  beforeEach(() => {
    h.server.store.seed(
      kubePod('shop', 'web-0', 'node-1', '10.244.1.7', { labels: { app: 'web' }, serviceAccountName: 'web' }),
      kubePod('shop', 'web-1', 'node-2', '10.244.2.7', { labels: { app: 'web' } }),
      kubePod('other', 'db-0', 'node-1', '10.244.1.8', { labels: { app: 'db' } }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hostnet', namespace: 'shop' }, spec: { nodeName: 'node-1', hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } },
    );
  });

  it('shows scheduled, non-host-network Pods (spec §7: node-1/web-0 → node--1-k8s-web--0-eth0)', async () => {
    const list = await b.list<WorkloadEndpoint>({ kind: 'WorkloadEndpoint' });
    expect(list.items.map((i) => `${i.key.namespace}/${i.key.name}`)).toEqual(['other/node--1-k8s-db--0-eth0', 'shop/node--1-k8s-web--0-eth0', 'shop/node--2-k8s-web--1-eth0']);
    const web0 = await b.get<WorkloadEndpoint>({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--1-k8s-web--0-eth0' });
    expect(web0.value.spec).toMatchObject({ node: 'node-1', pod: 'web-0', ipNetworks: ['10.244.1.7/32'], profiles: ['kns.shop', 'ksa.shop.web'], interfaceName: podInterfaceName('shop', 'web-0', 'cali') });
    expect(web0.revision).toBe(h.server.store.get('v1', 'Pod', 'web-0', 'shop')?.metadata?.resourceVersion);
  });

  it('get: NotFound for invisible Pods, malformed names and a node segment that does not match', async () => {
    for (const name of ['node--1-k8s-pending-eth0', 'node--1-k8s-hostnet-eth0', 'not-a-wep', 'node--9-k8s-web--0-eth0', 'node--1-cni-abc-eth0']) {
      expect({ name, notFound: isNotFound(await rejection(b.get({ kind: 'WorkloadEndpoint', namespace: 'shop', name }))) }).toEqual({ name, notFound: true });
    }
  });

  it('a Pod in phase Succeeded is shown with no addresses (spec §7)', async () => {
    const pod = kubePod('shop', 'job-0', 'node-1', '10.244.1.9');
    h.server.store.seed({ ...pod, status: { phase: 'Succeeded', podIP: '10.244.1.9', podIPs: [{ ip: '10.244.1.9' }] } });
    const wep = await b.get<WorkloadEndpoint>({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--1-k8s-job--0-eth0' });
    expect(wep.value.spec.ipNetworks).toEqual([]);
  });

  it('lists the endpoints of a node through spec.nodeName and filters synthesised labels on the client', async () => {
    h.server.clearRequests();
    const byNode = await b.list({ kind: 'WorkloadEndpoint', name: 'node--1-', namePrefix: true });
    expect(byNode.items.map((i) => i.key.name)).toEqual(['node--1-k8s-db--0-eth0', 'node--1-k8s-web--0-eth0']);
    expect(h.server.requests.find((r) => r.verb === 'list')?.query.fieldSelector).toBe('spec.nodeName=node-1');
    expect((await b.list({ kind: 'WorkloadEndpoint', labelSelector: 'projectcalico.org/namespace=shop,app=web' })).items).toHaveLength(2);
    expect((await b.list({ kind: 'WorkloadEndpoint', labelSelector: 'projectcalico.org/serviceaccount=web' })).items.map((i) => i.key.name)).toEqual(['node--1-k8s-web--0-eth0']);
    expect((await b.list({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--2-k8s-web--1-eth0' })).items).toHaveLength(1);
  });

  it('a Pod becoming scheduled first appears as MODIFIED; a deleted Pod as DELETED', async () => {
    const listed = await b.list({ kind: 'WorkloadEndpoint', namespace: 'shop' });
    const events = openTap(b.watch({ kind: 'WorkloadEndpoint', namespace: 'shop', revision: listed.revision }));
    try {
      const pending = h.server.store.get('v1', 'Pod', 'pending', 'shop');
      h.server.store.seed({ ...pending, spec: { ...(pending?.spec as object), nodeName: 'node-2' } });
      const e = await events.next();
      expect(describeEvent(e)).toBe('MODIFIED node--2-k8s-pending-eth0');
      h.server.store.remove('v1', 'Pod', 'web-1', 'shop');
      const d = await events.next();
      expect(describeEvent(d)).toBe('DELETED node--2-k8s-web--1-eth0');
    } finally {
      events.close();
    }
  });

  it('an unscheduled Pod never appears in a watch until it is scheduled; host-network Pods never', async () => {
    const events = openTap(b.watch({ kind: 'WorkloadEndpoint', namespace: 'shop' }));
    try {
      // The initial list: the two scheduled shop Pods only.
      expect([describeEvent(await events.next()), describeEvent(await events.next())]).toEqual(['ADDED node--1-k8s-web--0-eth0', 'ADDED node--2-k8s-web--1-eth0']);
      const pending = h.server.store.get('v1', 'Pod', 'pending', 'shop');
      const hostnet = h.server.store.get('v1', 'Pod', 'hostnet', 'shop');
      // Changes to Pods that are not endpoints, then a deletion of one: nothing is emitted for them.
      h.server.store.seed({ ...pending, metadata: { ...pending?.metadata, labels: { app: 'web' } } });
      h.server.store.seed({ ...hostnet, metadata: { ...hostnet?.metadata, labels: { app: 'web' } } });
      h.server.store.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending-2', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
      h.server.store.remove('v1', 'Pod', 'pending-2', 'shop');
      h.server.store.seed(kubePod('shop', 'marker', 'node-1', '10.244.1.20'));
      expect(describeEvent(await events.next())).toBe('ADDED node--1-k8s-marker-eth0');
      const now = h.server.store.get('v1', 'Pod', 'pending', 'shop');
      h.server.store.seed({ ...now, spec: { ...(now?.spec as object), nodeName: 'node-2' } });
      expect(describeEvent(await events.next())).toBe('MODIFIED node--2-k8s-pending-eth0');
    } finally {
      events.close();
    }
  });

  it('writes are NotSupported outside CNI patch mode', async () => {
    const web0 = await b.get({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--1-k8s-web--0-eth0' });
    expect(isNotSupported(await rejection(b.update(web0)))).toBe(true);
    expect(isNotSupported(await rejection(b.delete(web0.key)))).toBe(true);
    expect(isNotSupported(await rejection(b.updateStatus(web0)))).toBe(true);
  });

  describe('in CNI patch mode', () => {
    let cni: Backend;
    let web0: KVPair<WorkloadEndpoint>;
    beforeEach(async () => {
      cni = await h.backend({ patchMode: 'cni' });
      h.server.store.seed({ ...kubePod('shop', 'web-0', 'node-1', '', {}), status: { phase: 'Pending' } });
      web0 = await cni.get<WorkloadEndpoint>({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'node--1-k8s-web--0-eth0' });
    });

    it('create patches the Pod status annotations with a strategic merge patch', async () => {
      h.server.clearRequests();
      const value = { ...web0.value, spec: { ...web0.value.spec, ipNetworks: ['10.244.1.7/32', 'fd00::7/128'], containerID: 'abc123' } };
      const created = await cni.create({ key: web0.key, value });
      const patch = h.server.requests.find((r) => r.method === 'PATCH');
      expect(patch?.path).toBe('/api/v1/namespaces/shop/pods/web-0/status');
      expect(patch?.contentType).toBe('application/strategic-merge-patch+json');
      expect(patch?.body).toEqual({
        metadata: { annotations: { 'cni.projectcalico.org/podIP': '10.244.1.7/32', 'cni.projectcalico.org/podIPs': '10.244.1.7/32,fd00::7/128', 'cni.projectcalico.org/containerID': 'abc123' }, uid: web0.value.metadata.uid },
      });
      expect((created.value as WorkloadEndpoint).spec.ipNetworks).toEqual(['10.244.1.7/32', 'fd00::7/128']);
      expect((created.value as WorkloadEndpoint).spec.containerID).toBe('abc123');
    });

    it('delete blanks the IP annotations and keeps the container ID; a stale revision conflicts; another uid is NotFound', async () => {
      const created = await cni.update({ ...web0, value: { ...web0.value, spec: { ...web0.value.spec, ipNetworks: ['10.244.1.7/32'], containerID: 'c1' } } });
      await expect(cni.delete(web0.key, { revision: web0.revision })).rejects.toMatchObject({ code: 'Conflict' });
      expect(isNotFound(await rejection(cni.delete(web0.key, { uid: '00000000-0000-4000-8000-000000000000' })))).toBe(true);
      await cni.delete(web0.key, { revision: created.revision, uid: created.value.metadata.uid ?? '' });
      const annotations = h.server.store.get('v1', 'Pod', 'web-0', 'shop')?.metadata?.annotations;
      expect(annotations).toMatchObject({ 'cni.projectcalico.org/podIP': '', 'cni.projectcalico.org/podIPs': '', 'cni.projectcalico.org/containerID': 'c1' });
    });

    it('a name without a Pod is a validation error', async () => {
      expect(isValidationError(await rejection(cni.delete({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'bogus' })))).toBe(true);
    });
  });
});

describe('KubernetesNetworkPolicy', () => {
  const knp = (name: string, namespace = 'shop') => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: {}, policyTypes: ['Egress'] },
  });

  it('reads Kubernetes NetworkPolicies converted, with their own revisions (spec §7)', async () => {
    h.server.store.seed(knp('deny-egress'), knp('b', 'other'));
    const got = await b.get({ kind: KUBERNETES_NETWORK_POLICY_KIND, namespace: 'shop', name: 'deny-egress' });
    expect(got.value).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'deny-egress', namespace: 'shop' }, spec: { selector: "projectcalico.org/orchestrator == 'k8s'", types: ['Egress'], order: 1000, tier: 'default' } });
    expect(got.revision).toBe(h.server.store.get('networking.k8s.io/v1', 'NetworkPolicy', 'deny-egress', 'shop')?.metadata?.resourceVersion);
    expect((await b.list({ kind: KUBERNETES_NETWORK_POLICY_KIND })).items.map((i) => i.key.name)).toEqual(['b', 'deny-egress']);
    // Calico NetworkPolicies do not include them.
    expect((await b.list({ kind: 'NetworkPolicy' })).items).toEqual([]);
  });

  it('with legacy names they are knp.default.<name>, reachable by either name', async () => {
    h.server.store.seed(knp('deny-egress'));
    const legacy = await h.backend({ legacyKubernetesPolicyNames: true });
    expect((await legacy.get({ kind: KUBERNETES_NETWORK_POLICY_KIND, namespace: 'shop', name: 'knp.default.deny-egress' })).value.metadata.name).toBe('knp.default.deny-egress');
    expect((await legacy.list({ kind: KUBERNETES_NETWORK_POLICY_KIND, name: 'knp.default.deny-egress' })).items).toHaveLength(1);
  });

  it('writes are NotSupported, naming the reason', async () => {
    h.server.store.seed(knp('deny-egress'));
    const got = await b.get({ kind: KUBERNETES_NETWORK_POLICY_KIND, namespace: 'shop', name: 'deny-egress' });
    for (const attempt of [b.create({ key: got.key, value: got.value }), b.update(got), b.delete(got.key)]) {
      const e = await rejection(attempt);
      expect(isNotSupported(e)).toBe(true);
      expect((e as Error).message).toContain('kubernetes network policies must be managed through the kubernetes API');
    }
  });

  it('are watched', async () => {
    const events = openTap(b.watch({ kind: KUBERNETES_NETWORK_POLICY_KIND, namespace: 'shop' }));
    try {
      h.server.store.seed(knp('p1'));
      expect(describeEvent(await events.next())).toBe('ADDED p1');
    } finally {
      events.close();
    }
  });
});

describe('other kinds', () => {
  it('are NotSupported (and a missing kind is a validation error)', async () => {
    expect(isNotSupported(await rejection(b.get({ kind: 'Profile', name: 'kns.shop' })))).toBe(true);
    expect(isValidationError(await rejection(b.list({ kind: '' })))).toBe(true);
    const events = openTap(b.watch({ kind: 'BGPPeer' }));
    expect(await events.ended()).toBe('error');
    expect(isNotSupported(events.error)).toBe(true);
  });
});
