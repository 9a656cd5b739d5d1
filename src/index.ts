/**
 * calico-datastore: read, write and watch Calico configuration from TypeScript.
 *
 * @packageDocumentation
 */
export {
  CalicoError,
  ValidationError,
  NotFoundError,
  AlreadyExistsError,
  ConflictError,
  NotSupportedError,
  UnavailableError,
  SelectorParseError,
  ExpiredError,
  ParseError,
  UnauthorizedError,
  formatIdentifier,
  ignoreNotFound,
  isCalicoError,
  isValidationError,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isNotSupported,
  isUnavailable,
  isSelectorParseError,
  isExpired,
  isParseError,
  isUnauthorized,
} from './errors.js';
export type { CalicoErrorCode, CalicoErrorOptions, ConflictReason, FieldError, FieldErrorType, ResourceIdentifier } from './errors.js';
export { CALICO_API_VERSION, KINDS, IPPOOL, NODE, WORKLOAD_ENDPOINT, NETWORK_POLICY, GLOBAL_NETWORK_POLICY, TIER, isCalicoKind } from './model/kinds.js';
export type { CalicoKind, KindDescriptor } from './model/kinds.js';
export { validate, isValid } from './model/validate.js';
export type { ValidationResult } from './model/validate.js';
export { applyDefaults } from './model/defaults.js';
export { serializeResource } from './model/serialize.js';
export { parseSelector, parseSelectorUncached, validateSelector, isSoleGlobalSelector, normaliseSelector } from './model/selector/index.js';
export type { Selector, SelectorLabels, SelectorNode } from './model/selector/index.js';
export { workloadEndpointName, computeWorkloadEndpointName, parseWorkloadEndpointName, workloadEndpointNamePrefix } from './model/workload-endpoint-name.js';
export type { WorkloadEndpointIdentifiers } from './model/workload-endpoint-name.js';
export { parsePoolCIDR } from './model/ippool.js';
export { BUILT_IN_TIERS, DEFAULT_TIER_NAME, DEFAULT_TIER_ORDER } from './model/tier-builtins.js';
export type { BuiltInTier } from './model/tier-builtins.js';
export type * from './model/types.generated.js';
export { syncedCache, keyString, sourceFromBackend, resumableWatch, isTransientError, SYNC_STATUSES, DEFAULT_BACKOFF, livePolicyView } from './watch/index.js';
export type { LivePolicyView, LivePolicyViewOptions } from './watch/index.js';
export type {
  WatchEvent,
  WatchEventType,
  SyncStatus,
  SyncedCache,
  SyncedCacheOptions,
  SyncItem,
  SyncSource,
  SyncUpdate,
  SyncUpdateType,
  ResumableWatchOptions,
  BackoffOptions,
  BackendSourceOptions,
} from './watch/index.js';
export { parseLabelSelector, formatLabelSelector } from './backends/label-selector.js';
export type { LabelSelector, LabelRequirement, LabelOperator } from './backends/label-selector.js';
export type { Backend, BackendCapabilities, BackendEvent, CreateGuard, CreateOptions, DeletePreconditions, KVPair, KVPairList, ListOptions, ListRequest, ResourceKey, ResourceObject, Revision, WatchRequest } from './backends/backend.js';
export { loadDatastoreConfig, parseCalicoAPIConfig, buildDatastoreConfig, DEFAULT_CONFIG_FILE } from './config.js';
export type { DatastoreConfig, MemoryDatastoreConfig, EtcdDatastoreConfig, KubernetesDatastoreConfig, LoadConfigOptions } from './config.js';
export { createClient } from './client.js';
export type { CalicoClient, ClientOptions, ClientTuning } from './client.js';
export type { ResourceClient, StatusResourceClient, ObjectRef, DeleteOptions, ListResourcesOptions, ResourceList, WatchResourcesOptions } from './client/resource-client.js';
export { policiesForEndpoint, policiesForEndpointByDirection } from './policies-for-endpoint.js';
export type { PoliciesForEndpointOptions, PoliciesByDirection } from './policies-for-endpoint.js';
export { createPolicyView, PolicyView, explainFlow, comparePolicies, compareTiers, policySortKey } from './policy/index.js';
export type { Flow, FlowPeer, FlowExplanation, ChainStep, TierStep, PolicyStep, Verdict, ViewItem, ViewPolicy, ViewProfile, ViewTier, ItemKind, AnyResource, HostEndpointInput, NetworkSetInput, ProfileInput, KubeIdentityInput, StagedPolicyInput } from './policy/index.js';
export { isReservedPolicyName, legacyPolicyName } from './model/policy-names.js';
export { createEtcdBackend } from './backends/etcdv2/index.js';
export type { EtcdBackendConfig, PolicyNaming } from './backends/etcdv2/index.js';
export { createKubernetesBackend, podToWorkloadEndpoint, kubeNetworkPolicyToCalico, kubeNodeToCalico, convertUID, KUBERNETES_NETWORK_POLICY_KIND } from './backends/k8s/index.js';
export type { KubernetesBackendOptions, PodConversionOptions, KubeNetworkPolicyConversionOptions, NodeConversionOptions, KubePod, KubeNode, KubeNetworkPolicy } from './backends/k8s/index.js';
export type { ReadOnlyResourceClient } from './client/kubernetes-network-policies.js';
