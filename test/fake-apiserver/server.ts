/**
 * Starts the fake Kubernetes API server on `127.0.0.1:0` over HTTP or HTTPS and wires its parts
 * together: resource registry (built-ins + Calico CRDs read from their real manifests), store,
 * watch hub, fault injection, auth, request log, kubeconfig helpers.
 *
 * @module
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify as toYaml } from 'yaml';
import type { AuthOptions } from './auth.js';
import { builtinResources } from './builtins.js';
import type { ServerSettings, ServerState, VersionInfo } from './context.js';
import { calicoCrdFile, CALICO_CRD_DIR, DEFAULT_CALICO_CRDS, readCrdManifests, withOverrides, type CrdOverrides } from './crd.js';
import { crdResource, CRD_RESOURCE_ID } from './crd-api.js';
import { createCrdController } from './crd-controller.js';
import { createFaults, type Faults } from './faults.js';
import { createNamespaceController } from './namespace-lifecycle.js';
import { createPodTerminations, type PendingTermination } from './pod-termination.js';
import { createResourceRegistry, resourceId } from './resources.js';
import { handleRequest, type RecordedRequest } from './router.js';
import { createStoreAccess, type StoreAccess } from './seed.js';
import { createStore } from './store.js';
import type { JsonObject, ResourceDefinition } from './types.js';
import { createWatchHub } from './watch-hub.js';
import { createObject, deleteObject } from './writes.js';

/** TLS material for the HTTPS variant (PEM text). */
export interface FakeTlsOptions {
  /** Server certificate (PEM). */
  cert: string;
  /** Server key (PEM). */
  key: string;
  /** CA that issued `cert`; put into generated kubeconfigs as `caData`. */
  ca?: string;
  /** CA whose client certificates are accepted (CN = user, O = groups). */
  clientCa?: string;
  /**
   * Refuse the TLS handshake without a valid client certificate.
   * @default false
   */
  requireClientCert?: boolean;
}

/** A CRD to install: a manifest path, a parsed manifest, or either with group/version overrides. */
export type CrdSource = string | JsonObject | ({ manifest: string | JsonObject } & CrdOverrides);

/** Options of {@link startFakeApiServer}. */
export interface FakeApiServerOptions {
  /**
   * Calico CRD plurals to install from their real manifests in {@link CALICO_CRD_DIR}; `false` for none.
   * @default ['ippools','networkpolicies','globalnetworkpolicies','tiers','clusterinformations']
   */
  calicoCrds?: readonly string[] | false;
  /** Folder of Calico's CRD manifests. @default CALICO_CRD_DIR */
  crdDir?: string;
  /** Further CRDs to install. */
  crds?: CrdSource[];
  /** Further resource definitions to install as given. */
  resources?: ResourceDefinition[];
  /** Serve HTTPS with this material instead of HTTP. */
  tls?: FakeTlsOptions;
  /** Require authentication (and optionally authorize requests). Absent: everyone is an administrator. */
  auth?: AuthOptions;
  /**
   * Start like a fresh cluster: Namespaces `default`, `kube-system`, `kube-public`, `kube-node-lease`,
   * each with its `default` ServiceAccount.
   * @default true
   */
  clusterBootstrap?: boolean;
  /** Namespaced writes need an existing Namespace. @default true */
  enforceNamespaces?: boolean;
  /** Every new Namespace gets a `default` ServiceAccount. @default clusterBootstrap */
  defaultServiceAccounts?: boolean;
  /** First resourceVersion - 1. @default 1000 */
  initialResourceVersion?: number;
  /**
   * Events the watch cache keeps per resource (the cacher's lower bound): a watch from a revision
   * older than the window gets 410 Expired. See README "Watch cache".
   * @default 100
   */
  watchCacheSize?: number;
  /** Capacity the watch cache may grow to while its events are fresh. @default 102400 */
  watchCacheMaxSize?: number;
  /**
   * How long watch cache events count as fresh (ms): a full window whose oldest event is fresh
   * grows instead of dropping it. The real server uses 75 000; 0 keeps the window at `watchCacheSize`.
   * @default 0
   */
  watchCacheFreshMs?: number;
  /** The server's clock in milliseconds (watch cache freshness, Pod termination). @default Date.now */
  clock?: () => number;
  /** Revisions kept before automatic compaction. @default 100000 */
  retainRevisions?: number;
  /** BOOKMARK period on watches with `allowWatchBookmarks`. @default 60000 */
  bookmarkIntervalMs?: number;
  /** Wait for a future resourceVersion before answering 504. @default 3000 */
  tooLargeResourceVersionWaitMs?: number;
  /** Honour `limit` on `resourceVersion=0` lists. @default false */
  honourLimitForResourceVersion0?: boolean;
  /** Maintain `metadata.managedFields`. @default true */
  managedFields?: boolean;
  /**
   * Scheduled Pods are deleted gracefully: a DELETE sets `deletionTimestamp` (MODIFIED) and the
   * stand-in kubelet removes the Pod when its grace period is over (see `podGracePeriodScale`).
   * `false`: every DELETE removes a Pod at once.
   * @default true
   */
  gracefulPodDeletion?: boolean;
  /**
   * Wall time the stand-in kubelet takes per second of a Pod's grace period, as a fraction
   * (0.001: 30 s take 30 ms). `Infinity`: Pods stay terminating until `server.pods.finish()` or a
   * DELETE with `gracePeriodSeconds=0`.
   * @default 0.001
   */
  podGracePeriodScale?: number;
  /** Override parts of `/version`. */
  version?: Partial<VersionInfo>;
  /** Requests kept in {@link FakeApiServer.requests}. @default 1000 */
  requestLogLimit?: number;
}

