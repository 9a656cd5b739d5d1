/**
 * OpenAPI documents for everything the fake serves, built from the installed resources:
 *
 * - `GET /openapi/v3`: the index, one `serverRelativeURL` (with a content `hash`) per group-version;
 * - `GET /openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`: the OpenAPI 3.0 document of
 *   that group-version: paths with their operations (`x-kubernetes-action`,
 *   `x-kubernetes-group-version-kind`, query parameters such as `fieldValidation` and `dryRun`),
 *   and component schemas: the built-in kinds (see `openapi-schemas.ts`) and, for custom
 *   resources, the CRD's `openAPIV3Schema` with `metadata` pointing at `ObjectMeta`;
 * - `GET /openapi/v2`: the same as one Swagger 2.0 document, in JSON or, for clients that ask for
 *   it as client-go's `OpenAPISchema()` does, as gnostic protobuf (`openapi-v2-proto.ts`).
 *
 * kubectl uses these for server-side field validation support (`kubectl apply/create/replace`
 * without `--validate=false`) and for `kubectl explain`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { ServerState } from './context.js';
import { BUILTIN_SCHEMA_NAMES, builtinSchemas, LIST_META, OBJECT_META, V3_REF } from './openapi-schemas.js';
import { apiFailure, failureStatus } from './status.js';
import type { JsonObject, JsonValue, ResourceDefinition } from './types.js';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_DEPRECATED } from './openapi-v2-proto.js';

type Op = 'list' | 'listAll' | 'post' | 'deletecollection' | 'get' | 'put' | 'patch' | 'delete';

const qp = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: type === 'string' ? { type: 'string', uniqueItems: true } : { type, uniqueItems: true },
});
const DRY_RUN = qp('dryRun', 'When present, the change is validated but not persisted. The only valid value is All.');
const FIELD_MANAGER = qp('fieldManager', 'Name of the actor making the change.');
const FIELD_VALIDATION = qp('fieldValidation', 'How to treat unknown or duplicate fields: Ignore, Warn or Strict.');
const LIST_PARAMS = [
  qp('allowWatchBookmarks', 'Ask for BOOKMARK events on watches.', 'boolean'),
  qp('continue', 'Token of the next page.'),
  qp('fieldSelector', 'Select objects by fields.'),
  qp('labelSelector', 'Select objects by labels.'),
  qp('limit', 'Maximum number of items per page.', 'integer'),
  qp('resourceVersion', 'Which revision to read from.'),
  qp('resourceVersionMatch', 'How resourceVersion applies: Exact or NotOlderThan.'),
  qp('sendInitialEvents', 'Start a watch with the current objects and a bookmark.', 'boolean'),
  qp('timeoutSeconds', 'Timeout of the call.', 'integer'),
  qp('watch', 'Watch for changes instead of listing.', 'boolean'),
];
const DELETE_PARAMS = [
  DRY_RUN,
  qp('gracePeriodSeconds', 'Seconds before the object is deleted.', 'integer'),
  qp('orphanDependents', 'Deprecated; use propagationPolicy.', 'boolean'),
  qp('propagationPolicy', 'Orphan, Background or Foreground.'),
];
const OP_PARAMS: Record<Op, JsonObject[]> = {
  list: LIST_PARAMS,
  listAll: LIST_PARAMS,
  post: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
  deletecollection: [...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), ...DELETE_PARAMS],
  get: [],
  put: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
  patch: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, qp('force', 'Take ownership of conflicting fields (apply patches only).', 'boolean')],
  delete: DELETE_PARAMS,
};
const ACTIONS: Record<Op, string> = { list: 'list', listAll: 'list', post: 'post', deletecollection: 'deletecollection', get: 'get', put: 'put', patch: 'patch', delete: 'delete' };
const VERB_WORD: Record<Op, string> = { list: 'list', listAll: 'list', post: 'create', deletecollection: 'deletecollection', get: 'read', put: 'replace', patch: 'patch', delete: 'delete' };
const STATUS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `crd.projectcalico.org` → `CrdProjectcalicoOrg`, `networking.k8s.io` → `Networking`, core → `Core`. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  const g = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return g.split(/[.-]/).map(capital).join('');
}

/** Component name of a kind: the built-in's Go package path, or the reversed group for CRs. */
function schemaName(def: ResourceDefinition, kind: string = def.kind): string {
  const builtin = BUILTIN_SCHEMA_NAMES[`${def.group}/${def.version}/${def.kind}`];
  if (builtin && !def.custom) return kind === def.kind ? builtin : builtin.replace(/[^.]+$/, kind);
  return `${def.group.split('.').reverse().join('.')}.${def.version}.${kind}`;
}

