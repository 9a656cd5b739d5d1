/**
 * `createClient`: typed access to Calico resources in any datastore.
 *
 * @module
 */
import type { Backend, ResourceObject } from './backends/backend.js';
import { createMemoryBackend } from './backends/memory/index.js';
import { loadDatastoreConfig, type DatastoreConfig, type LoadConfigOptions } from './config.js';
import { NotSupportedError } from './errors.js';
import type { GlobalNetworkPolicy, IPPool, NetworkPolicy, Node, Tier, WorkloadEndpoint } from './model/types.generated.js';
import type { KindBehaviour, KindContext } from './client/kind-behaviour.js';
import { ipPoolBehaviour } from './client/ippool.js';
import { nodeBehaviour } from './client/node.js';
import { globalNetworkPolicyBehaviour, networkPolicyBehaviour } from './client/policies.js';
import { tierBehaviour } from './client/tier.js';
import { workloadEndpointBehaviour } from './client/workload-endpoint.js';
import { createKubernetesNetworkPolicies, type ReadOnlyResourceClient } from './client/kubernetes-network-policies.js';
import { createResourceClient, type ResourceClient, type StatusResourceClient } from './client/resource-client.js';
import { listAllPages } from './backends/list-pages.js';

/** Tuning shared by every way of creating a client. */
export interface ClientTuning {
  /**
   * How long an IPPool delete waits between disabling the pool and deleting it, so in-flight IPAM
   * allocations finish (Calico waits about half a second).
   * @default 500
   */
  ipPoolDeleteDelayMs?: number;
  /**
   * Initialise the datastore (built-in tiers, `ClusterInformation`) before the first write, as
   * calicoctl does before `create`, `apply` and `replace`: once per client, on the first `create`,
   * `update` or `updateStatus` whose input passed validation (so a call refused for its input
   * writes nothing), or on `backend()`. Reads (`get`, `list`, `watch`) and deletes never
   * initialise. Set it to false where even that is unwanted, and call
   * `backend().then((b) => b.ensureInitialized())` yourself when needed.
   * @default true
   */
  initialize?: boolean;
}

/**
 * How to reach the datastore: a {@link DatastoreConfig} (`{ datastoreType: 'memory' }`, etcd or
 * Kubernetes settings), a ready {@link Backend} (for example `createMemoryBackend()` from
 * `calico-datastore/testing`), or where to read the configuration from (a CalicoAPIConfig file or
 * the environment, as calicoctl does).
 */
export type ClientOptions = ClientTuning & (DatastoreConfig | { backend: Backend } | LoadConfigOptions);

/**
 * A Calico client: one typed accessor per kind over one datastore.
 *
 * ## Example
 * ```ts
 * import { createClient } from 'calico-datastore';
 * const client = createClient({ datastoreType: 'memory' });
 * await client.ipPools.create({
 *   apiVersion: 'projectcalico.org/v3', kind: 'IPPool',
 *   metadata: { name: 'pool-a' }, spec: { cidr: '10.10.0.0/16' },
 * });
 * console.log((await client.ipPools.list()).items.map((p) => p.spec.cidr));
 * await client.close();
 * ```
 */
export interface CalicoClient {
  /** IPPools (cluster-scoped). */
  readonly ipPools: StatusResourceClient<IPPool>;
  /** Nodes (cluster-scoped). Create and delete are not supported on Kubernetes. */
  readonly nodes: StatusResourceClient<Node>;
  /** WorkloadEndpoints (namespaced). */
  readonly workloadEndpoints: ResourceClient<WorkloadEndpoint>;
  /** NetworkPolicies (namespaced). */
  readonly networkPolicies: ResourceClient<NetworkPolicy>;
  /** GlobalNetworkPolicies (cluster-scoped). */
  readonly globalNetworkPolicies: ResourceClient<GlobalNetworkPolicy>;
  /** Tiers (cluster-scoped), which order policies. */
  readonly tiers: StatusResourceClient<Tier>;
  /**
   * Kubernetes NetworkPolicies converted to Calico NetworkPolicies (keeping the Kubernetes name, as current Calico does), read-only.
   * Kubernetes datastore only: elsewhere every call rejects with NotSupportedError.
   */
  readonly kubernetesNetworkPolicies: ReadOnlyResourceClient<NetworkPolicy>;
  /** The backend, created on first use and initialised (built-in tiers) unless `initialize: false` was given: it is the way to writes the accessors do not offer. */
  backend(): Promise<Backend>;
  /** Stops every watch and releases connections. Idempotent. */
  close(): Promise<void>;
}

