/**
 * The one place where Kubernetes API answers and transport failures become calico-datastore
 * errors (backends spec §1.6 and §3.11). Messages name the operation, the resource and the
 * server, never a response body, header or credential.
 *
 * @module
 */
import {
  AlreadyExistsError,
  CalicoError,
  ConflictError,
  ExpiredError,
  NotFoundError,
  NotSupportedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  shownIdentifier,
  type FieldError,
  type FieldErrorType,
  type ResourceIdentifier,
} from '../../errors.js';
import type { KubeStatus, KubeStatusCause } from './kube-types.js';

/** What was being done when an error happened. */
export interface ErrorContext {
  /** The operation, for example `Create`, `List`, `Watch`. */
  operation: string;
  /** The resource concerned, when there is one. */
  identifier?: ResourceIdentifier;
  /** Base URL of the API server (named in transport errors). */
  server?: string;
  /**
   * A patch of a Pod's status: a 422 whose only cause is `metadata.uid` means the Pod instance is
   * gone (NotFound), one whose only cause is `metadata.resourceVersion` means a stale revision.
   */
  podPatch?: boolean;
}

const CAUSE_TYPES: Readonly<Record<string, FieldErrorType>> = {
  FieldValueRequired: 'required',
  FieldValueInvalid: 'invalid',
  FieldValueTypeInvalid: 'invalid',
  FieldValueNotFound: 'invalid',
  FieldValueNotSupported: 'notSupported',
  FieldValueForbidden: 'forbidden',
  FieldValueDuplicate: 'duplicate',
  FieldValueTooMany: 'tooMany',
  FieldValueTooLong: 'tooLong',
};

/** Drops the value we sent (`Invalid value: "<value>": ` and a repeated `: "<value>"` tail) from a cause message, keeping the reason. */
function causeMessage(cause: KubeStatusCause): string {
  let text = cause.message ?? '';
  const head = /^Invalid value: ("(?:[^"\\]|\\.)*"|[^:]*): /.exec(text);
  if (head) {
    text = text.slice(head[0].length);
    const value = head[1] as string;
    if (text.endsWith(`: ${value}`)) text = text.slice(0, -(value.length + 2));
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text || 'rejected by the API server';
}

function causePath(cause: KubeStatusCause): string {
  const field = cause.field ?? '';
  return field === '<nil>' ? '' : field.replace(/^\./, '');
}

function what(ctx: ErrorContext): string {
  return ctx.identifier ? `${ctx.operation} ${shownIdentifier(ctx.identifier)}` : ctx.operation;
}

function shortMessage(status: KubeStatus): string {
  const m = status.message ?? '';
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

/**
 * True for a 404 that means the resource type is not served (CRD not installed, subresource
 * missing), as opposed to a missing object, which names the object in `details.name`.
 *
 * @param code HTTP status.
 * @param status The `Status` body.
 */
export function isMissingResourceType(code: number, status: KubeStatus): boolean {
  return code === 404 && !status.details?.name;
}

/** True for the answers Kubernetes gives when a revision is gone or not yet reached. */
export function isExpiredStatus(code: number, status: KubeStatus): boolean {
  if (code === 410 || status.reason === 'Expired' || status.reason === 'Gone') return true;
  return code === 504 && ((status.details?.causes ?? []).some((c) => c.reason === 'ResourceVersionTooLarge') || /too large resource version/i.test(status.message ?? ''));
}

/**
 * Maps an HTTP error answer of the API server to a calico-datastore error.
 *
 * @param code HTTP status code.
 * @param status The parsed `Status` body (`{}` when the body was not one).
 * @param ctx What was being done.
 * @return The error to throw or to put in an ERROR event.
 */
export function errorFromStatus(code: number, status: KubeStatus, ctx: ErrorContext): CalicoError {
  const identifier = ctx.identifier;
  const causes = status.details?.causes ?? [];
  if (isExpiredStatus(code, status)) return new ExpiredError(`the revision asked for by ${what(ctx)} is no longer available (${code} ${status.reason ?? 'Expired'}): relist`);
  if (code === 401) return new UnauthorizedError(`${what(ctx)} was refused: the Kubernetes API server did not accept the credentials (401 Unauthorized)`);
  if (code === 403) return new UnauthorizedError(`${what(ctx)} was refused by the Kubernetes API server (403 Forbidden)${status.message ? `: ${shortMessage(status)}` : ''}`);
  if (code === 404) {
    if (isMissingResourceType(code, status)) {
      return new NotSupportedError(ctx.operation, { ...(identifier ? { identifier } : {}), reason: 'the Kubernetes API server does not serve this resource type (is the Calico CRD installed?)' });
    }
    return identifier ? new NotFoundError(identifier) : new UnavailableError(`${what(ctx)}: the Kubernetes API server answered 404 Not Found`);
  }
  if (code === 409) {
    if (status.reason === 'AlreadyExists' && identifier) return new AlreadyExistsError(identifier);
    const uid = /UID in precondition|Precondition failed: UID/i.test(status.message ?? '');
    if (identifier) return new ConflictError(identifier, { reason: uid ? 'UIDMismatch' : 'RevisionMismatch' });
    return new UnavailableError(`${what(ctx)}: the Kubernetes API server answered 409 ${status.reason ?? 'Conflict'}`);
  }
  if (code === 422) {
    const fields = causes.map(causePath);
    if (ctx.podPatch && identifier && fields.length > 0 && fields.every((f) => f === 'metadata.uid')) return new NotFoundError(identifier);
    if (ctx.podPatch && identifier && fields.length > 0 && fields.every((f) => f === 'metadata.resourceVersion')) return new ConflictError(identifier);
    const errors: FieldError[] = causes.map((c) => ({ path: causePath(c), type: CAUSE_TYPES[c.reason ?? ''] ?? 'invalid', message: causeMessage(c) }));
    if (errors.length === 0) errors.push({ path: '', type: 'invalid', message: shortMessage(status) || 'rejected by the Kubernetes API server (422 Invalid)' });
    return new ValidationError(errors, identifier ? { identifier } : {});
  }
  if (code === 400) {
    return new ValidationError([{ path: '', type: 'invalid', message: `the Kubernetes API server rejected the request (400 ${status.reason ?? 'BadRequest'})${status.message ? `: ${shortMessage(status)}` : ''}` }], identifier ? { identifier } : {});
  }
  return new UnavailableError(`${what(ctx)}: the Kubernetes API server answered ${code}${status.reason ? ` ${status.reason}` : ''}`, identifier ? { identifier } : {});
}

/**
 * Maps a failure that is not an HTTP answer (connection refused or reset, timeout, TLS or
 * configuration problems) to an {@link UnavailableError}; calico-datastore errors pass through.
 *
 * @param error What was thrown.
 * @param ctx What was being done.
 * @return The error.
 */
export function errorFromTransport(error: unknown, ctx: ErrorContext): CalicoError {
  if (error instanceof CalicoError) return error;
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  const where = ctx.server ? ` at ${ctx.server}` : '';
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new UnavailableError(`${what(ctx)}: the Kubernetes API server${where} did not answer in time`, { cause: error, ...(ctx.identifier ? { identifier: ctx.identifier } : {}) });
  }
  const detail = code ?? (typeof e?.message === 'string' ? e.message.split('\n')[0] : 'unknown error');
  return new UnavailableError(`${what(ctx)}: cannot reach the Kubernetes API server${where} (${detail})`, { cause: error, ...(ctx.identifier ? { identifier: ctx.identifier } : {}) });
}
