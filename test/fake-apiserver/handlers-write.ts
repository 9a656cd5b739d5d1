/**
 * HTTP handlers for the mutating verbs: create (POST), update (PUT, also `/status`), patch
 * (PATCH with JSON, merge, strategic-merge or apply patches), delete and deletecollection.
 *
 * @module
 */
import { warningHeaders, type RequestContext, type ServerState } from './context.js';
import { parseFieldSelector } from './field-selector.js';
import { dryRunState, parseDryRun } from './dry-run.js';
import { decodeObjectBody, mediaType, queryFlag, queryInt, sendJson } from './http-util.js';
import { parseLabelSelector } from './label-selector.js';
import { applyConfiguration } from './field-manager.js';
import { forbidden, required, type FieldErr } from './field-errors.js';
import { managerName, nowTimestamp, wireObject } from './object-meta.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.js';
import { resourceId } from './resources.js';
import { badRequest, invalidObject, methodNotSupported, notFound, successStatus, unsupportedMediaType } from './status.js';
import type { JsonObject, JsonValue, KubeObject, RequestTarget } from './types.js';
import {
  checkTypeMeta,
  createObject,
  deleteObject,
  updateObject,
  type DeleteOptions,
  type FieldValidation,
  type WriteContext,
} from './writes.js';
import { parse as parseYaml } from 'yaml';

/** The state a write works on: the real one, or the dry-run view for `dryRun=All`. */
function writeState(state: ServerState, ctx: RequestContext, optionsKind: string, body?: JsonObject): ServerState {
  return parseDryRun(ctx.query, optionsKind, body) ? dryRunState(state) : state;
}

function writeContext(ctx: RequestContext): WriteContext {
  const fv = ctx.query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
    throw badRequest(`invalid fieldValidation directive: ${JSON.stringify(fv)}; must be one of "Ignore", "Warn", "Strict"`);
  }
  const ua = ctx.req.headers['user-agent'];
  return { fieldValidation: fv as FieldValidation, warnings: ctx.warnings, manager: managerName(ctx.query.get('fieldManager'), ua) };
}

function bodyText(ctx: RequestContext): string {
  return (ctx.body ?? Buffer.alloc(0)).toString('utf8');
}

/** POST to a collection. */
export function handleCreate(real: ServerState, ctx: RequestContext, target: RequestTarget): void {
  const def = target.resource;
  if (def.namespaced && !target.namespace) throw methodNotSupported(def, 'create');
  const state = writeState(real, ctx, 'CreateOptions');
  const w = writeContext(ctx);
  const obj = checkTypeMeta(def, decodeObjectBody(ctx.req, ctx.body ?? Buffer.alloc(0)), bodyText(ctx));
  const stored = createObject(state, def, target.namespace, obj, w);
  sendJson(ctx.res, 201, wireObject(def, stored), warningHeaders(ctx));
}

function checkUrlName(ctx: RequestContext, target: RequestTarget, obj: JsonObject): void {
  const meta = (obj.metadata ?? {}) as JsonObject;
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (name !== target.name) throw badRequest(`the name of the object (${name}) does not match the name on the URL (${target.name ?? ''})`);
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (target.resource.namespaced && ns && ns !== target.namespace) {
    throw badRequest(`the namespace of the object (${ns}) does not match the namespace on the request (${target.namespace ?? ''})`);
  }
}

