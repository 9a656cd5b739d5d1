/**
 * `createKubernetesBackend`: the {@link Backend} over the Kubernetes API (Calico's "KDD" mode),
 * through `@kubernetes/client-node`, which is loaded only here.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { throwError } from '../../rx.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesDatastoreConfig } from '../../config.js';
import { NotSupportedError, UnavailableError, ValidationError, type ParseError } from '../../errors.js';
import type { Backend, BackendCapabilities, BackendEvent, ResourceKey, ResourceObject } from '../backend.js';
import type { NamingMode } from '../policy-storage-names.js';
import { assertValueFitsKey } from '../value-key.js';
import { createCheckedAfterWrite } from '../create-guard-after-write.js';
import { createClusterInformationClient } from './cluster-information.js';
import { genericCrdClient } from './generic-crd.js';
import type { CrdFacts, K8sContext, OpenWatch, ResolvedK8sOptions } from './context.js';
import type { ResourceClient } from './crd-client.js';
import { discoverCrdFacts } from './discovery.js';
import { createGlobalNetworkPolicyClient } from './global-network-policy.js';
import { detectNamingMode, ensureInitialized } from './init.js';
import { createIPPoolClient } from './ippool.js';
import { buildKubeConfig } from './kubeconfig.js';
import { createKubernetesNetworkPolicyClient, KUBERNETES_NETWORK_POLICY_KIND } from './kubernetes-network-policy.js';
import { createNetworkPolicyClient } from './network-policy.js';
import { createNodeClient } from './node.js';
import { createTierClient } from './tier.js';
import { createTransport } from './transport.js';
import { createWorkloadEndpointClient } from './workload-endpoint.js';

/** What the Kubernetes backend supports (backends spec §1.5): no previous value on MODIFIED, "not older than" reads, Node and WorkloadEndpoint are views, bookmarks, create guards checked after the write. */
export const KUBERNETES_CAPABILITIES: BackendCapabilities = Object.freeze({
  name: 'kubernetes',
  previousOnModified: false,
  exactRevisionReads: false,
  nodeLifecycle: false,
  workloadEndpointWrites: false,
  bookmarks: true,
  atomicCreateGuards: false,
});

