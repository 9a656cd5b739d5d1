/**
 * `v1.Status` bodies with the codes, reasons, messages and `details` the real API server uses
 * (`k8s.io/apimachinery/pkg/api/errors`). Handlers throw an {@link ApiFailure} built by one of
 * these functions; the router renders it.
 *
 * @module
 */
import { aggregateMessage, type FieldErr } from './field-errors.js';
import type { ResourceDefinition } from './types.js';

/** One `details.causes[]` entry. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The `details` block of a Status. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A `v1.Status` object as sent on the wire. */
export interface K8sStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An `Error` carrying the Status to answer with (and optional extra response headers). */
export type ApiFailure = Error & { k8sStatus: K8sStatus; responseHeaders?: Record<string, string> };

/**
 * Wraps a Status into a throwable error.
 *
 * @param status The Status to send.
 * @param responseHeaders Extra headers (for example `Retry-After`).
 */
export function apiFailure(status: K8sStatus, responseHeaders?: Record<string, string>): ApiFailure {
  const e = new Error(status.message ?? status.reason ?? `HTTP ${status.code}`) as ApiFailure;
  e.k8sStatus = status;
  if (responseHeaders) e.responseHeaders = responseHeaders;
  return e;
}

/** True when `e` was built by {@link apiFailure}. */
export function isApiFailure(e: unknown): e is ApiFailure {
  return e instanceof Error && typeof (e as Partial<ApiFailure>).k8sStatus === 'object';
}

/** Builds a failure Status. */
export function failureStatus(code: number, reason: string | undefined, message: string, details?: StatusDetails): K8sStatus {
  const s: K8sStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  // Key order as the real server writes it: ..., message, reason, details, code.
  return { kind: s.kind, apiVersion: s.apiVersion, metadata: s.metadata, status: s.status, message: s.message, ...(s.reason ? { reason: s.reason } : {}), ...(s.details ? { details: s.details } : {}), code: s.code };
}

/** `plural` or `plural.group`: how messages name a resource. */
export function qualifiedResource(r: Pick<ResourceDefinition, 'plural' | 'group'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function resourceDetails(r: Pick<ResourceDefinition, 'plural' | 'group'>, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.plural;
  return d;
}

/** 404 `NotFound` for one named object. */
export function notFound(r: Pick<ResourceDefinition, 'plural' | 'group'>, name: string): ApiFailure {
  return apiFailure(failureStatus(404, 'NotFound', `${qualifiedResource(r)} "${name}" not found`, resourceDetails(r, name)));
}

/** 404 for a path the server does not serve (unknown group, resource or subresource). */
export function pathNotFound(): ApiFailure {
  return apiFailure(failureStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
}

/** 409 `AlreadyExists`. */
export function alreadyExists(r: Pick<ResourceDefinition, 'plural' | 'group'>, name: string): ApiFailure {
  return apiFailure(failureStatus(409, 'AlreadyExists', `${qualifiedResource(r)} "${name}" already exists`, resourceDetails(r, name)));
}

/** The detail of a stale-resourceVersion conflict. */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

/** 409 `Conflict`: `Operation cannot be fulfilled on <resource> "<name>": <detail>`. */
export function conflict(r: Pick<ResourceDefinition, 'plural' | 'group'>, name: string, detail: string = OPTIMISTIC_LOCK_MESSAGE): ApiFailure {
  return apiFailure(
    failureStatus(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${detail}`, resourceDetails(r, name)),
  );
}

/** 422 `Invalid` with one cause per field error. */
export function invalidObject(kind: string, group: string, name: string, errors: readonly FieldErr[]): ApiFailure {
  const gk = group ? `${kind}.${group}` : kind;
  const details: StatusDetails = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = errors.map((e) => ({ reason: e.type, message: e.body, field: e.field || '<nil>' }));
  const message = errors.length ? `${gk} "${name}" is invalid: ${aggregateMessage(errors)}` : `${gk} "${name}" is invalid`;
  return apiFailure(failureStatus(422, 'Invalid', message, details));
}

/** 400 `BadRequest`. */
export function badRequest(message: string): ApiFailure {
  return apiFailure(failureStatus(400, 'BadRequest', message));
}

/** 410 `Expired` (also used for too-old resource versions and continue tokens). */
export function expired(message: string, continueToken?: string): ApiFailure {
  const s = failureStatus(410, 'Expired', message);
  if (continueToken !== undefined) s.metadata.continue = continueToken;
  return apiFailure(s);
}

/** 405 `MethodNotAllowed`. */
export function methodNotSupported(r: Pick<ResourceDefinition, 'plural' | 'group'>, action: string): ApiFailure {
  return apiFailure(
    failureStatus(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(r)}"`, resourceDetails(r)),
  );
}

/** 415 `UnsupportedMediaType`. */
export function unsupportedMediaType(accepted: readonly string[]): ApiFailure {
  return apiFailure(
    failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`),
  );
}

/** 401 `Unauthorized`. */
export function unauthorized(): ApiFailure {
  return apiFailure(failureStatus(401, 'Unauthorized', 'Unauthorized'));
}

/** 403 `Forbidden` with the authorizer's sentence. */
export function forbiddenStatus(r: Pick<ResourceDefinition, 'plural' | 'group'> | undefined, name: string | undefined, reason: string): ApiFailure {
  if (!r) return apiFailure(failureStatus(403, 'Forbidden', `forbidden: ${reason}`, {}));
  const head = name ? `${qualifiedResource(r)} "${name}" is forbidden` : `${qualifiedResource(r)} is forbidden`;
  return apiFailure(failureStatus(403, 'Forbidden', `${head}: ${reason}`, resourceDetails(r, name)));
}

/** 500 `InternalError`: `Internal error occurred: <message>`. */
export function internalError(message: string): ApiFailure {
  return apiFailure(failureStatus(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }));
}

/** 500 with no reason: what the server sends for an error that was never turned into a Status. */
export function unknownError(message: string): ApiFailure {
  return apiFailure(failureStatus(500, undefined, message));
}

/** 429 `TooManyRequests` with `Retry-After`. */
export function tooManyRequests(retryAfterSeconds = 1): ApiFailure {
  return apiFailure(
    failureStatus(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** 503 `ServiceUnavailable`. */
export function serviceUnavailable(message: string): ApiFailure {
  return apiFailure(failureStatus(503, 'ServiceUnavailable', message), { 'Retry-After': '1' });
}

/** 504 `Timeout` for a resourceVersion the server has not reached yet. */
export function tooLargeResourceVersion(requested: number, current: number): ApiFailure {
  return apiFailure(
    failureStatus(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    }),
    { 'Retry-After': '1' },
  );
}

/** 422 `Invalid` for bad list/watch options (`ListOptions.meta.k8s.io "" is invalid: ...`). */
export function invalidListOptions(errors: readonly FieldErr[]): ApiFailure {
  return invalidObject('ListOptions', 'meta.k8s.io', '', errors);
}

/** A `Success` Status (delete of a kind that does not return the object). */
export function successStatus(details: StatusDetails): K8sStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } as K8sStatus;
}