/** User credentials for generated kubeconfigs. */
export interface FakeUserOptions {
  /** User name in the kubeconfig. @default 'u' */
  name?: string;
  token?: string;
  /** Client certificate (PEM). */
  cert?: string;
  /** Client key (PEM). */
  key?: string;
}

/** Cluster and user objects for `KubeConfig.loadFromClusterAndUser`. */
export interface ClusterAndUser {
  cluster: { name: string; server: string; skipTLSVerify: boolean; caData?: string };
  user: { name: string; token?: string; certData?: string; keyData?: string };
}

/** Installing and removing resources at run time. */
export interface ResourceAdmin {
  /** Installs a resource definition. */
  register(def: ResourceDefinition): void;
  /** Installs a CRD (manifest path or object); throws if one of its CEL rules does not compile. */
  registerCrd(source: CrdSource): ResourceDefinition[];
  /** Uninstalls a resource (all versions unless given) and drops its objects. */
  unregister(group: string, plural: string, version?: string): boolean;
  /** The installed resources. */
  list(): ResourceDefinition[];
}

/** Pods waiting for the stand-in kubelet (see `pod-termination.ts`). */
export interface TerminatingPods {
  /** Pods with a deletionTimestamp whose grace period is still running. */
  terminating(): PendingTermination[];
  /** Ends the grace period now (all Pods, one namespace, or one Pod); returns how many were deleted. */
  finish(namespace?: string, name?: string): number;
}

/** A running fake API server. */
export interface FakeApiServer {
  /** Base URL, `http(s)://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** True for the HTTPS variant. */
  readonly tls: boolean;
  /** Direct store access. */
  readonly store: StoreAccess;
  /** Fault injection. */
  readonly faults: Faults;
  /** Installed resources. */
  readonly resources: ResourceAdmin;
  /** Pods being terminated gracefully, and the stand-in kubelet's controls. */
  readonly pods: TerminatingPods;
  /** Requests received so far (bounded). */
  readonly requests: readonly RecordedRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /** How many watch streams are open. */
  openWatches(): number;
  /** Cluster/user pair for `kc.loadFromClusterAndUser(cluster, user)`. */
  clusterAndUser(user?: FakeUserOptions): ClusterAndUser;
  /** A `KubeConfig` for this server (imports `@kubernetes/client-node` lazily). */
  kubeConfig(user?: FakeUserOptions): Promise<KubeConfig>;
  /** A kubeconfig file's YAML text for this server. */
  kubeconfigYaml(user?: FakeUserOptions): string;
  /** Closes every connection (open watches included), then the listener. */
  close(): Promise<void>;
}

