/**
 * Datastores and data for the `datastore migrate` tests: throwaway etcd and fake Kubernetes API
 * servers with library clients that never initialise on their own (so a test can prove that
 * nothing was written), a rich etcd seed, and a parser for export files.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { parse as parseYaml } from 'yaml';
import type { Backend, ResourceObject } from '../../../src/backends/backend.js';
import { createClient, type CalicoClient } from '../../../src/client.js';
import { isNotFound } from '../../../src/errors.js';
import { etcdKey } from '../../../src/backends/etcdv2/keys.js';
import { keyOf } from '../../../src/cli/migrate/resource-keys.js';
import { startEtcd } from '../../support/etcd-process.js';
import { startFakeApiServer } from '../../fake-apiserver/index.js';
import { ALL_CALICO_CRDS } from '../support/datastores.js';

export const V3 = 'projectcalico.org/v3';

/** A running datastore with the environment that points the CLI at it. */
export interface MigrateDatastore {
  /** Environment for the CLI subprocess. */
  readonly env: Record<string, string>;
  /** A library client (`initialize: false`). */
  readonly client: CalicoClient;
  /** The raw backend of `client`. */
  backend(): Promise<Backend>;
  /** Stops everything. */
  stop(): Promise<void>;
}

/** An etcd datastore. */
export interface EtcdMigrateDatastore extends MigrateDatastore {
  /** Client URLs. */
  readonly endpoints: string[];
}

/** A fake Kubernetes datastore. */
export interface KubeMigrateDatastore extends MigrateDatastore {
  /** The fake API server (for seeding Namespaces and Nodes, and for reading raw storage). */
  readonly server: Awaited<ReturnType<typeof startFakeApiServer>>;
}

/** Starts a throwaway etcd. */
export async function etcdTarget(): Promise<EtcdMigrateDatastore> {
  const etcd = await startEtcd();
  const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, initialize: false });
  return {
    env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(',') },
    endpoints: etcd.endpoints,
    client,
    backend: () => client.backend(),
    async stop() {
      await client.close();
      await etcd.stop();
    },
  };
}

/**
 * Starts the fake Kubernetes API server.
 *
 * @param crds Calico CRD plurals to serve (default: all of them).
 */
export async function kubeTarget(crds: readonly string[] = ALL_CALICO_CRDS): Promise<KubeMigrateDatastore> {
  const server = await startFakeApiServer({ calicoCrds: crds });
  const dir = mkdtempSync(join(tmpdir(), 'cdctl-migrate-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, server.kubeconfigYaml());
  const client = createClient({ datastoreType: 'kubernetes', kubeconfig, initialize: false });
  return {
    env: { DATASTORE_TYPE: 'kubernetes', KUBECONFIG: kubeconfig },
    server,
    client,
    backend: () => client.backend(),
    async stop() {
      await client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seeds a Namespace and Nodes into a fake Kubernetes cluster. */
export function seedKube(kube: KubeMigrateDatastore, namespaces: readonly string[], nodes: readonly string[]): void {
  for (const name of namespaces) kube.server.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as never);
  for (const name of nodes) kube.server.store.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name } } as never);
}

/** The modelled objects of the etcd seed, created through the typed client. */
export const SEED_MODELLED: readonly ResourceObject[] = [
  { apiVersion: V3, kind: 'IPPool', metadata: { name: 'pool-a', labels: { zone: 'a' } }, spec: { cidr: '10.40.0.0/16', natOutgoing: true, ipipMode: 'Always' } },
  { apiVersion: V3, kind: 'IPPool', metadata: { name: 'pool-b' }, spec: { cidr: '10.41.0.0/16', blockSize: 28, disabled: true } },
  { apiVersion: V3, kind: 'Tier', metadata: { name: 'security', annotations: { owner: 'secops' } }, spec: { order: 100 } },
  { apiVersion: V3, kind: 'GlobalNetworkPolicy', metadata: { name: 'security.deny-db' }, spec: { tier: 'security', order: 10, selector: "app == 'db'", types: ['Ingress'], ingress: [{ action: 'Deny' }] } },
  { apiVersion: V3, kind: 'GlobalNetworkPolicy', metadata: { name: 'allow-dns' }, spec: { selector: 'all()', egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }] } },
  ...['default', 'shop'].map((ns) => ({
    apiVersion: V3,
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-web', namespace: ns, labels: { team: ns } },
    spec: { selector: "app == 'web'", ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '8000:8080'] } }] },
  })),
  { apiVersion: V3, kind: 'Node', metadata: { name: 'etcd-node-1' }, spec: { bgp: { ipv4Address: '10.0.0.11/24' }, orchRefs: [{ orchestrator: 'k8s', nodeName: 'worker-1' }] } },
  { apiVersion: V3, kind: 'Node', metadata: { name: 'etcd-node-2' }, spec: { bgp: { ipv4Address: '10.0.0.12/24', asNumber: 64600 }, orchRefs: [{ orchestrator: 'k8s', nodeName: 'worker-2' }] } },
];

