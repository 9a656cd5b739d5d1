/**
 * The closed family of errors calico-datastore raises.
 *
 * Every error is a {@link CalicoError} with a stable {@link CalicoError.code | code}; callers branch
 * on `code` or on the `is*` guards below, never on message text. Each backend translates its
 * transport's failures into these classes in one place (its own `errors.ts`). Messages never
 * contain credentials or stored values.
 *
 * @module
 */

/** Stable machine-readable code of every {@link CalicoError}. */
export type CalicoErrorCode =
  | 'Validation'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'NotSupported'
  | 'Unavailable'
  | 'SelectorParse'
  | 'Expired'
  | 'Parse'
  | 'Unauthorized';

/**
 * Which resource an error is about. Printed as `Kind(namespace/name)` or `Kind(name)`.
 */
export interface ResourceIdentifier {
  /** The resource kind, for example `IPPool`. */
  kind: string;
  /** Namespace, for namespaced kinds only. */
  namespace?: string;
  /** Resource name (the storage name where it differs from the v3 name). */
  name: string;
}

/**
 * Formats an identifier the way Calico prints it in messages: `NetworkPolicy(shop/allow-web)`.
 *
 * @param id The identifier to format.
 * @return The printable form.
 */
export function formatIdentifier(id: ResourceIdentifier): string {
  return id.namespace ? `${id.kind}(${id.namespace}/${id.name})` : `${id.kind}(${id.name})`;
}

/** Kinds of field problem, mirroring the reasons Kubernetes reports. */
export type FieldErrorType =
  | 'required'
  | 'invalid'
  | 'forbidden'
  | 'duplicate'
  | 'tooLong'
  | 'tooMany'
  | 'notSupported'
  | 'immutable';

/**
 * One problem with one field of a document.
 */
export interface FieldError {
  /** JSON path from the object root, for example `spec.ingress[0].destination.ports[1]`. */
  path: string;
  /** Human-readable reason, without the path. */
  message: string;
  /** Category of the problem. */
  type: FieldErrorType;
  /** The offending value, when it is short and safe to show. */
  value?: unknown;
}

/** Options shared by every {@link CalicoError} constructor. */
export interface CalicoErrorOptions {
  /** The resource the error is about. */
  identifier?: ResourceIdentifier;
  /** The underlying error, kept for debugging; never printed in `message`. */
  cause?: unknown;
}

/**
 * Base class of every error the library raises.
 *
 * ## Example
 * ```ts
 * try { await client.ipPools.get({ name: 'missing' }); }
 * catch (e) { if (isNotFound(e)) console.log(e.identifier); else throw e; }
 * ```
 */
export abstract class CalicoError extends Error {
  /** Stable code; see {@link CalicoErrorCode}. */
  abstract readonly code: CalicoErrorCode;
  /** The resource the error is about, when known. */
  readonly identifier: ResourceIdentifier | undefined;

  constructor(message: string, options: CalicoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.identifier = options.identifier;
    this.name = new.target.name;
  }
}

function about(id: ResourceIdentifier | undefined): string {
  return id ? formatIdentifier(id) : 'resource';
}

/** Renders field errors as one line each: `path: message`. */
function describeFields(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}

/**
 * A document failed validation. Carries every failing field, not just the first.
 */
export class ValidationError extends CalicoError {
  readonly code = 'Validation' as const;
  /** Every failing field, each with its JSON path. */
  readonly errors: readonly FieldError[];

  constructor(errors: readonly FieldError[], options: CalicoErrorOptions = {}) {
    super(`validation failed for ${about(options.identifier)}: ${describeFields(errors)}`, options);
    this.errors = errors;
  }
}

/** The resource (or a resource it depends on, such as a policy's Tier) does not exist. */
export class NotFoundError extends CalicoError {
  readonly code = 'NotFound' as const;
  constructor(identifier: ResourceIdentifier, options: Omit<CalicoErrorOptions, 'identifier'> = {}) {
    super(`resource does not exist: ${formatIdentifier(identifier)}`, { ...options, identifier });
  }
}

/** A create named a resource that is already stored. */
export class AlreadyExistsError extends CalicoError {
  readonly code = 'AlreadyExists' as const;
  /** The stored value, when the backend returned it. */
  readonly current: unknown;
  constructor(identifier: ResourceIdentifier, options: Omit<CalicoErrorOptions, 'identifier'> & { current?: unknown } = {}) {
    super(`resource already exists: ${formatIdentifier(identifier)}`, { ...options, identifier });
    this.current = options.current;
  }
}

/** Why a {@link ConflictError} was raised. */
export type ConflictReason = 'RevisionMismatch' | 'UIDMismatch';

/** An update or delete precondition (resourceVersion or uid) did not hold. */
export class ConflictError extends CalicoError {
  readonly code = 'Conflict' as const;
  /** Which precondition failed. */
  readonly reason: ConflictReason;
  /** The stored value, when the backend returned it. */
  readonly current: unknown;
  constructor(
    identifier: ResourceIdentifier,
    options: Omit<CalicoErrorOptions, 'identifier'> & { reason?: ConflictReason; current?: unknown } = {},
  ) {
    const reason = options.reason ?? 'RevisionMismatch';
    super(`update conflict: ${formatIdentifier(identifier)}${reason === 'UIDMismatch' ? ' (uid precondition failed)' : ''}`, {
      ...options,
      identifier,
    });
    this.reason = reason;
    this.current = options.current;
  }
}