const refTo = (name: string): JsonObject => ({ $ref: V3_REF + name });
const content = (schema: JsonObject, types: readonly string[]): JsonObject => Object.fromEntries(types.map((t) => [t, { schema }]));
const WIRE = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function operation(def: ResourceDefinition, op: Op, subresource?: string): JsonObject {
  const sub = subresource ? capital(subresource) : '';
  const scope = def.namespaced && op !== 'listAll' ? 'Namespaced' : '';
  const tail = op === 'listAll' ? 'ForAllNamespaces' : '';
  const listKind = op === 'list' || op === 'listAll' || op === 'deletecollection';
  const out: JsonObject = {
    tags: [`${groupWord(def.group).replace(/^./, (c) => c.toLowerCase())}_${def.version}`],
    description: `${VERB_WORD[op]} ${subresource ? `${subresource} of ` : ''}${listKind ? `objects of kind ${def.kind}` : `the specified ${def.kind}`}`,
    operationId: `${VERB_WORD[op]}${groupWord(def.group)}${capital(def.version)}${scope}${def.kind}${sub}${tail}`,
    parameters: OP_PARAMS[op],
  };
  const objRef = refTo(schemaName(def));
  const body = op === 'list' || op === 'listAll' ? refTo(schemaName(def, def.listKind)) : op === 'delete' || op === 'deletecollection' ? refTo(STATUS_SCHEMA) : objRef;
  if (op === 'post' || op === 'put') out.requestBody = { content: content(objRef, ['*/*']), required: true };
  if (op === 'patch') {
    out.requestBody = { content: content(refTo('io.k8s.apimachinery.pkg.apis.meta.v1.Patch'), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']), required: true };
  }
  if (op === 'delete' || op === 'deletecollection') out.requestBody = { content: content(refTo('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'), ['*/*']) };
  const responses: JsonObject = { '200': { description: 'OK', content: content(body, op === 'list' || op === 'listAll' ? [...WIRE, 'application/json;stream=watch'] : WIRE) } };
  if (op === 'post') responses['201'] = { description: 'Created', content: content(objRef, WIRE) };
  responses['401'] = { description: 'Unauthorized' };
  out.responses = responses;
  out['x-kubernetes-action'] = ACTIONS[op];
  out['x-kubernetes-group-version-kind'] = { group: def.group, kind: def.kind, version: def.version };
  return out;
}

const PATH_NAME = { name: 'name', in: 'path', description: `name of the object`, required: true, schema: { type: 'string', uniqueItems: true } };
const PATH_NAMESPACE = { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string', uniqueItems: true } };
const PRETTY = qp('pretty', "If 'true', the output is pretty printed.");

function pathsFor(def: ResourceDefinition): Record<string, JsonObject> {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
  const scopeParams = def.namespaced ? [PATH_NAMESPACE, PRETTY] : [PRETTY];
  const ops = (list: Op[], sub?: string): JsonObject => Object.fromEntries(list.map((op) => [op === 'list' ? 'get' : op === 'deletecollection' ? 'delete' : op, operation(def, op, sub)]));
  const out: Record<string, JsonObject> = {
    [collection]: { ...ops(['list', 'post', 'deletecollection']), parameters: scopeParams },
    [`${collection}/{name}`]: { ...ops(['get', 'put', 'patch', 'delete']), parameters: [PATH_NAME, ...scopeParams] },
  };
  if (def.statusSubresource) out[`${collection}/{name}/status`] = { ...ops(['get', 'put', 'patch'], 'status'), parameters: [PATH_NAME, ...scopeParams] };
  if (def.namespaced) out[`${prefix}/${def.plural}`] = { get: operation(def, 'listAll'), parameters: [PRETTY] };
  return out;
}

/** The CR schema as published: `metadata` refers to ObjectMeta, and the GVK extension is set. */
function customSchemas(def: ResourceDefinition): Record<string, JsonObject> {
  const schema = structuredClone((def.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JsonObject);
  const props: JsonObject = (schema.properties as JsonObject | undefined) ?? {};
  props.apiVersion = { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string', ...((props.apiVersion as JsonObject | undefined) ?? {}) };
  props.kind = { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string', ...((props.kind as JsonObject | undefined) ?? {}) };
  props.metadata = { allOf: [refTo(OBJECT_META)], description: "Standard object's metadata." };
  schema.properties = props;
  schema.type = 'object';
  schema['x-kubernetes-group-version-kind'] = [{ group: def.group, kind: def.kind, version: def.version }];
  const list: JsonObject = {
    description: `${def.listKind} is a list of ${def.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
      items: { description: `List of ${def.plural}.`, type: 'array', items: refTo(schemaName(def)) },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { allOf: [refTo(LIST_META)], description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, kind: def.listKind, version: def.version }],
  };
  return { [schemaName(def)]: schema, [schemaName(def, def.listKind)]: list };
}

function collectRefs(value: JsonValue | undefined, into: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(V3_REF)) into.add(v.slice(V3_REF.length));
      else collectRefs(v, into);
    }
  }
}

/** Component schemas reachable from `roots` (plus the Status, DeleteOptions and Patch every path uses). */
function schemasFor(defs: ResourceDefinition[]): Record<string, JsonObject> {
  const builtins = builtinSchemas();
  const pool: Record<string, JsonObject> = { ...builtins };
  for (const d of defs) if (d.custom) Object.assign(pool, customSchemas(d));
  const wanted = new Set<string>([STATUS_SCHEMA, 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch']);
  for (const d of defs) {
    wanted.add(schemaName(d));
    wanted.add(schemaName(d, d.listKind));
  }
  const out: Record<string, JsonObject> = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.pop() as string;
    const s = pool[name];
    if (!s || out[name]) continue;
    out[name] = s;
    const refs = new Set<string>();
    collectRefs(s, refs);
    for (const r of refs) if (!out[r]) queue.push(r);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k] as JsonObject]));
}

function served(state: ServerState, group: string, version: string): ResourceDefinition[] {
  return state.registry.all().filter((d) => d.group === group && d.version === version);
}

/**
 * The OpenAPI v3 document of one group-version; undefined when nothing is served there.
 *
 * @param state Server state.
 * @param group API group (`''` for core).
 * @param version Version.
 */
export function openApiV3Document(state: ServerState, group: string, version: string): JsonObject | undefined {
  const defs = served(state, group, version);
  if (!defs.length) return undefined;
  const paths: Record<string, JsonObject> = {};
  for (const d of defs) Object.assign(paths, pathsFor(d));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: state.settings.version.gitVersion },
    paths: Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k] as JsonObject])),
    components: {
      schemas: schemasFor(defs),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** `GET /openapi/v3`: one entry per served group-version. */
export function openApiV3Index(state: ServerState): JsonObject {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const d of state.registry.all()) gvs.set(d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`, { group: d.group, version: d.version });
  const paths: JsonObject = {};
  for (const key of [...gvs.keys()].sort()) {
    const { group, version } = gvs.get(key) as { group: string; version: string };
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(openApiV3Document(state, group, version))}` };
  }
  return { paths };
}

/** Rewrites a v3 schema for Swagger 2.0: `#/definitions/` references, single `$ref` properties. */
function toV2Schema(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(toV2Schema);
  if (!value || typeof value !== 'object') return value;
  const o = value;
  const allOf = o.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && allOf[0] && typeof allOf[0] === 'object' && !Array.isArray(allOf[0]) && typeof allOf[0].$ref === 'string') {
    const out: JsonObject = { $ref: String(allOf[0].$ref).replace(V3_REF, '#/definitions/') };
    if (typeof o.description === 'string') out.description = o.description;
    return out;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) out[k] = k === '$ref' && typeof v === 'string' ? v.replace(V3_REF, '#/definitions/') : toV2Schema(v);
  return out;
}

/** A v3 parameter in the v2 form: the schema's keywords inline. */
function toV2Param(p: JsonObject): JsonObject {
  const { schema, ...rest } = p;
  return { ...rest, ...((schema ?? {}) as JsonObject) };
}

function toV2Operation(op: JsonObject): JsonObject {
  const params = ((op.parameters ?? []) as JsonObject[]).map(toV2Param);
  const body = op.requestBody as JsonObject | undefined;
  if (body) {
    const first = Object.values((body.content ?? {}) as JsonObject)[0] as JsonObject | undefined;
    params.unshift({ name: 'body', in: 'body', required: body.required === true, schema: toV2Schema((first?.schema ?? {}) as JsonValue) });
  }
  const responses: JsonObject = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as JsonObject)) {
    const first = Object.values(((r as JsonObject).content ?? {}) as JsonObject)[0] as JsonObject | undefined;
    responses[code] = { description: (r as JsonObject).description ?? '', ...(first ? { schema: toV2Schema(first.schema as JsonValue) } : {}) };
  }
  const rest = { ...op };
  delete rest.requestBody;
  delete rest.responses;
  delete rest.parameters;
  return { ...rest, consumes: body ? Object.keys((body.content ?? {}) as JsonObject) : ['*/*'], produces: WIRE, schemes: ['https'], parameters: params, responses };
}

/** `GET /openapi/v2`: every served group-version in one Swagger 2.0 document. */
export function openApiV2Document(state: ServerState): JsonObject {
  const defs = state.registry.all();
  const paths: Record<string, JsonObject> = {};
  for (const d of defs) {
    for (const [p, item] of Object.entries(pathsFor(d))) {
      const out: JsonObject = {};
      for (const [method, op] of Object.entries(item)) {
        out[method] = method === 'parameters' ? (op as JsonObject[]).map(toV2Param) : toV2Operation(op as JsonObject);
      }
      paths[p] = out;
    }
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: state.settings.version.gitVersion },
    paths: Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k] as JsonObject])),
    definitions: toV2Schema(schemasFor(defs)),
    securityDefinitions: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

/** True when an `Accept` header allows a JSON answer. */
export function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const t = part.split(';')[0]?.trim().toLowerCase() ?? '';
    return t === 'application/json' || t === '*/*' || t === 'application/*';
  });
}

