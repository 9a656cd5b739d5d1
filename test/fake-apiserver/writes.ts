/**
 * The write pipeline shared by POST, PUT, PATCH, DELETE and store seeding: type checks,
 * pruning/defaulting, system fields, validation, preconditions and the commit, in the order the
 * real API server applies them (decode → defaults → validation → admission → storage).
 *
 * @module
 */
import type { ServerState } from './context.js';
import { invalid, type FieldErr } from './field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta-validate.js';
import { isTerminating, NAMESPACE_FINALIZER, terminatingNamespace } from './namespace-lifecycle.js';
import {
  canonical,
  differs,
  generatedName,
  generationContent,
  newUid,
  nowTimestamp,
  objectKey,
} from './object-meta.js';
import { recordUpdate } from './field-manager.js';
import { podGracePeriod } from './pod-termination.js';
import { apiVersionOf, resourceId } from './resources.js';
import { validateCelRules } from './schema-cel.js';
import { pruneAndDefault } from './schema-prune.js';
import { validateAgainstSchema } from './schema-validate.js';
import { alreadyExists, badRequest, conflict, invalidObject, notFound, unknownError } from './status.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition } from './types.js';

/** How unknown fields are treated (`fieldValidation` query parameter). */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Per-write settings. */
export interface WriteContext {
  /** `fieldValidation` directive. */
  fieldValidation: FieldValidation;
  /** Collected `Warning` texts. */
  warnings: string[];
  /** Field manager name for managedFields. */
  manager: string;
  /** Skip validation (store seeding). */
  skipValidation?: boolean;
  /** The object's new `managedFields`, when an apply computed them (see `field-manager.ts`). */
  managedFields?: JsonObject[];
}

const clone = <T>(v: T): T => structuredClone(v);
const isCore = (def: ResourceDefinition, plural: string): boolean => def.plural === plural && !def.group;

/**
 * Checks `apiVersion`/`kind` of a request body against the resource and fills them in where the
 * server would. Returns the body as an object.
 */
export function checkTypeMeta(def: ResourceDefinition, body: JsonValue, rawText: string): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type map[string]interface {}`);
  }
  const obj = body as KubeObject;
  const expected = apiVersionOf(def);
  if (def.custom && !obj.kind) throw badRequest(`Object 'Kind' is missing in '${rawText.slice(0, 2048)}'`);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (!def.custom) {
    if (obj.kind !== undefined && obj.kind !== def.kind) throw badRequest(`no kind "${String(obj.kind)}" is registered for version "${expected}"`);
    obj.apiVersion = expected;
    obj.kind = def.kind;
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: metadata must be an object`);
  }
  obj.metadata = obj.metadata ?? {};
  return obj;
}

/** Prunes and defaults a custom resource; reports or rejects unknown fields per `fieldValidation`. */
export function applySchema(def: ResourceDefinition, obj: KubeObject, w: WriteContext): void {
  if (def.schema) {
    const unknown = pruneAndDefault(obj as JsonObject, def.schema);
    if (unknown.length && w.fieldValidation === 'Strict') {
      throw badRequest(
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
      );
    }
    if (w.fieldValidation === 'Warn') for (const u of unknown) w.warnings.push(`unknown field "${u}"`);
  }
  def.defaulter?.(obj);
}

const BLOCKING = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