async function backendFor(config: DatastoreConfig): Promise<Backend> {
  switch (config.datastoreType) {
    case 'memory':
      return createMemoryBackend();
    case 'etcdv3': {
      const { createEtcdBackendFromConfig } = await import('./backends/etcdv2/from-config.js');
      return createEtcdBackendFromConfig(config);
    }
    case 'kubernetes': {
      const { createKubernetesBackend } = await import('./backends/k8s/index.js');
      return createKubernetesBackend(config, config.usePodCIDR === undefined ? {} : { usePodCIDR: config.usePodCIDR });
    }
  }
}

function resolveBackend(options: ClientOptions): () => Promise<Backend> {
  if ('backend' in options) return () => Promise.resolve(options.backend);
  const config = 'datastoreType' in options && options.datastoreType !== undefined ? (options as DatastoreConfig) : loadDatastoreConfig(options as LoadConfigOptions);
  return () => backendFor(config);
}

/**
 * Creates a client. With no argument it reads the datastore configuration as calicoctl does:
 * `/etc/calico/calicoctl.cfg` if it exists, otherwise the environment (`DATASTORE_TYPE`,
 * `ETCD_ENDPOINTS`, `KUBECONFIG`, …). Configuration errors throw a ValidationError at once; the
 * connection itself is made on first use.
 *
 * @param options See {@link ClientOptions}.
 * @return The client.
 */
export function createClient(options: ClientOptions = {}): CalicoClient {
  const open = resolveBackend(options);
  // A caller-supplied backend stays the caller's: close() does not close it.
  const ownsBackend = !('backend' in options);
  const ipPoolDeleteDelayMs = options.ipPoolDeleteDelayMs ?? 500;
  const initialize = options.initialize ?? true;
  let ready: Promise<Backend> | undefined;
  let initialized: Promise<Backend> | undefined;
  let closed = false;

  /** The backend, opened on first use; reads and deletes never initialise the datastore. */
  const getBackend = (): Promise<Backend> => {
    if (closed) return Promise.reject(new NotSupportedError('Use', { identifier: { kind: 'Client', name: 'calico-datastore' }, reason: 'the client is closed' }));
    ready ??= open();
    ready.catch(() => {
      ready = undefined; // a failed connection is retried on the next call
    });
    return ready;
  };

  /**
   * The backend for a write that passed its offline checks: with `initialize`, the datastore is
   * initialised first (once per client), as calicoctl does before create, apply and replace.
   */
  const writableBackend = (): Promise<Backend> => {
    if (!initialize) return getBackend();
    initialized ??= getBackend().then(async (b) => {
      await b.ensureInitialized();
      return b;
    });
    initialized.catch(() => {
      initialized = undefined; // a failed initialisation is tried again by the next write
    });
    return initialized;
  };

  const contextFor = (backend: Backend): KindContext => ({
    backend,
    ipPoolDeleteDelayMs,
    listAll: <T extends ResourceObject>(kind: string, namePrefix?: string) => listAllPages<T>(backend, { kind, ...(namePrefix ? { name: namePrefix, namePrefix: true } : {}) }),
  });

  const accessor = <T extends ResourceObject>(b: KindBehaviour<T>) => createResourceClient<T>(b, getBackend, contextFor, writableBackend);

  return {
    ipPools: accessor(ipPoolBehaviour),
    nodes: accessor(nodeBehaviour),
    workloadEndpoints: accessor(workloadEndpointBehaviour),
    networkPolicies: accessor(networkPolicyBehaviour),
    globalNetworkPolicies: accessor(globalNetworkPolicyBehaviour),
    tiers: accessor(tierBehaviour),
    kubernetesNetworkPolicies: createKubernetesNetworkPolicies(getBackend, contextFor),
    backend: writableBackend,
    async close() {
      if (closed) return;
      closed = true;
      const b = ready;
      ready = undefined;
      initialized = undefined;
      if (b && ownsBackend) await (await b.catch(() => undefined))?.close();
    },
  };
}