/** PUT on an object or its `/status`. */
export function handleUpdate(real: ServerState, ctx: RequestContext, target: RequestTarget): void {
  const def = target.resource;
  const state = writeState(real, ctx, 'UpdateOptions');
  const w = writeContext(ctx);
  const obj = checkTypeMeta(def, decodeObjectBody(ctx.req, ctx.body ?? Buffer.alloc(0)), bodyText(ctx));
  checkUrlName(ctx, target, obj as JsonObject);
  const mode = { fromPatch: false, ...(target.subresource ? { subresource: target.subresource } : {}) };
  const result = updateObject(state, def, target.namespace, target.name ?? '', obj, mode, w);
  sendJson(ctx.res, 200, wireObject(def, result.object), warningHeaders(ctx));
}

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** PATCH on an object or its `/status`. */
export function handlePatch(real: ServerState, ctx: RequestContext, target: RequestTarget): void {
  const def = target.resource;
  const type = mediaType(ctx.req);
  const accepted = def.custom ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH] : [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
  validatePatchOptions(ctx, type === APPLY_PATCH);
  const state = writeState(real, ctx, 'PatchOptions');
  const w = writeContext(ctx);
  const text = bodyText(ctx);
  let patch: JsonValue;
  try {
    patch = (type === APPLY_PATCH ? parseYaml(text) : JSON.parse(text)) as JsonValue;
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  const name = target.name ?? '';
  const current = state.store.get(resourceId(def), def.namespaced ? `${target.namespace ?? ''}/${name}` : name);
  if (type === APPLY_PATCH) {
    handleApply(state, ctx, target, patch, text, current, w);
    return;
  }
  if (!current) throw notFound(def, name);
  const doc = wireObject(def, current) as JsonValue;
  let patched: JsonValue;
  if (type === JSON_PATCH) patched = applyJsonPatch(doc, patch);
  else if (type === STRATEGIC_PATCH) patched = applyStrategicMergePatch(doc, patch);
  else patched = applyMergePatch(doc, patch);
  const obj = checkTypeMeta(def, patched, JSON.stringify(patched));
  const mode = { fromPatch: true, ...(target.subresource ? { subresource: target.subresource } : {}) };
  const result = updateObject(state, def, target.namespace, name, obj, mode, w);
  sendJson(ctx.res, 200, wireObject(def, result.object), warningHeaders(ctx));
}

/** `PatchOptions` checks: apply needs a `fieldManager`; `force` is for apply only (422 as the server answers). */
function validatePatchOptions(ctx: RequestContext, apply: boolean): void {
  const errs: FieldErr[] = [];
  if (apply && !ctx.query.get('fieldManager')) errs.push(required('fieldManager', 'is required for apply patch'));
  if (!apply && ctx.query.has('force')) errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  if (errs.length) throw invalidObject('PatchOptions', 'meta.k8s.io', '', errs);
}

/** Server-side apply: create or merge with field ownership (see `field-manager.ts`). */
function handleApply(state: ServerState, ctx: RequestContext, target: RequestTarget, patch: JsonValue, text: string, current: KubeObject | undefined, w: WriteContext): void {
  const def = target.resource;
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  if (!current && target.subresource) throw notFound(def, target.name ?? '');
  const config = checkTypeMeta(def, patch, text);
  checkUrlName(ctx, target, config as JsonObject);
  const opts = { manager: w.manager, force: queryFlag(ctx.query, 'force') === true, ...(target.subresource ? { subresource: target.subresource } : {}) };
  const live = current ? (wireObject(def, current) as KubeObject) : undefined;
  const merged = applyConfiguration(def, live, config, opts, nowTimestamp());
  const managed = { ...w, managedFields: merged.metadata?.managedFields ?? [] };
  if (!current) {
    const stored = createObject(state, def, target.namespace, merged, managed);
    sendJson(ctx.res, 201, wireObject(def, stored), warningHeaders(ctx));
    return;
  }
  const obj = checkTypeMeta(def, merged as JsonValue, '');
  const mode = { fromPatch: true, ...(target.subresource ? { subresource: target.subresource } : {}) };
  const result = updateObject(state, def, target.namespace, target.name ?? '', obj, mode, managed);
  sendJson(ctx.res, 200, wireObject(def, result.object), warningHeaders(ctx));
}

function deleteOptions(ctx: RequestContext): DeleteOptions & { body: JsonObject } {
  const text = bodyText(ctx).trim();
  let body: JsonObject = {};
  if (text) {
    try {
      const parsed = JSON.parse(text) as JsonValue;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed;
      else throw new Error('not an object');
    } catch (e) {
      throw badRequest(`couldn't decode DeleteOptions: ${(e as Error).message}`);
    }
  }
  const opts: DeleteOptions & { body: JsonObject } = { body };
  const pre = body.preconditions;
  if (pre && typeof pre === 'object' && !Array.isArray(pre)) {
    opts.preconditions = {};
    if (typeof pre.uid === 'string') opts.preconditions.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string') opts.preconditions.resourceVersion = pre.resourceVersion;
  }
  const grace = queryInt(ctx.query, 'gracePeriodSeconds') ?? (typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = ctx.query.get('propagationPolicy') ?? (typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined);
  if (policy !== undefined) {
    if (!['Orphan', 'Background', 'Foreground'].includes(policy)) {
      throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan", "nil"`);
    }
    opts.propagationPolicy = policy;
  }
  const orphan = queryFlag(ctx.query, 'orphanDependents') ?? (typeof body.orphanDependents === 'boolean' ? body.orphanDependents : undefined);
  if (orphan !== undefined) opts.orphanDependents = orphan;
  return opts;
}

/** DELETE of one object. */
export function handleDelete(real: ServerState, ctx: RequestContext, target: RequestTarget): void {
  const def = target.resource;
  const { body, ...opts } = deleteOptions(ctx);
  const state = writeState(real, ctx, 'DeleteOptions', body);
  const result = deleteObject(state, def, target.namespace, target.name ?? '', opts);
  const code = !result.deleted && opts.orphanDependents === false ? 202 : 200;
  if (!result.deleted || def.returnDeletedObject) {
    sendJson(ctx.res, code, wireObject(def, result.object));
    return;
  }
  const details: JsonObject = { name: target.name ?? '' };
  if (def.group) details.group = def.group;
  details.kind = def.plural;
  details.uid = result.object.metadata?.uid ?? '';
  sendJson(ctx.res, code, successStatus(details));
}

/** DELETE of a collection (with optional selectors). */
export function handleDeleteCollection(real: ServerState, ctx: RequestContext, target: RequestTarget): void {
  const def = target.resource;
  const { body, ...opts } = deleteOptions(ctx);
  const state = writeState(real, ctx, 'DeleteOptions', body);
  const labels = parseLabelSelector(ctx.query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(ctx.query.get('fieldSelector') ?? '', def);
  const prefix = def.namespaced && target.namespace ? `${target.namespace}/` : undefined;
  for (const { object } of state.store.list(resourceId(def), undefined, prefix)) {
    if (!labels.matches(object.metadata?.labels) || !fields.matches(object)) continue;
    deleteObject(state, def, object.metadata?.namespace, object.metadata?.name ?? '', { ...opts, preconditions: {} });
  }
  sendJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
}
