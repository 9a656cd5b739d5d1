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

/** Longest piece of caller input (a name, a field path, a value) a message shows; the rest is cut. */
const MAX_SHOWN_INPUT = 256;
/** Longest message an error carries: a backstop for text built without {@link shownText}. */
const MAX_MESSAGE = 4096;
/** Characters a message never carries as they are: C0/C1 controls, line and paragraph separators, bidirectional overrides and isolates, unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

function escapeChar(ch: string): string {
  return ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text from outside (a name, a path, a value, a server's message) as an error message may show
 * it: at most `max` characters followed by `…(N more characters)`, with control characters,
 * line separators, bidirectional overrides and unpaired surrogates escaped (`\0`, `\n`,
 * `\u202e`), so a message stays one readable line whatever the input was. Every message that
 * repeats input goes through this function (or through {@link CalicoError}, which applies it
 * to the whole message with a larger bound).
 *
 * ## Example
 * ```ts
 * shownText('a\u0000b'); // 'a\\0b'
 * shownText('x'.repeat(1_000_000)).length; // about 280
 * ```
 *
 * @param text The text.
 * @param max Characters kept.
 * @return The text to put in a message.
 */
export function shownText(text: string, max = MAX_SHOWN_INPUT): string {
  let kept = text;
  let note = '';
  if (text.length > max) {
    // Never cut a surrogate pair in half.
    const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
    kept = text.slice(0, end);
    note = `…(${text.length - end} more characters)`;
  }
  return kept.replace(UNSHOWN, escapeChar) + note;
}

/**
 * Multi-line text (a command's error output) with every line passed through {@link shownText}:
 * line breaks stay, each line is escaped and cut to `maxLine` characters.
 *
 * @param text The text.
 * @param maxLine Characters kept per line.
 * @return The text to print.
 */
export function shownLines(text: string, maxLine = MAX_MESSAGE): string {
  return text
    .split('\n')
    .map((line) => shownText(line, maxLine))
    .join('\n');
}

/**
 * An identifier as a message shows it: {@link formatIdentifier} with each part passed through
 * {@link shownText}. (`formatIdentifier` itself stays exact: it also names cache entries.)
 *
 * @param id The identifier.
 * @return The printable form.
 */
export function shownIdentifier(id: ResourceIdentifier): string {
  const kind = shownText(id.kind);
  const name = shownText(id.name);
  return id.namespace ? `${kind}(${shownText(id.namespace)}/${name})` : `${kind}(${name})`;
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
    super(shownText(message, MAX_MESSAGE), options.cause === undefined ? undefined : { cause: options.cause });
    this.identifier = options.identifier;
    this.name = new.target.name;
  }
}

function about(id: ResourceIdentifier | undefined): string {
  return id ? shownIdentifier(id) : 'resource';
}

/** Field errors listed in a message; the others are counted. */
const MAX_LISTED_FIELDS = 20;

/** Renders field errors as `path: message` items joined by `; `, each part shown with {@link shownText}. */
function describeFields(errors: readonly FieldError[]): string {
  const listed = errors.slice(0, MAX_LISTED_FIELDS).map((e) => (e.path ? `${shownText(e.path)}: ${shownText(e.message, 1024)}` : shownText(e.message, 1024)));
  if (errors.length > MAX_LISTED_FIELDS) listed.push(`and ${errors.length - MAX_LISTED_FIELDS} more`);
  return listed.join('; ');
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
    super(`resource does not exist: ${shownIdentifier(identifier)}`, { ...options, identifier });
  }
}

/** A create named a resource that is already stored. */
export class AlreadyExistsError extends CalicoError {
  readonly code = 'AlreadyExists' as const;
  /** The stored value, when the backend returned it. */
  readonly current: unknown;
  constructor(identifier: ResourceIdentifier, options: Omit<CalicoErrorOptions, 'identifier'> & { current?: unknown } = {}) {
    super(`resource already exists: ${shownIdentifier(identifier)}`, { ...options, identifier });
    this.current = options.current;
  }
}

/** Why a {@link ConflictError} was raised. */
export type ConflictReason = 'RevisionMismatch' | 'UIDMismatch' | 'ConcurrentCreate';

const CONFLICT_TEXT: Readonly<Record<ConflictReason, string>> = {
  RevisionMismatch: 'update conflict',
  UIDMismatch: 'update conflict',
  ConcurrentCreate: 'create conflict',
};
const CONFLICT_DETAIL: Readonly<Record<ConflictReason, string>> = {
  RevisionMismatch: '',
  UIDMismatch: ' (uid precondition failed)',
  ConcurrentCreate: ' (a conflicting object was created after the check it was written with)',
};

/** A precondition did not hold: an update's or delete's resourceVersion or uid, or a create's guard (see `CreateGuard`). */
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
    super(`${CONFLICT_TEXT[reason]}: ${shownIdentifier(identifier)}${CONFLICT_DETAIL[reason]}`, {
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
    super(`operation ${shownText(operation)} is not supported on ${about(options.identifier)}${options.reason ? `: ${shownText(options.reason, 1024)}` : ''}`, options);
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
    super(`invalid selector at position ${position}: ${shownText(reason, 1024)}`);
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
    super(`cannot decode the value stored at ${shownText(key)}${options.reason ? `: ${shownText(options.reason, 1024)}` : ''}`, options);
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
