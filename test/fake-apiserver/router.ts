/**
 * Request routing: authenticates, maps the path onto discovery documents or a resource target
 * (`/api/v1/namespaces/<ns>/pods/<name>/status` → pods, ns, name, `status`), picks the verb,
 * authorizes, reads the body, consults fault injection, dispatches, and renders failures as
 * `Status` bodies.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, authorize, type AuthOptions } from './auth.js';
import type { RequestContext, ServerState } from './context.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import type { FaultAction, RequestFacts } from './faults.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './handlers-write.js';
import { handleGet, handleList } from './handlers-read.js';
import { isBinaryDocument, openApiRoute } from './openapi.js';
import { queryFlag, readBody, sendJson, sendStatus } from './http-util.js';
import { isSelectorError } from './label-selector.js';
import { badRequest, internalError, isApiFailure, methodNotSupported, pathNotFound } from './status.js';
import type { RequestTarget, Verb } from './types.js';
import { handleWatch } from './watch.js';

/** One recorded request (for assertions about what a client sent). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb?: Verb;
  resource?: string;
  group?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  contentType?: string;
  userAgent?: string;
  /** True when an `Authorization` header was present (its value is not recorded). */
  authorization: boolean;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body?: unknown;
}

/** What the router needs besides the state. */
export interface RouterDeps {
  auth: AuthOptions | undefined;
  checkFaults(facts: RequestFacts): Promise<FaultAction>;
  record(entry: RecordedRequest): void;
}

type Route =
  | { kind: 'doc'; produce: () => unknown }
  | { kind: 'text'; text: string }
  | { kind: 'resource'; target: RequestTarget; verb: Verb };

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw badRequest(`invalid path segment ${JSON.stringify(seg)}`);
  }
}