/** A document that is not JSON (the protobuf v2 form). */
export interface BinaryDocument {
  contentType: string;
  bytes: Buffer;
}

/** True for a {@link BinaryDocument}. */
export function isBinaryDocument(v: unknown): v is BinaryDocument {
  return !!v && typeof v === 'object' && Buffer.isBuffer((v as Partial<BinaryDocument>).bytes) && typeof (v as Partial<BinaryDocument>).contentType === 'string';
}

/** True when an `Accept` header names the v2 protobuf form before any JSON form. */
function acceptsProtobuf(accept: string | undefined): boolean {
  for (const part of (accept ?? '').split(',')) {
    const t = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (t === OPENAPI_V2_PROTOBUF || t === OPENAPI_V2_PROTOBUF_DEPRECATED) return true;
    if (t === 'application/json' || t === '*/*') return false;
  }
  return false;
}

/** The 406 the server sends when it cannot produce any of the accepted media types. */
export function notAcceptable(): Error {
  return apiFailure(failureStatus(406, 'NotAcceptable', `only the following media types are accepted: application/json, ${OPENAPI_V2_PROTOBUF}`));
}

/**
 * Routes `/openapi/...` paths; undefined for paths that are not OpenAPI documents.
 *
 * @param state Server state.
 * @param seg Path segments after `openapi`.
 * @param accept The request's `Accept` header.
 * @return A function producing the document (throws 404/406 failures), or undefined.
 */
export function openApiRoute(state: ServerState, seg: string[], accept: string | undefined): (() => unknown) | undefined {
  if (seg.length === 1 && seg[0] === 'v2') {
    return () => {
      if (acceptsProtobuf(accept)) return { contentType: OPENAPI_V2_PROTOBUF, bytes: encodeOpenApiV2(openApiV2Document(state)) };
      if (!acceptsJson(accept)) throw notAcceptable();
      return openApiV2Document(state);
    };
  }
  if (seg[0] !== 'v3') return undefined;
  if (seg.length === 1) return () => openApiV3Index(state);
  const group = seg[1] === 'api' && seg.length === 3 ? '' : seg[1] === 'apis' && seg.length === 4 ? (seg[2] as string) : undefined;
  if (group === undefined) return undefined;
  const version = seg[seg.length - 1] as string;
  return () => {
    const doc = openApiV3Document(state, group, version);
    if (!doc) throw apiFailure(failureStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
    return doc;
  };
}