/** All validation of an object about to be stored (`old` on update). */
export function validateForWrite(def: ResourceDefinition, obj: KubeObject, old?: KubeObject): FieldErr[] {
  const errs = validateObjectMeta(def, obj);
  if (def.custom) {
    if (obj.kind !== def.kind) errs.push(invalid('kind', obj.kind ?? '', `must be ${def.kind}`));
    const av = apiVersionOf(def);
    if (obj.apiVersion !== av) errs.push(invalid('apiVersion', obj.apiVersion ?? '', `must be ${av}`));
  }
  if (def.schema) {
    const schemaErrs = validateAgainstSchema(obj as JsonObject, def.schema);
    errs.push(...schemaErrs);
    if (errs.some((e) => BLOCKING.has(e.type))) {
      errs.push(invalid('', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
    } else {
      errs.push(...validateCelRules(obj as JsonObject, old as JsonObject | undefined, def.schema));
    }
  }
  if (def.validator) errs.push(...def.validator(obj, old));
  if (old) errs.push(...validateObjectMetaUpdate(obj, old));
  return errs;
}

function requireNamespace(state: ServerState, def: ResourceDefinition, namespace: string | undefined, name: string): void {
  if (!def.namespaced || !state.settings.enforceNamespaces || !namespace) return;
  const ns = state.store.get('/namespaces', namespace);
  if (!ns) throw notFound({ plural: 'namespaces', group: '' }, namespace);
  if (isTerminating(ns)) throw terminatingNamespace(def, name, namespace);
}

/**
 * Creates an object (POST and seeding). `obj` has passed {@link checkTypeMeta}.
 *
 * @param state Server state.
 * @param def The resource.
 * @param namespace The request namespace (namespaced resources).
 * @param obj The object.
 * @param w Write settings.
 * @return The stored object.
 */
export function createObject(state: ServerState, def: ResourceDefinition, namespace: string | undefined, obj: KubeObject, w: WriteContext): KubeObject {
  const meta = obj.metadata ?? (obj.metadata = {});
  if (def.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = meta.namespace || namespace;
  } else {
    delete meta.namespace;
  }
  if (!meta.name && meta.generateName) meta.name = generatedName(meta.generateName);
  const clientRv = meta.resourceVersion;
  applySchema(def, obj, w);
  if (def.custom && def.statusSubresource) delete obj.status;
  if (def.plural === 'pods' && !def.group && !w.skipValidation) obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
  if (def.plural === 'namespaces' && !def.group && !w.skipValidation) obj.status = { phase: 'Active' };
  const now = nowTimestamp();
  if (!w.skipValidation || !meta.uid) meta.uid = newUid();
  if (!w.skipValidation || !meta.creationTimestamp) meta.creationTimestamp = now;
  if (def.generation) meta.generation = 1;
  else delete meta.generation;
  if (!w.skipValidation) {
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    const errs = validateForWrite(def, obj);
    if (errs.length) throw invalidObject(def.kind, def.group, meta.name ?? '', errs);
    requireNamespace(state, def, meta.namespace, meta.name ?? '');
  }
  const key = objectKey(def, meta.namespace, meta.name ?? '');
  if (state.store.get(resourceId(def), key)) throw alreadyExists(def, meta.name ?? '');
  if (clientRv && !w.skipValidation) throw unknownError('resourceVersion should not be set on objects to be created');
  delete meta.resourceVersion;
  if (w.managedFields) meta.managedFields = w.managedFields;
  else if (state.settings.managedFields && !w.skipValidation) recordUpdate(def, undefined, obj, { manager: w.manager }, now);
  const stored = state.store.commit(resourceId(def), key, obj).object;
  if (def.plural === 'namespaces' && !def.group && state.settings.defaultServiceAccounts) {
    const sa = state.registry.find('', 'v1', 'serviceaccounts');
    const saKey = `${meta.name ?? ''}/default`;
    if (sa && !state.store.get(resourceId(sa), saKey)) {
      createObject(state, sa, meta.name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: meta.name } }, { ...w, warnings: [] });
    }
  }
  return stored;
}

/**
 * True when an update of an object being deleted completes the deletion: it removes the last
 * finalizer and the grace period is over (0), and for a Namespace `spec.finalizers` are empty.
 */
function deletesDuringUpdate(def: ResourceDefinition, current: KubeObject, next: KubeObject): boolean {
  const cm = current.metadata ?? {};
  if (!cm.deletionTimestamp || cm.deletionGracePeriodSeconds !== 0 || (next.metadata?.finalizers ?? []).length > 0) return false;
  if (!isCore(def, 'namespaces')) return true;
  const specFinalizers = ((next.spec ?? {}) as JsonObject).finalizers;
  return !Array.isArray(specFinalizers) || specFinalizers.length === 0;
}

/** Result of an update: the object returned to the client and whether it was deleted instead. */
export interface UpdateResult {
  object: KubeObject;
  deleted: boolean;
}

/** Options of {@link updateObject}. */
export interface UpdateMode {
  /** The body came from a patch: no uid precondition, uid changes are immutability errors. */
  fromPatch: boolean;
  /** `status` for `/status` writes. */
  subresource?: string;
}

/**
 * Replaces an object (PUT, and the second half of PATCH).
 *
 * @param state Server state.
 * @param def The resource.
 * @param namespace Namespace from the URL.
 * @param name Name from the URL.
 * @param incoming The new object (type meta checked).
 * @param mode Patch/subresource flags.
 * @param w Write settings.
 */