/** Options of {@link createKubernetesBackend} beyond the datastore configuration. */
export interface KubernetesBackendOptions {
  /** Use this client-node `KubeConfig` instead of building one from the configuration. */
  kubeConfig?: KubeConfig;
  /**
   * `'cni'`: WorkloadEndpoint create, update and delete PATCH the Pod's status annotations, as
   * Calico's CNI plugin does. Without it those writes are NotSupported.
   * @default undefined
   */
  patchMode?: 'cni';
  /**
   * Items per page when the backend pages a list itself.
   * @default 500
   */
  pageSize?: number;
  /**
   * Storage names of new default-tier policies: `auto` follows the cluster's Calico version
   * (`ClusterInformation`), `current` always uses the v3 name, `legacy` the `default.` prefix.
   * @default 'auto'
   */
  policyNaming?: 'auto' | 'current' | 'legacy';
  /**
   * Host-local IPAM (`USE_POD_CIDR`): Node tunnel addresses come from the Node's pod CIDR.
   * @default false
   */
  usePodCIDR?: boolean;
  /**
   * Host-side interface prefix of WorkloadEndpoints.
   * @default first entry of `FELIX_INTERFACEPREFIX`, else `cali`
   */
  interfacePrefix?: string;
  /**
   * Name converted Kubernetes NetworkPolicies `knp.default.<name>` (Calico ≤ 3.31).
   * @default false
   */
  legacyKubernetesPolicyNames?: boolean;
  /**
   * Timeout of each non-watch request, in milliseconds (0: none).
   * @default 60000
   */
  requestTimeoutMs?: number;
  /**
   * Range of the server-side timeout asked for each watch request, in seconds; a random value
   * in it is used per stream, so that many watches do not reconnect together.
   * @default [300, 600]
   */
  watchTimeoutSeconds?: readonly [number, number];
  /**
   * A watch stream that receives nothing (not even a bookmark) for this long is treated as a
   * dead connection and reopened.
   * @default 660000
   */
  watchIdleTimeoutMs?: number;
  /**
   * How many times a broken watch connection is reopened (from the last revision) before the
   * watch errors.
   * @default 5
   */
  watchReconnectAttempts?: number;
  /**
   * Delay before the first reopening attempt, doubling for each further one, in milliseconds.
   * @default 250
   */
  watchReconnectDelayMs?: number;
  /** Receives objects that a list skipped because they do not decode. @default a process warning */
  onParseError?: (error: ParseError) => void;
  /** Receives notices (CRDs not installed, QoS annotations clamped, policy rules dropped). @default a process warning */
  onWarning?: (message: string) => void;
  /** Environment (for `KUBERNETES_SERVICE_HOST`/`_PORT`). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

function positive(value: number | undefined, fallback: number, path: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new ValidationError([{ path, type: 'invalid', message: allowZero ? 'must be zero or more' : 'must be more than zero' }]);
  return value;
}

function resolveOptions(options: KubernetesBackendOptions): ResolvedK8sOptions {
  const [minT, maxT] = options.watchTimeoutSeconds ?? [300, 600];
  if (!(minT >= 1 && maxT >= minT)) throw new ValidationError([{ path: 'watchTimeoutSeconds', type: 'invalid', message: 'must be [min, max] seconds with 1 ≤ min ≤ max' }]);
  const warned = new Set<string>();
  return {
    pageSize: Math.floor(positive(options.pageSize, 500, 'pageSize')),
    watchTimeoutSeconds: [minT, maxT],
    watchIdleTimeoutMs: positive(options.watchIdleTimeoutMs, 660_000, 'watchIdleTimeoutMs'),
    watchReconnectAttempts: Math.floor(positive(options.watchReconnectAttempts, 5, 'watchReconnectAttempts', true)),
    watchReconnectDelayMs: positive(options.watchReconnectDelayMs, 250, 'watchReconnectDelayMs', true),
    cniPatchMode: options.patchMode === 'cni',
    policyNaming: options.policyNaming ?? 'auto',
    usePodCIDR: options.usePodCIDR === true,
    interfacePrefix: options.interfacePrefix,
    legacyKubernetesPolicyNames: options.legacyKubernetesPolicyNames === true,
    onParseError: options.onParseError ?? ((e) => process.emitWarning(`skipped a Kubernetes object that does not decode: ${e.message}`, { code: 'CALICO_PARSE_ERROR' })),
    onWarning:
      options.onWarning ??
      ((m) => {
        // Say each thing once: watches and lists repeat themselves.
        if (warned.has(m) || warned.size > 1000) return;
        warned.add(m);
        process.emitWarning(m, { code: 'CALICO_KUBERNETES' });
      }),
  };
}

/** Memoises a successful promise; a failed one is retried on the next call. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

/**
 * Creates the Kubernetes backend. Loads `@kubernetes/client-node` (importing this package does
 * not) and builds its configuration from `config` — kubeconfig file(s) (`:`-separated, the
 * first to set a value wins), inline kubeconfig, API endpoint, CA/client certificate/key files,
 * token, insecure TLS, context — or the in-cluster service account. Nothing is sent to the API
 * server yet: the first operation discovers which API group holds the Calico CRDs (backends spec
 * §3.1) and reports an unreachable server.
 *
 * Kinds: IPPool, Tier, NetworkPolicy, GlobalNetworkPolicy and ClusterInformation as custom
 * resources; Node as a view of Kubernetes Nodes; WorkloadEndpoint as a view of Pods;
 * `KubernetesNetworkPolicy` (read-only) for Kubernetes NetworkPolicies converted to Calico
 * NetworkPolicy objects; Calico's other CRD-backed kinds (BGPPeer, FelixConfiguration, …) as
 * whole objects through the generic mapping. Other kinds are NotSupported.
 *
 * ## Example
 * ```ts
 * const backend = await createKubernetesBackend({ datastoreType: 'kubernetes', kubeconfig: '/home/me/.kube/config' });
 * const { items } = await backend.list({ kind: 'IPPool' });
 * const weps = await backend.list({ kind: 'WorkloadEndpoint', namespace: 'shop' });
 * await backend.close();
 * ```
 * @param config The datastore configuration.
 * @param options See {@link KubernetesBackendOptions}.
 * @return The backend.
 * @throws ValidationError for configuration problems (naming the setting, never its value).
 */
export async function createKubernetesBackend(config: KubernetesDatastoreConfig, options: KubernetesBackendOptions = {}): Promise<Backend> {
  const resolved = resolveOptions(options);
  const k8s = await import('@kubernetes/client-node');
  const kc = options.kubeConfig ?? buildKubeConfig(k8s, config, options.env ?? process.env);
  const requestTimeoutMs = positive(options.requestTimeoutMs, 60_000, 'requestTimeoutMs', true);
  const transport = createTransport(k8s, kc, {
    requestTimeoutMs,
    ...(config.k8sClientQPS ? { qps: config.k8sClientQPS } : {}),
    ...(config.k8sClientBurst ? { burst: config.k8sClientBurst } : {}),
  });
  let closed = false;
  const watches = new Set<OpenWatch>();
  let clients: Record<string, ResourceClient> = {};
  const crdFacts = once<CrdFacts>(() => discoverCrdFacts(transport, config.calicoAPIGroup, resolved.onWarning));
  const namingMode = once<NamingMode>(() => detectNamingMode(resolved.policyNaming, clients.ClusterInformation as ResourceClient));
  const ctx: K8sContext = { transport, options: resolved, crdFacts, namingMode, closed: () => closed, watches };
  clients = {
    IPPool: createIPPoolClient(ctx),
    Tier: createTierClient(ctx),
    NetworkPolicy: createNetworkPolicyClient(ctx),
    GlobalNetworkPolicy: createGlobalNetworkPolicyClient(ctx),
    ClusterInformation: createClusterInformationClient(ctx),
    Node: createNodeClient(ctx),
    WorkloadEndpoint: createWorkloadEndpointClient(ctx),
    [KUBERNETES_NETWORK_POLICY_KIND]: createKubernetesNetworkPolicyClient(ctx),
  };

  const genericClients = new Map<string, ResourceClient>();
  const clientFor = (kind: unknown, operation: string, key?: ResourceKey): ResourceClient => {
    if (closed) throw new UnavailableError('the Kubernetes backend is closed');
    const client =
      typeof kind === 'string' ? (Object.hasOwn(clients, kind) ? clients[kind] : genericCrdClient(ctx, genericClients, kind)) : undefined;
    if (!client) {
      if (typeof kind !== 'string' || kind === '') throw new ValidationError([{ path: 'kind', type: 'required', message: 'a kind is required' }]);
      throw new NotSupportedError(operation, { ...(key ? { identifier: { ...key } } : {}), reason: `the Kubernetes backend does not store ${kind} objects` });
    }
    return client;
  };
  const call = async <R>(kind: unknown, operation: string, key: ResourceKey | undefined, run: (c: ResourceClient) => Promise<R>): Promise<R> => run(clientFor(kind, operation, key));
  /** A write: the value must fit its key (the rule of every backend, see value-key.ts); the read-only view refuses every write itself. */
  const write = <R>(operation: string, kv: { key: ResourceKey; value: unknown }, run: (c: ResourceClient) => Promise<R>): Promise<R> =>
    call(kv?.key?.kind, operation, kv?.key, (c) => {
      if (kv.key.kind !== KUBERNETES_NETWORK_POLICY_KIND) assertValueFitsKey(kv.key, kv.value);
      return run(c);
    });

  const backend: Backend = {
    capabilities: KUBERNETES_CAPABILITIES,
    create: (kv, createOptions) =>
      createOptions?.guard
        ? createCheckedAfterWrite(backend, kv, createOptions.guard, requestTimeoutMs || 60_000)
        : (write('Create', kv, (c) => c.create(kv)) as never),
    update: (kv) => write('Update', kv, (c) => c.update(kv)) as never,
    updateStatus: (kv) => write('UpdateStatus', kv, (c) => c.updateStatus(kv)) as never,
    delete: (key, pre) => call(key?.kind, 'Delete', key, (c) => c.delete(key, pre)) as never,
    get: (key, opts) => call(key?.kind, 'Get', key, (c) => c.get(key, opts)) as never,
    list: (request) => call(request?.kind, 'List', undefined, (c) => c.list(request)) as never,
    watch<T extends ResourceObject>(request: Parameters<Backend['watch']>[0]): Observable<BackendEvent<T>> {
      try {
        return clientFor(request?.kind, 'Watch').watch(request) as Observable<BackendEvent<T>>;
      } catch (e) {
        return throwError(() => e);
      }
    },
    async ensureInitialized() {
      clientFor('Tier', 'EnsureInitialized');
      await ensureInitialized({ Tier: clients.Tier as ResourceClient, ClusterInformation: clients.ClusterInformation as ResourceClient });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of [...watches]) w.stop();
    },
  };
  return backend;
}
