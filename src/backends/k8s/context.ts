/**
 * What the parts of the Kubernetes backend share: the transport, resolved options, lazily
 * discovered cluster facts, and the registry of open watches (for `close()`).
 *
 * @module
 */
import type { KVPair, ListOptions, ResourceKey } from '../backend.js';
import type { LabelSelector } from '../label-selector.js';
import type { ParseError } from '../../errors.js';
import type { CrdMode } from './crd-conversion.js';
import type { KubeObject } from './kube-types.js';
import type { Transport } from './transport.js';
import type { NamingMode } from '../policy-storage-names.js';

/** Facts about the Calico custom resources of the cluster, discovered once. */
export interface CrdFacts {
  /** v1 (`crd.projectcalico.org/v1`) or v3 (`projectcalico.org/v3`) custom resources. */
  readonly mode: CrdMode;
  /** API path prefix, for example `/apis/crd.projectcalico.org/v1`. */
  readonly basePath: string;
  /** Which plurals have a `status` subresource (`undefined`: unknown). */
  readonly statusSubresources: ReadonlySet<string> | undefined;
}

/** Options of the backend after defaults. */
export interface ResolvedK8sOptions {
  /** Items per page of internal list pages. */
  readonly pageSize: number;
  /** `timeoutSeconds` of each watch request: [min, max) seconds, chosen at random per stream. */
  readonly watchTimeoutSeconds: readonly [number, number];
  /** A watch stream that sends nothing (not even a bookmark) for this long is reconnected. */
  readonly watchIdleTimeoutMs: number;
  /** Reconnection attempts after a broken watch connection before the watch errors. */
  readonly watchReconnectAttempts: number;
  /** First delay between reconnection attempts (doubling). */
  readonly watchReconnectDelayMs: number;
  /** WorkloadEndpoint writes patch Pods (Calico's CNI patch mode). */
  readonly cniPatchMode: boolean;
  /** Policy naming override (`auto` detects it from ClusterInformation). */
  readonly policyNaming: 'auto' | 'current' | 'legacy';
  /** Host-local IPAM (Calico's `USE_POD_CIDR`). */
  readonly usePodCIDR: boolean;
  /** Interface prefix for WorkloadEndpoints. */
  readonly interfacePrefix: string | undefined;
  /** Converted Kubernetes NetworkPolicies are named `knp.default.<name>`. */
  readonly legacyKubernetesPolicyNames: boolean;
  /** Receives objects skipped by a list because they do not decode. */
  readonly onParseError: (error: ParseError) => void;
  /** Receives non-fatal notices (missing CRDs, QoS problems, dropped rules). */
  readonly onWarning: (message: string) => void;
}

/** An open watch, as `close()` sees it. */
export interface OpenWatch {
  /** Ends the watch: it completes. */
  stop(): void;
}

/** Shared state of one backend instance. */
export interface K8sContext {
  readonly transport: Transport;
  readonly options: ResolvedK8sOptions;
  /** The Calico CRD facts (discovery on first use). */
  crdFacts(): Promise<CrdFacts>;
  /** The policy naming of the cluster (read from ClusterInformation on first use). */
  namingMode(): Promise<NamingMode>;
  /** True once `close()` was called. */
  closed(): boolean;
  /** Open watches. */
  readonly watches: Set<OpenWatch>;
}

/** How to read one kind from the API server: paths, conversion and filters. */
export interface ResourceView {
  /** Kind of the keys and errors. */
  readonly kind: string;
  /** True for namespaced kinds. */
  readonly namespaced: boolean;
  /** Collection path for a namespace (or all namespaces / cluster scope when undefined). */
  collectionPath(namespace: string | undefined): Promise<string>;
  /**
   * Converts one served object; undefined when it is not shown (for example an unscheduled Pod).
   *
   * @throws ParseError when it does not decode.
   */
  convert(raw: KubeObject): KVPair | undefined;
  /** How a list or watch request is split between the server and the client. */
  plan(request: ListOptions): Promise<QueryPlan>;
}

/** The server-side and client-side parts of a list or watch. */
export interface QueryPlan {
  /** Namespace to list in; undefined for all. */
  readonly namespace: string | undefined;
  /** `fieldSelector` to send. */
  readonly fieldSelector?: string;
  /** `labelSelector` to send (only when the server can evaluate it exactly). */
  readonly labelSelector?: string;
  /** Name filter applied after conversion (on the v3 name). */
  readonly matchesName: (pair: KVPair) => boolean;
  /** Label filter applied after conversion; undefined when the server applies it exactly. */
  readonly clientLabels: LabelSelector | undefined;
  /** True when the server's answer is exactly the result (no item is dropped on the client). */
  readonly serverExact: boolean;
}

/** Key of a pair as one string, for maps. */
export function keyText(key: ResourceKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}