export function updateObject(
  state: ServerState,
  def: ResourceDefinition,
  namespace: string | undefined,
  name: string,
  incoming: KubeObject,
  mode: UpdateMode,
  w: WriteContext,
): UpdateResult {
  const id = resourceId(def);
  const key = objectKey(def, namespace, name);
  const current = state.store.get(id, key);
  if (!current) throw notFound(def, name);
  const cm = current.metadata ?? {};
  const im = incoming.metadata ?? {};
  if (!mode.fromPatch && im.uid && im.uid !== cm.uid) {
    throw conflict(def, name, `Precondition failed: UID in precondition: ${im.uid}, UID in object meta: ${cm.uid ?? ''}`);
  }
  const rv = im.resourceVersion;
  if (!rv) {
    if (!def.allowUnconditionalUpdate) {
      throw invalidObject(def.kind, def.group, name, [invalid('metadata.resourceVersion', { raw: '0x0' }, 'must be specified for an update')]);
    }
  } else if (!/^\d+$/.test(rv)) {
    throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  } else if (rv !== cm.resourceVersion) {
    throw conflict(def, name);
  }

  let next: KubeObject;
  if (mode.subresource === 'status' && def.statusStrategy === 'status-only') {
    next = clone(current);
    if (incoming.status !== undefined) next.status = clone(incoming.status);
    else delete next.status;
  } else {
    next = clone(incoming);
    const keepSpec = mode.subresource === 'status';
    if (keepSpec) {
      if (current.spec !== undefined) next.spec = clone(current.spec);
      else delete next.spec;
      if (def.plural === 'pods') {
        const owners = cm.ownerReferences;
        if (owners) (next.metadata as JsonObject).ownerReferences = clone(owners);
        else delete (next.metadata as JsonObject).ownerReferences;
      }
    } else if (def.updateKeepsStatus) {
      if (current.status !== undefined) next.status = clone(current.status);
      else delete next.status;
    }
  }
  applySchema(def, next, w);
  const nm = next.metadata ?? (next.metadata = {});
  if (!nm.uid) nm.uid = cm.uid;
  nm.namespace = def.namespaced ? cm.namespace : undefined;
  if (!def.namespaced) delete nm.namespace;
  nm.creationTimestamp = cm.creationTimestamp;
  for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (cm[f] !== undefined) nm[f] = cm[f] as never;
    else delete nm[f];
  }
  if (def.generation) {
    const gen = cm.generation ?? 1;
    nm.generation = generationContent(def, next) !== generationContent(def, current) ? gen + 1 : gen;
  } else {
    delete nm.generation;
  }
  nm.resourceVersion = cm.resourceVersion;
  if (cm.managedFields) nm.managedFields = clone(cm.managedFields);
  else delete nm.managedFields;
  if (!w.skipValidation) {
    const errs = validateForWrite(def, next, current);
    if (errs.length) throw invalidObject(def.kind, def.group, name, errs);
  }
  if (deletesDuringUpdate(def, current, next)) {
    const event = state.store.commit(id, key, null);
    const deleted = clone(next);
    (deleted.metadata as JsonObject).resourceVersion = event.object.metadata?.resourceVersion ?? '';
    return { object: deleted, deleted: true };
  }
  if (w.managedFields) {
    nm.managedFields = w.managedFields;
    if (!differs(next, current) && canonical(w.managedFields) === canonical(cm.managedFields ?? [])) return { object: current, deleted: false };
  } else {
    if (!differs(next, current)) return { object: current, deleted: false };
    if (state.settings.managedFields && !w.skipValidation) {
      recordUpdate(def, current, next, { manager: w.manager, ...(mode.subresource ? { subresource: mode.subresource } : {}) }, nowTimestamp());
    }
  }
  return { object: state.store.commit(id, key, next).object, deleted: false };
}

/** Parsed `DeleteOptions` (body and query). */
export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  /** Skip graceful deletion and namespace termination (store access for tests). */
  immediate?: boolean;
}

/** Result of a delete. */
export interface DeleteResult {
  object: KubeObject;
  /** False when the object still exists (finalizers, graceful deletion or namespace termination pending). */
  deleted: boolean;
}

/**
 * Marks an object as being deleted `grace` seconds from now, or at `at` (MODIFIED). A grace of
 * `undefined` sets only the timestamp (a Namespace's first DELETE); Namespaces go to Terminating.
 */
function markDeleting(state: ServerState, def: ResourceDefinition, key: string, current: KubeObject, grace: number | undefined, at?: number): KubeObject {
  const next = clone(current);
  const nm = next.metadata as JsonObject;
  nm.deletionTimestamp = nowTimestamp(new Date(at ?? state.settings.now() + (grace ?? 0) * 1000));
  if (grace !== undefined) nm.deletionGracePeriodSeconds = grace;
  if (def.generation && !current.metadata?.deletionTimestamp) nm.generation = Number(current.metadata?.generation ?? 1) + 1;
  if (isCore(def, 'namespaces')) next.status = { ...((next.status ?? {}) as JsonObject), phase: 'Terminating' };
  return state.store.commit(resourceId(def), key, next).object;
}

