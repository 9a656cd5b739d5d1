/**
 * The `apiextensions.k8s.io/v1` `customresourcedefinitions` resource itself: its definition,
 * the v1 defaults (`names.singular`, `names.listKind`, `conversion.strategy: None`), validation
 * (see `crd-validate.ts`) and the first-delete step of the real server (finalizer
 * `customresourcecleanup.apiextensions.k8s.io` and a `Terminating` condition, so the CRD stays
 * until its objects are gone).
 *
 * @module
 */
import { invalid, type FieldErr } from './field-errors.js';
import { compileRules } from './schema-cel.js';
import { validateCrd, validateCrdUpdate } from './crd-validate.js';
import { canonical, nowTimestamp } from './object-meta.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition, SchemaNode } from './types.js';

/** API group of CRDs. */
export const CRD_GROUP = 'apiextensions.k8s.io';
/** Storage identity of CRD objects in the store. */
export const CRD_RESOURCE_ID = `${CRD_GROUP}/customresourcedefinitions`;
/** The finalizer the server adds when a CRD is deleted. */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

function defaultCrd(o: KubeObject): void {
  const spec = isObj(o.spec as JsonValue) ? (o.spec as JsonObject) : ((o.spec = {}) as JsonObject);
  const names = isObj(spec.names) ? spec.names : (spec.names = {});
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (!names.singular && kind) names.singular = kind.toLowerCase();
  if (!names.listKind && kind) names.listKind = `${kind}List`;
  if (!isObj(spec.conversion)) spec.conversion = { strategy: 'None' };
}

function celErrors(o: KubeObject): FieldErr[] {
  const errs: FieldErr[] = [];
  const versions = Array.isArray((o.spec as JsonObject | undefined)?.versions) ? ((o.spec as JsonObject).versions as JsonValue[]) : [];
  versions.forEach((v, i) => {
    const schema = isObj(v) && isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObj(schema)) return;
    for (const p of compileRules(schema as SchemaNode)) errs.push(invalid(`spec.versions[${i}].schema.openAPIV3Schema`, '', `compilation failed: ${p}`));
  });
  return errs;
}

function validate(o: KubeObject, old?: KubeObject): FieldErr[] {
  // A write that leaves the spec alone (status, metadata) cannot make it invalid.
  if (old && canonical(o.spec) === canonical(old.spec)) return [];
  const errs = validateCrd(o);
  if (old) errs.push(...validateCrdUpdate(o, old));
  if (!errs.length) errs.push(...celErrors(o));
  return errs;
}

/** Sets (or replaces) one status condition, keeping `lastTransitionTime` when the status is unchanged. */
export function setCondition(crd: KubeObject, type: string, status: 'True' | 'False', reason: string, message: string): void {
  const st = isObj(crd.status as JsonValue) ? (crd.status as JsonObject) : ((crd.status = {}) as JsonObject);
  const conditions = Array.isArray(st.conditions) ? (st.conditions.filter(isObj) as JsonObject[]) : [];
  const i = conditions.findIndex((c) => c.type === type);
  const prev = i >= 0 ? conditions[i] : undefined;
  const next: JsonObject = {
    type,
    status,
    lastTransitionTime: prev && prev.status === status ? (prev.lastTransitionTime ?? nowTimestamp()) : nowTimestamp(),
    reason,
    message,
  };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
  st.conditions = conditions;
}

function prepareDelete(crd: KubeObject): KubeObject {
  const meta = crd.metadata ?? (crd.metadata = {});
  if (!(meta.finalizers ?? []).includes(CLEANUP_FINALIZER)) meta.finalizers = [...(meta.finalizers ?? []), CLEANUP_FINALIZER];
  setCondition(crd, 'Terminating', 'True', 'InstanceDeletionPending', 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon');
  return crd;
}

/** A fresh definition of the `customresourcedefinitions` resource. */
export function crdResource(): ResourceDefinition {
  return {
    group: CRD_GROUP,
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    statusSubresource: true,
    statusStrategy: 'status-only',
    custom: false,
    generation: true,
    updateKeepsStatus: true,
    allowUnconditionalUpdate: false,
    returnDeletedObject: true,
    listItemsHaveTypeMeta: false,
    nameRule: 'dns-subdomain',
    defaulter: defaultCrd,
    validator: validate,
    prepareDelete,
  };
}