/** The operation is not possible for this kind on this backend (for example creating a Node on Kubernetes). */
export class NotSupportedError extends CalicoError {
  readonly code = 'NotSupported' as const;
  /** The operation that was refused, for example `Create`. */
  readonly operation: string;
  constructor(operation: string, options: CalicoErrorOptions & { reason?: string } = {}) {
    super(`operation ${operation} is not supported on ${about(options.identifier)}${options.reason ? `: ${options.reason}` : ''}`, options);
    this.operation = operation;
  }
}

/** The datastore could not be reached or failed (transport errors, timeouts, 5xx). */
export class UnavailableError extends CalicoError {
  readonly code = 'Unavailable' as const;
  constructor(message: string, options: CalicoErrorOptions = {}) {
    super(message, options);
  }
}

/** A selector expression did not parse. */
export class SelectorParseError extends CalicoError {
  readonly code = 'SelectorParse' as const;
  /** The selector text that failed. */
  readonly selector: string;
  /** Zero-based character offset of the problem. */
  readonly position: number;
  /** What is wrong, without the position. */
  readonly reason: string;
  constructor(selector: string, position: number, reason: string) {
    super(`invalid selector at position ${position}: ${reason}`);
    this.selector = selector;
    this.position = position;
    this.reason = reason;
  }
}

/**
 * The revision a watch or list asked for is gone (etcd compaction, Kubernetes 410 Gone).
 * A watch that reports it cannot resume; the caller must relist.
 */
export class ExpiredError extends CalicoError {
  readonly code = 'Expired' as const;
  constructor(message = 'the requested revision is no longer available', options: CalicoErrorOptions = {}) {
    super(message, options);
  }
}

/** A stored value could not be decoded. Names the storage key, never the value. */
export class ParseError extends CalicoError {
  readonly code = 'Parse' as const;
  /** The storage key (etcd key or Kubernetes object path) whose value is corrupt. */
  readonly key: string;
  constructor(key: string, options: CalicoErrorOptions & { reason?: string } = {}) {
    super(`cannot decode the value stored at ${key}${options.reason ? `: ${options.reason}` : ''}`, options);
    this.key = key;
  }
}

/** The datastore rejected our credentials. The credentials themselves are never included. */
export class UnauthorizedError extends CalicoError {
  readonly code = 'Unauthorized' as const;
  constructor(message = 'connection unauthorized', options: CalicoErrorOptions = {}) {
    super(message, options);
  }
}

function hasCode<C extends CalicoErrorCode>(e: unknown, code: C): boolean {
  return e instanceof CalicoError && e.code === code;
}

/** True for every error raised by this library. */
export function isCalicoError(e: unknown): e is CalicoError {
  return e instanceof CalicoError;
}
/** True when `e` is a {@link ValidationError}. */
export function isValidationError(e: unknown): e is ValidationError {
  return hasCode(e, 'Validation');
}
/** True when `e` is a {@link NotFoundError}. */
export function isNotFound(e: unknown): e is NotFoundError {
  return hasCode(e, 'NotFound');
}
/** True when `e` is an {@link AlreadyExistsError}. */
export function isAlreadyExists(e: unknown): e is AlreadyExistsError {
  return hasCode(e, 'AlreadyExists');
}
/** True when `e` is a {@link ConflictError}. */
export function isConflict(e: unknown): e is ConflictError {
  return hasCode(e, 'Conflict');
}
/** True when `e` is a {@link NotSupportedError}. */
export function isNotSupported(e: unknown): e is NotSupportedError {
  return hasCode(e, 'NotSupported');
}
/** True when `e` is an {@link UnavailableError}. */
export function isUnavailable(e: unknown): e is UnavailableError {
  return hasCode(e, 'Unavailable');
}
/** True when `e` is a {@link SelectorParseError}. */
export function isSelectorParseError(e: unknown): e is SelectorParseError {
  return hasCode(e, 'SelectorParse');
}
/** True when `e` is an {@link ExpiredError}. */
export function isExpired(e: unknown): e is ExpiredError {
  return hasCode(e, 'Expired');
}
/** True when `e` is a {@link ParseError}. */
export function isParseError(e: unknown): e is ParseError {
  return hasCode(e, 'Parse');
}
/** True when `e` is an {@link UnauthorizedError}. */
export function isUnauthorized(e: unknown): e is UnauthorizedError {
  return hasCode(e, 'Unauthorized');
}

/**
 * Returns `undefined` for a {@link NotFoundError} and rethrows anything else.
 *
 * ## Example
 * ```ts
 * const pool = await client.ipPools.get({ name: 'a' }).catch(ignoreNotFound);
 * ```
 */
export function ignoreNotFound(e: unknown): undefined {
  if (isNotFound(e)) return undefined;
  throw e;
}