/**
 * Graceful deletion of a Pod (see `pod-termination.ts`). Returns undefined when the Pod is to be
 * deleted now (grace period 0, or a pending one without a grace period).
 */
function deletePodGracefully(state: ServerState, def: ResourceDefinition, key: string, current: KubeObject, opts: DeleteOptions): DeleteResult | undefined {
  const cm = current.metadata ?? {};
  const pendingGrace = cm.deletionGracePeriodSeconds;
  const hasFinalizers = (cm.finalizers ?? []).length > 0;
  if (cm.deletionTimestamp) {
    if (pendingGrace === undefined || pendingGrace === 0) return undefined;
    const period = opts.gracePeriodSeconds;
    if (period === undefined || period >= pendingGrace) return { object: current, deleted: false };
    if (period === 0 && !hasFinalizers) return undefined;
    // Only a shorter grace period is taken: the deadline moves earlier by the difference.
    const at = Date.parse(String(cm.deletionTimestamp)) - (pendingGrace - period) * 1000;
    const stored = markDeleting(state, def, key, current, period, at);
    if (state.dryRun) return { object: stored, deleted: false };
    if (period > 0) state.terminations.schedule({ namespace: cm.namespace ?? '', name: cm.name ?? '', uid: cm.uid ?? '', graceSeconds: period });
    else state.terminations.cancel(cm.namespace ?? '', cm.name ?? '');
    return { object: stored, deleted: false };
  }
  const period = podGracePeriod(current, opts.gracePeriodSeconds);
  if (period === 0) return undefined;
  const stored = markDeleting(state, def, key, current, period);
  if (!state.dryRun) state.terminations.schedule({ namespace: cm.namespace ?? '', name: cm.name ?? '', uid: cm.uid ?? '', graceSeconds: period });
  return { object: stored, deleted: false };
}

/**
 * Deletes an object, honouring preconditions, finalizers, Pod grace periods and namespace
 * termination (see `namespace-lifecycle.ts`).
 */
export function deleteObject(state: ServerState, def: ResourceDefinition, namespace: string | undefined, name: string, opts: DeleteOptions): DeleteResult {
  const id = resourceId(def);
  const key = objectKey(def, namespace, name);
  const found = state.store.get(id, key);
  if (!found) throw notFound(def, name);
  const current = def.prepareDelete && !found.metadata?.deletionTimestamp ? def.prepareDelete(found) : found;
  const cm = current.metadata ?? {};
  const pre = opts.preconditions ?? {};
  if (pre.uid !== undefined && pre.uid !== cm.uid) {
    throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cm.uid ?? ''}`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== cm.resourceVersion) {
    throw conflict(def, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cm.resourceVersion ?? ''}`);
  }
  if (!opts.immediate && state.settings.gracefulPodDeletion && isCore(def, 'pods')) {
    const graceful = deletePodGracefully(state, def, key, current, opts);
    if (graceful) return graceful;
  }
  if (!opts.immediate && isCore(def, 'namespaces')) {
    const specFinalizers = ((current.spec ?? {}) as JsonObject).finalizers;
    if (!cm.deletionTimestamp) {
      const stored = markDeleting(state, def, key, current, undefined);
      if (!state.dryRun) state.namespaces.terminate(name);
      return { object: stored, deleted: false };
    }
    if (Array.isArray(specFinalizers) && specFinalizers.includes(NAMESPACE_FINALIZER)) return { object: current, deleted: false };
  }
  if ((cm.finalizers ?? []).length > 0) {
    if (cm.deletionTimestamp && cm.deletionGracePeriodSeconds === 0) return { object: current, deleted: false };
    // Finalizers hold the object; its grace period is 0 from now on, so removing them deletes it.
    const at = cm.deletionTimestamp ? Date.parse(String(cm.deletionTimestamp)) : undefined;
    return { object: markDeleting(state, def, key, current, 0, at), deleted: false };
  }
  if (opts.immediate && isCore(def, 'namespaces')) {
    for (const d of state.registry.all()) {
      if (!d.namespaced) continue;
      for (const item of state.store.list(resourceId(d), undefined, `${name}/`)) state.store.commit(resourceId(d), item.key, null);
    }
  }
  const event = state.store.commit(id, key, null);
  if (isCore(def, 'pods') && !state.dryRun) state.terminations.cancel(namespace ?? '', name);
  return { object: event.object, deleted: true };
}