const DEFAULT_VERSION: VersionInfo = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.4',
  gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b',
  gitTreeState: 'clean',
  buildDate: '2024-12-10T11:37:23Z',
  goVersion: 'go1.22.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

function crdManifests(source: CrdSource, dir: string): JsonObject[] {
  if (typeof source === 'string') return readCrdManifests(source);
  if ('manifest' in source && (typeof source.manifest === 'string' || typeof source.manifest === 'object')) {
    const { manifest, ...overrides } = source as { manifest: string | JsonObject } & CrdOverrides;
    const ms = typeof manifest === 'string' ? readCrdManifests(manifest.includes('/') ? manifest : calicoCrdFile(manifest, dir)) : [manifest];
    return ms.map((m) => withOverrides(m, overrides));
  }
  return [source as JsonObject];
}

/**
 * Starts a fake API server on `127.0.0.1` with a free port.
 *
 * ## Example
 * ```ts
 * const server = await startFakeApiServer();
 * const kc = await server.kubeConfig();
 * const co = kc.makeApiClient(CustomObjectsApi);
 * await co.listClusterCustomObject({ group: 'crd.projectcalico.org', version: 'v1', plural: 'ippools' });
 * await server.close();
 * ```
 *
 * @param options See {@link FakeApiServerOptions}.
 * @return The running server.
 */
