/**
 * Shared shapes of the fake Kubernetes API server: wire objects, resource definitions, verbs.
 *
 * Objects are kept as plain JSON (`KubeObject`), exactly as they travel on the wire; nothing is
 * converted to classes. A {@link ResourceDefinition} says how one REST resource behaves (scope,
 * subresources, generation, field selectors, schema).
 *
 * @module
 */
import type { FieldErr } from './field-errors.js';

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The metadata fields the fake server reads or writes; everything else is kept as given. */
export interface KubeMetadata {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: JsonObject[];
  managedFields?: JsonObject[];
  [key: string]: JsonValue | undefined;
}

/** An API object as stored and served: `apiVersion`, `kind`, `metadata`, and any other fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeMetadata;
  [key: string]: JsonValue | KubeMetadata | undefined;
}

/** The request verbs of Kubernetes authorization (`get`, `list`, `watch`, ...). */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** How `/status` writes treat the rest of the object. */
export type StatusStrategy =
  /** Custom resources: a status write changes `status` only (metadata changes are dropped). */
  | 'status-only'
  /** Built-in kinds (Node, Pod, Namespace): a status write keeps the stored `spec` but persists metadata. */
  | 'keep-spec';

/** Returns the value of one selectable field of an object (`''` when the object lacks it). */
export type FieldGetter = (obj: KubeObject) => string;

/** An OpenAPI v3 (structural) schema node as found in a CRD manifest. */
export interface SchemaNode {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  required?: string[];
  enum?: JsonValue[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  multipleOf?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  default?: JsonValue;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: CelRule[];
}

/** One `x-kubernetes-validations` entry. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** Everything the server needs to know about one REST resource (a plural in a group/version). */
export interface ResourceDefinition {
  /** API group; `''` for the core group. */
  group: string;
  /** Version, e.g. `v1`. */
  version: string;
  /** Lowercase plural used in paths, e.g. `ippools`. */
  plural: string;
  /** Lowercase singular, e.g. `ippool`. */
  singular: string;
  /** Kind, e.g. `IPPool`. */
  kind: string;
  /** List kind, e.g. `IPPoolList`. */
  listKind: string;
  /** True for namespaced resources. */
  namespaced: boolean;
  /** Short names advertised by discovery. */
  shortNames?: string[];
  /** Categories advertised by discovery. */
  categories?: string[];
  /** True when the resource has a `/status` subresource. */
  statusSubresource: boolean;
  /** How `/status` writes behave (only read when `statusSubresource`). */
  statusStrategy: StatusStrategy;
  /** True for custom resources (CRDs): strategic merge patch is refused, schema applies, etc. */
  custom: boolean;
  /** True when `metadata.generation` is maintained (CRs, NetworkPolicy). */
  generation: boolean;
  /** True when a main-resource update keeps the stored `status` (built-ins always; CRs with a status subresource). */
  updateKeepsStatus: boolean;
  /** True when a PUT may omit `metadata.resourceVersion` (built-ins); false for CRs (422). */
  allowUnconditionalUpdate: boolean;
  /** True when DELETE answers with the deleted object; false → a `Status` with `details`. */
  returnDeletedObject: boolean;
  /** True when list items carry `apiVersion`/`kind` (CRs); built-in lists omit them per item. */
  listItemsHaveTypeMeta: boolean;
  /** Name validation for `metadata.name`. */
  nameRule: 'dns-subdomain' | 'dns-label' | 'path-segment';
  /** Selectable fields beyond `metadata.name` / `metadata.namespace`. */
  fields?: Record<string, FieldGetter>;
  /** Structural schema of the stored version (CRDs). Absent → no schema pruning or validation. */
  schema?: SchemaNode;
  /** Applies built-in defaults on create/update (Pods, Namespaces, ...). */
  defaulter?: (obj: KubeObject) => void;
  /** Built-in validation beyond metadata; `old` is the stored object on update. Returns field errors. */
  validator?: (obj: KubeObject, old?: KubeObject) => FieldErr[];
  /** First delete request of an object (no `deletionTimestamp` yet): returns it with server-owned finalizers added (CRDs). */
  prepareDelete?: (obj: KubeObject) => KubeObject;
  /** Table columns after NAME (`additionalPrinterColumns` of a CRD version); absent → the kind's built-in columns or AGE. */
  printerColumns?: PrinterColumn[];
  /** Name of the CRD this resource was registered from. */
  crdName?: string;
}

/** One `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/** Parsed request target: which resource, namespace, object and subresource a path names. */
export interface RequestTarget {
  resource: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
}