/** Objects of kinds the library does not model, written raw through the etcd backend. */
export const SEED_RAW: readonly ResourceObject[] = [
  { apiVersion: V3, kind: 'BGPPeer', metadata: { name: 'rack-1', labels: { rack: '1' } }, spec: { peerIP: '10.0.0.1', asNumber: 64513 } },
  { apiVersion: V3, kind: 'BGPConfiguration', metadata: { name: 'default' }, spec: { asNumber: 64512, nodeToNodeMeshEnabled: false } },
  { apiVersion: V3, kind: 'BGPConfiguration', metadata: { name: 'node.etcd-node-2' }, spec: { listenPort: 1790 } },
  { apiVersion: V3, kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { logSeverityScreen: 'Info', defaultEndpointToHostAction: 'ACCEPT', iptablesFilterAllowAction: 'return' } },
  { apiVersion: V3, kind: 'FelixConfiguration', metadata: { name: 'node.etcd-node-1' }, spec: { logSeverityScreen: 'Debug' } },
  { apiVersion: V3, kind: 'GlobalNetworkSet', metadata: { name: 'partners', labels: { role: 'partner' } }, spec: { nets: ['192.0.2.0/24'] } },
  { apiVersion: V3, kind: 'NetworkSet', metadata: { name: 'cdn', namespace: 'shop' }, spec: { nets: ['198.51.100.0/24'] } },
  { apiVersion: V3, kind: 'HostEndpoint', metadata: { name: 'worker-1-eth0', labels: { host: 'w1' } }, spec: { node: 'worker-1', interfaceName: 'eth0', expectedIPs: ['10.0.0.11'] } },
  { apiVersion: V3, kind: 'KubeControllersConfiguration', metadata: { name: 'default' }, spec: { controllers: { node: { reconcilerPeriod: '5m' } } } },
];

/** A Kubernetes-generated policy as the etcd datastore holds it; exports leave it out. */
export const SEED_KNP: ResourceObject = {
  apiVersion: V3,
  kind: 'NetworkPolicy',
  metadata: { name: 'knp.default.from-k8s', namespace: 'shop' },
  spec: { selector: 'all()', types: ['Ingress'] },
};

/** The raw IPAM keys of the seed (node `etcd-node-1`). */
export const SEED_IPAM: Readonly<Record<string, unknown>> = {
  '/calico/ipam/v2/host/etcd-node-1/ipv4/block/10.40.0.0-26': { state: 'confirmed', deleted: false },
  '/calico/ipam/v2/assignment/ipv4/block/10.40.0.0-26': {
    cidr: '10.40.0.0/26',
    affinity: 'host:etcd-node-1',
    allocations: [0, null],
    unallocated: [1],
    attributes: [{ handle_id: 'ipip-tunnel-addr-etcd-node-1', secondary: { node: 'etcd-node-1', type: 'ipipTunnelAddress' } }],
  },
  '/calico/ipam/v2/handle/ipip-tunnel-addr-etcd-node-1': { block: { '10.40.0.0/26': 1 } },
  '/calico/ipam/v2/handle/k8s-pod-network.abc': { block: { '10.40.0.0/26': 1 } },
  '/calico/ipam/v2/config': { strict_affinity: false, auto_allocate_blocks: true },
};

/**
 * Seeds an etcd source: modelled objects through the typed client, unmodelled ones and a
 * `knp.default.*` policy raw through the backend, and IPAM keys with a plain etcd3 client.
 *
 * @param source The datastore.
 */
