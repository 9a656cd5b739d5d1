/**
 * The one place where failures of the `etcd3` client become the library's typed errors
 * (backends spec §1.6), plus the retry classification the call layer uses.
 *
 * etcd3 is loaded lazily, so its error classes are recognised by constructor name and gRPC code
 * rather than by `instanceof` against a static import.
 *
 * @module
 */
import {
  CalicoError,
  ExpiredError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  shownIdentifier,
  type ResourceIdentifier,
} from '../../errors.js';
import { HostSkippedError } from './fault-policy.js';

/** What the failed call was, for the message. */
export interface ErrorContext {
  /** Operation, for example `Create` or `List`. */
  readonly operation: string;
  /** The resource, when the call was about one. */
  readonly identifier?: ResourceIdentifier;
  /** Connection description (endpoints and which TLS/auth settings), never secrets. */
  readonly connection?: string;
}

const COMPACTED = /required revision has been compacted/i;
const FUTURE = /required revision is a future revision/i;

function className(e: unknown): string {
  return e instanceof Error ? e.constructor.name : '';
}

function grpcCode(e: unknown): number | undefined {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

/** The first line of an etcd/gRPC message (they name conditions, never stored values). */
function shortMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').replace(/^[A-Za-z]*Error:\s*/, '').slice(0, 200);
}

/** True when etcd says a revision was compacted or lies in the future. */
export function isRevisionGone(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return className(e) === 'GRPCOutOfRangeError' || grpcCode(e) === 11 || COMPACTED.test(e.message) || FUTURE.test(e.message);
}

/** True when the credentials (password, token or certificate) were rejected. */
export function isAuthFailure(e: unknown): boolean {
  const n = className(e);
  return (
    n === 'EtcdAuthenticationFailedError' ||
    n === 'EtcdPermissionDeniedError' ||
    n === 'GRPCUnauthenticatedError' ||
    n === 'EtcdInvalidAuthTokenError' ||
    n === 'EtcdUserNotFoundError' ||
    grpcCode(e) === 16 ||
    grpcCode(e) === 7 ||
    (e instanceof Error && /permission denied|authentication failed|invalid auth token|user name is empty/i.test(e.message))
  );
}

/**
 * True for transient failures worth another attempt (on another member): unreachable member,
 * deadline, leader loss, skipped host, stream reset.
 */
export function isTransient(e: unknown): boolean {
  if (e instanceof CalicoError) return false;
  if (e instanceof HostSkippedError) return true;
  if (!(e instanceof Error)) return false;
  if (isAuthFailure(e) || isRevisionGone(e)) return false;
  const n = className(e);
  if (n === 'ClientClosedError') return false;
  if (['GRPCUnavailableError', 'GRPCDeadlineExceededError', 'GRPCCancelledError', 'GRPCInternalError', 'GRPCUnknownError', 'GRPCAbortedError'].includes(n)) return true;
  const code = grpcCode(e);
  if (code !== undefined && [1, 2, 4, 10, 13, 14].includes(code)) return true;
  return /leader changed|no leader|request timed out|too many requests|timed out|not capable|stopped|connection/i.test(e.message);
}

/**
 * True when a failed write may nevertheless have been applied (the request may have reached the
 * leader): anything transient except a host we never called.
 */
export function isAmbiguous(e: unknown): boolean {
  return isTransient(e) && !(e instanceof HostSkippedError);
}

/**
 * Maps any failure of an etcd call to the library's error family.
 *
 * | etcd / gRPC | result |
 * |---|---|
 * | already a CalicoError | unchanged |
 * | compacted or future revision (`OUT_OF_RANGE`) | {@link ExpiredError} |
 * | bad password, permission denied, bad token, `UNAUTHENTICATED` | {@link UnauthorizedError} |
 * | request too large / too many txn ops (`INVALID_ARGUMENT`) | {@link ValidationError} on `metadata` |
 * | everything else (unreachable, deadlines, closed client, open breaker) | {@link UnavailableError} naming the endpoints |
 *
 * @param e The failure.
 * @param ctx Operation, resource and connection description for the message.
 * @return The typed error (the original kept as `cause`).
 */
export function mapEtcdError(e: unknown, ctx: ErrorContext): CalicoError {
  if (e instanceof CalicoError) return e;
  const identifier = ctx.identifier;
  const what = identifier ? `${ctx.operation} ${shownIdentifier(identifier)}` : ctx.operation;
  if (isRevisionGone(e)) {
    return new ExpiredError(`${what}: the requested revision is no longer available (${FUTURE.test(shortMessage(e)) ? 'it is in the future' : 'compacted'})`, {
      identifier,
      cause: e,
    });
  }
  if (isAuthFailure(e)) {
    return new UnauthorizedError(`${what}: etcd rejected the credentials (${shortMessage(e)})`, { identifier, cause: e });
  }
  if (className(e) === 'GRPCInvalidArgumentError' || grpcCode(e) === 3) {
    return new ValidationError([{ path: 'metadata', type: 'invalid', message: `etcd rejected the request: ${shortMessage(e)}` }], { identifier, cause: e });
  }
  const where = ctx.connection ? ` (${ctx.connection})` : '';
  return new UnavailableError(`${what}: etcd call failed${where}: ${shortMessage(e)}`, { identifier, cause: e });
}