export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const dir = options.crdDir ?? CALICO_CRD_DIR;
  const registry = createResourceRegistry();
  for (const d of builtinResources()) registry.register(d);
  const crdDef = crdResource();
  registry.register(crdDef);

  const store = createStore({
    ...(options.initialResourceVersion !== undefined ? { initialResourceVersion: options.initialResourceVersion } : {}),
    watchCache: {
      ...(options.watchCacheSize !== undefined ? { size: options.watchCacheSize } : {}),
      ...(options.watchCacheMaxSize !== undefined ? { maxSize: options.watchCacheMaxSize } : {}),
      ...(options.watchCacheFreshMs !== undefined ? { freshMs: options.watchCacheFreshMs } : {}),
      ...(options.clock ? { now: options.clock } : {}),
    },
    ...(options.retainRevisions !== undefined ? { retainRevisions: options.retainRevisions } : {}),
  });
  const bootstrap = options.clusterBootstrap ?? true;
  const settings: ServerSettings = {
    enforceNamespaces: options.enforceNamespaces ?? true,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    tooLargeResourceVersionWaitMs: options.tooLargeResourceVersionWaitMs ?? 3000,
    honourLimitForResourceVersion0: options.honourLimitForResourceVersion0 ?? false,
    managedFields: options.managedFields ?? true,
    gracefulPodDeletion: options.gracefulPodDeletion ?? true,
    now: options.clock ?? Date.now,
    defaultServiceAccounts: options.defaultServiceAccounts ?? bootstrap,
    version: { ...DEFAULT_VERSION, ...(options.version ?? {}) },
  };
  let address = '127.0.0.1:0';
  const state: ServerState = {
    store,
    registry,
    hub: createWatchHub(store, resourceId),
    settings,
    continueExpiredBelow: 0,
    nextWatchId: 1,
    address: () => address,
    terminations: createPodTerminations({
      scale: options.podGracePeriodScale ?? 0.001,
      finalDelete(p) {
        const pods = registry.find('', 'v1', 'pods') as ResourceDefinition;
        deleteObject(state, pods, p.namespace, p.name, { gracePeriodSeconds: 0, preconditions: { uid: p.uid } });
      },
    }),
    namespaces: createNamespaceController({
      store,
      namespacedResources: () => [...new Map(registry.all().filter((d) => d.namespaced).map((d) => [resourceId(d), d])).values()],
      resourceId,
      deleteObject: (def, namespace, name) => void deleteObject(state, def, namespace, name, {}),
      now: settings.now,
    }),
  };
  const crds = createCrdController(state, crdDef);
  const admin: ResourceAdmin = {
    register: (def) => registry.register(def),
    registerCrd: (source) => crdManifests(source, dir).flatMap((m) => crds.install(m)),
    unregister(group, plural, version) {
      const crd = crds.crdFor(group, plural);
      const removed = registry.unregister(group, plural, version);
      if (removed && !registry.all().some((d) => d.group === group && d.plural === plural)) {
        // Like a deleted CRD: its watches end and its objects are gone.
        for (const w of state.hub.select({ group, resource: plural })) w.end();
        store.dropResource(resourceId({ group, plural }));
        if (crd?.metadata?.name) store.commit(CRD_RESOURCE_ID, crd.metadata.name, null);
        crds.flush();
      }
      return removed;
    },
    list: () => registry.all(),
  };
  for (const plural of options.calicoCrds === false ? [] : (options.calicoCrds ?? DEFAULT_CALICO_CRDS)) admin.registerCrd(calicoCrdFile(plural, dir));
  for (const c of options.crds ?? []) admin.registerCrd(c);
  for (const d of options.resources ?? []) registry.register(d);

  const faults = createFaults(state);
  const requests: RecordedRequest[] = [];
  const logLimit = options.requestLogLimit ?? 1000;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(
      state,
      {
        auth: options.auth,
        checkFaults: (f) => faults.check(f),
        record(entry) {
          requests.push(entry);
          if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
        },
      },
      req,
      res,
    );
  };

  if (bootstrap) {
    const ns = registry.find('', 'v1', 'namespaces') as ResourceDefinition;
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      createObject(state, ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldValidation: 'Ignore', warnings: [], manager: 'kube-apiserver' });
    }
  }

  const tls = options.tls;
  const server: Server = tls
    ? createHttpsServer(
        { cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: tls.requireClientCert === true } : {}) },
        listener,
      )
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const clusterAndUser = (user: FakeUserOptions = {}): ClusterAndUser => {
    const cluster: ClusterAndUser['cluster'] = { name: 'fake-apiserver', server: url, skipTLSVerify: !tls || !tls.ca };
    if (tls?.ca) cluster.caData = b64(tls.ca);
    const u: ClusterAndUser['user'] = { name: user.name ?? 'u' };
    if (user.token) u.token = user.token;
    if (user.cert) u.certData = b64(user.cert);
    if (user.key) u.keyData = b64(user.key);
    return { cluster, user: u };
  };

  let closed = false;
  return {
    url,
    port,
    tls: tls !== undefined,
    store: createStoreAccess(state),
    faults,
    resources: admin,
    pods: { terminating: () => state.terminations.pending(), finish: (namespace, name) => state.terminations.finish(namespace, name) },
    get requests() {
      return requests;
    },
    clearRequests: () => void requests.splice(0),
    openWatches: () => state.hub.select().length,
    clusterAndUser,
    async kubeConfig(user) {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      const cu = clusterAndUser(user);
      kc.loadFromClusterAndUser(cu.cluster, cu.user);
      return kc;
    },
    kubeconfigYaml(user) {
      const cu = clusterAndUser(user);
      const cluster: Record<string, unknown> = { server: url };
      if (cu.cluster.caData) cluster['certificate-authority-data'] = cu.cluster.caData;
      if (cu.cluster.skipTLSVerify && tls) cluster['insecure-skip-tls-verify'] = true;
      const u: Record<string, unknown> = {};
      if (cu.user.token) u.token = cu.user.token;
      if (cu.user.certData) u['client-certificate-data'] = cu.user.certData;
      if (cu.user.keyData) u['client-key-data'] = cu.user.keyData;
      return toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake-apiserver', cluster }],
        users: [{ name: cu.user.name, user: u }],
        contexts: [{ name: 'fake', context: { cluster: 'fake-apiserver', user: cu.user.name } }],
        'current-context': 'fake',
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Open watch streams would otherwise keep the listener (and the test process) alive.
      server.closeAllConnections();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      faults.clear();
      state.terminations.dispose();
      state.namespaces.dispose();
      for (const w of state.hub.select()) w.reset();
      state.hub.dispose();
      crds.dispose();
      await closing;
    },
  };
}