function resourceRoute(state: ServerState, method: string, query: URLSearchParams, group: string, version: string, rest: string[]): Route | undefined {
  let namespace: string | undefined;
  let parts = rest;
  const nsItem = rest[0] === 'namespaces' && (rest.length === 2 || (rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')));
  if (rest[0] === 'namespaces' && rest.length >= 3 && !nsItem) {
    namespace = rest[1];
    parts = rest.slice(2);
  }
  const [plural, name, sub, ...extra] = parts;
  if (!plural || extra.length) return undefined;
  const def = state.registry.find(group, version, plural);
  if (!def) return undefined;
  if (namespace !== undefined && !def.namespaced) return undefined;
  if (namespace === undefined && def.namespaced && name !== undefined) return undefined;
  if (sub !== undefined && (sub !== 'status' || !def.statusSubresource)) return undefined;
  const target: RequestTarget = { resource: def };
  if (namespace !== undefined) target.namespace = namespace;
  if (name !== undefined) target.name = name;
  if (sub !== undefined) target.subresource = sub;
  let verb: Verb | undefined;
  switch (method) {
    case 'GET':
      verb = name !== undefined ? 'get' : queryFlag(query, 'watch') ? 'watch' : 'list';
      break;
    case 'POST':
      verb = name === undefined ? 'create' : undefined;
      break;
    case 'PUT':
      verb = name !== undefined ? 'update' : undefined;
      break;
    case 'PATCH':
      verb = name !== undefined ? 'patch' : undefined;
      break;
    case 'DELETE':
      verb = sub !== undefined ? undefined : name !== undefined ? 'delete' : 'deletecollection';
      break;
  }
  if (!verb) throw methodNotSupported(def, method.toLowerCase());
  return { kind: 'resource', target, verb };
}

function route(state: ServerState, method: string, path: string, query: URLSearchParams, accept?: string): Route | undefined {
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return { kind: 'text', text: 'ok' };
  if (path === '/version' || path === '/version/') return { kind: 'doc', produce: () => state.settings.version };
  const seg = path.split('/').filter(Boolean).map(decode);
  if (seg[0] === 'openapi') {
    const produce = openApiRoute(state, seg.slice(1), accept);
    return produce ? { kind: 'doc', produce } : undefined;
  }
  if (seg[0] === 'api') {
    if (seg.length === 1) return { kind: 'doc', produce: () => apiVersions(state) };
    const version = seg[1] as string;
    if (seg.length === 2) {
      const doc = apiResourceList(state, '', version);
      return doc ? { kind: 'doc', produce: () => doc } : undefined;
    }
    return version === 'v1' ? resourceRoute(state, method, query, '', version, seg.slice(2)) : undefined;
  }
  if (seg[0] === 'apis') {
    if (seg.length === 1) return { kind: 'doc', produce: () => apiGroupList(state) };
    const group = seg[1] as string;
    if (seg.length === 2) {
      const doc = apiGroup(state, group);
      return doc ? { kind: 'doc', produce: () => doc } : undefined;
    }
    const version = seg[2] as string;
    if (seg.length === 3) {
      const doc = apiResourceList(state, group, version);
      return doc ? { kind: 'doc', produce: () => doc } : undefined;
    }
    return resourceRoute(state, method, query, group, version, seg.slice(3));
  }
  return undefined;
}

function recordable(ctx: RequestContext, r: Route | undefined): RecordedRequest {
  const entry: RecordedRequest = {
    method: ctx.method,
    path: ctx.path,
    query: Object.fromEntries(ctx.query),
    authorization: ctx.req.headers.authorization !== undefined,
  };
  const ct = ctx.req.headers['content-type'];
  if (ct) entry.contentType = ct;
  const ua = ctx.req.headers['user-agent'];
  if (ua) entry.userAgent = ua;
  if (r?.kind === 'resource') {
    entry.verb = r.verb;
    entry.resource = r.target.resource.plural;
    entry.group = r.target.resource.group;
    if (r.target.namespace !== undefined) entry.namespace = r.target.namespace;
    if (r.target.name !== undefined) entry.name = r.target.name;
    if (r.target.subresource !== undefined) entry.subresource = r.target.subresource;
  }
  if (ctx.body?.length) {
    const text = ctx.body.toString('utf8');
    try {
      entry.body = JSON.parse(text) as unknown;
    } catch {
      entry.body = text;
    }
  }
  return entry;
}

/**
 * Serves one request.
 *
 * @param state Server state.
 * @param deps Auth options, fault hook and request log.
 * @param req The request.
 * @param res The response.
 */
export async function handleRequest(state: ServerState, deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const ctx: RequestContext = { req, res, method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, warnings: [] };
  let r: Route | undefined;
  try {
    ctx.user = authenticate(req, deps.auth);
    r = route(state, ctx.method, ctx.path, ctx.query, req.headers.accept);
    const target = r?.kind === 'resource' ? r.target : undefined;
    const verb = r?.kind === 'resource' ? r.verb : undefined;
    if (target) ctx.target = target;
    if (verb) ctx.verb = verb;
    authorize(deps.auth, ctx.user, ctx.method, ctx.path, target, verb);
    if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method)) ctx.body = await readBody(req);
    deps.record(recordable(ctx, r));
    const facts: RequestFacts = { method: ctx.method, path: ctx.path, ...(target ? { target } : {}), ...(verb ? { verb } : {}) };
    const action = await deps.checkFaults(facts);
    if (action.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'fail') throw action.failure;
    if (!r) throw pathNotFound();
    if (r.kind === 'text') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(r.text);
      return;
    }
    if (r.kind === 'doc') {
      if (ctx.method !== 'GET') throw apiFailureMethod();
      const doc = r.produce();
      if (isBinaryDocument(doc)) {
        res.writeHead(200, { 'Content-Type': doc.contentType, 'Content-Length': doc.bytes.length }).end(doc.bytes);
        return;
      }
      sendJson(res, 200, doc);
      return;
    }
    const t = r.target;
    switch (r.verb) {
      case 'get':
        return await handleGet(state, ctx, t);
      case 'list':
        return await handleList(state, ctx, t);
      case 'watch':
        return await handleWatch(state, ctx, t);
      case 'create':
        return handleCreate(state, ctx, t);
      case 'update':
        return handleUpdate(state, ctx, t);
      case 'patch':
        return handlePatch(state, ctx, t);
      case 'delete':
        return handleDelete(state, ctx, t);
      case 'deletecollection':
        return handleDeleteCollection(state, ctx, t);
    }
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const failure = isApiFailure(e) ? e : isSelectorError(e) ? badRequest(e.message) : internalError(e instanceof Error ? e.message : String(e));
    sendStatus(res, failure.k8sStatus, failure.responseHeaders ?? {});
  }
}

function apiFailureMethod(): Error {
  return methodNotSupported({ plural: 'discovery', group: '' }, 'non-GET');
}