export async function seedEtcdSource(source: EtcdMigrateDatastore): Promise<void> {
  const c = source.client;
  await (await source.backend()).ensureInitialized();
  const typed: Record<string, { create(o: never): Promise<unknown> }> = {
    IPPool: c.ipPools,
    Tier: c.tiers,
    GlobalNetworkPolicy: c.globalNetworkPolicies,
    NetworkPolicy: c.networkPolicies,
    Node: c.nodes,
  };
  for (const obj of SEED_MODELLED) await typed[obj.kind]!.create(obj as never);
  const backend = await source.backend();
  for (const obj of SEED_RAW) {
    await backend.create({ key: keyOf(obj), value: obj });
  }
  const etcd = new Etcd3({ hosts: source.endpoints });
  try {
    // The backend refuses to write knp.default.* policies (Kubernetes owns them), so raw, in Calico's layout.
    await etcd.put(etcdKey(keyOf(SEED_KNP))).value(JSON.stringify(SEED_KNP));
    for (const [key, value] of Object.entries(SEED_IPAM)) await etcd.put(key).value(JSON.stringify(value));
  } finally {
    etcd.close();
  }
}

/** A parsed export file, as the tests see it. */
export interface ExportSections {
  /** `kind` of each YAML list, in order. */
  readonly listKinds: string[];
  /** The items of each list, by list kind (`IPPoolList` → items). */
  readonly items: ReadonlyMap<string, ResourceObject[]>;
  /** Section 2. */
  readonly clusterInformation: ResourceObject;
  /** Section 3. */
  readonly ipam: Record<string, Array<{ Key: string; Value: Record<string, unknown>; TTL: number }>>;
}

/**
 * Splits an export file on `===` lines and parses each part.
 *
 * @param text The file.
 * @return The sections.
 */
export function parseExport(text: string): ExportSections {
  const sections = text.split(/^===\n/m);
  if (sections.length !== 3) throw new Error(`expected three sections, got ${sections.length}`);
  const lists = sections[0]!
    .split(/^---\n/m)
    .filter((d) => d.trim() !== '')
    .map((d) => parseYaml(d) as { kind: string; items: ResourceObject[] });
  return {
    listKinds: lists.map((l) => l.kind),
    items: new Map(lists.map((l) => [l.kind, l.items])),
    clusterInformation: JSON.parse(sections[1]!) as ResourceObject,
    ipam: JSON.parse(sections[2]!) as ExportSections['ipam'],
  };
}

/** The list kinds of section 1, in calicoctl's order. */
export const EXPORT_LIST_KINDS = [
  'IPPoolList', 'BGPPeerList', 'TierList', 'GlobalNetworkPolicyList', 'StagedGlobalNetworkPolicyList', 'GlobalNetworkSetList', 'HostEndpointList',
  'KubeControllersConfigurationList', 'NetworkPolicyList', 'StagedNetworkPolicyList', 'StagedKubernetesNetworkPolicyList', 'NetworkSetList', 'NodeList',
  'BGPConfigurationList', 'FelixConfigurationList', 'IPReservationList', 'BGPFilterList',
];

/**
 * Reads ClusterInformation `default`, or undefined when it does not exist.
 *
 * @param ds The datastore.
 * @return Its spec.
 */
export async function clusterSpec(ds: MigrateDatastore): Promise<Record<string, unknown> | undefined> {
  try {
    return (await (await ds.backend()).get({ kind: 'ClusterInformation', name: 'default' })).value.spec as Record<string, unknown>;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Every object of the given kinds, keyed `Kind/namespace/name`.
 *
 * @param ds The datastore.
 * @param kinds The kinds.
 * @return Key → object.
 */
export async function objectsByKey(ds: MigrateDatastore, kinds: readonly string[]): Promise<Map<string, ResourceObject>> {
  const backend = await ds.backend();
  const out = new Map<string, ResourceObject>();
  for (const kind of kinds) {
    for (const kv of (await backend.list({ kind })).items) out.set(`${kind}/${kv.value.metadata.namespace ?? ''}/${kv.value.metadata.name}`, kv.value);
  }
  return out;
}
