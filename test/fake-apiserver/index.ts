/**
 * A fake Kubernetes API server for tests: real HTTP(S) on `127.0.0.1`, following the Kubernetes
 * API conventions closely enough that `@kubernetes/client-node` and our Kubernetes backend cannot
 * tell it from a real one for the features they use (CRUD with Status errors, resourceVersion
 * semantics, list paging, watches with bookmarks and 410s, patches, status subresources, CRD
 * schema and CEL validation, auth, TLS), plus store access and fault injection.
 *
 * It also serves the CustomResourceDefinition API, OpenAPI v2/v3 documents, Table output and
 * `dryRun=All`, so a real kubectl works against it (see README.md).
 *
 * Known limits: no admission webhooks, garbage collection, server-side apply field ownership
 * (apply is a create-or-merge), protobuf, aggregated discovery, or namespace termination phase
 * (deleting a Namespace deletes its objects at once).
 *
 * ## Example
 * ```ts
 * const server = await startFakeApiServer();
 * server.store.seed({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
 * const kc = await server.kubeConfig();
 * // ... exercise the code under test ...
 * await server.close();
 * ```
 *
 * @module
 */
export {
  startFakeApiServer,
  type ClusterAndUser,
  type CrdSource,
  type FakeApiServer,
  type FakeApiServerOptions,
  type FakeTlsOptions,
  type FakeUserOptions,
  type ResourceAdmin,
  type TerminatingPods,
} from './server.js';
export type { PendingTermination } from './pod-termination.js';
export type { AuthOptions, AuthzRequest, UserInfo } from './auth.js';
export type { FailOptions, Faults, PauseHandle, RequestMatch } from './faults.js';
export type { RecordedRequest } from './router.js';
export type { StoreAccess } from './seed.js';
export type { WatchMatch } from './watch-hub.js';
export type { K8sStatus, StatusCause, StatusDetails } from './status.js';
export type { JsonObject, JsonValue, KubeMetadata, KubeObject, ResourceDefinition, SchemaNode, Verb } from './types.js';
export { CALICO_CRD_DIR, DEFAULT_CALICO_CRDS, calicoCrdFile, loadCrdFile, resourcesFromCrd } from './crd.js';
