/**
 * The guard every public entry point runs on caller input before doing any work: the input must
 * be plain JSON data (plain objects, arrays, strings, finite numbers, booleans, null) within the
 * documented nesting and size limits. Anything else — functions, symbols, bigints, `undefined`
 * inside arrays, class instances, proxies, accessor properties, an own `toJSON`, cycles — is
 * refused with a {@link ValidationError} that names the path of the first offending value.
 *
 * The walk is iterative (an explicit stack), so no input can exhaust the call stack, and it stops
 * as soon as a limit is passed, so its cost is bounded by the limits whatever the input holds.
 * See docs/model.md, "Input limits".
 *
 * @module
 */
import { types } from 'node:util';
import { ValidationError, type FieldError, type FieldErrorType, type ResourceIdentifier } from '../errors.js';
import { indexPath, keyPath } from './schema-path.js';

/**
 * Limits on caller input.
 *
 * - `maxBytes`: 1.5 MiB (1,572,864 bytes), etcd's default `--max-request-bytes`; a larger
 *   document cannot be written to etcd, and Kubernetes stores custom resources in etcd too.
 * - `maxDepth`: 100 levels of objects and arrays. Calico's v3 documents nest at most 8 levels
 *   (`spec.ingress[0].destination.serviceAccounts.names[0]`) and Kubernetes Pods with
 *   `managedFields` about 20; Go's `encoding/json` stops at 10,000 only to protect its stack.
 */
export const INPUT_LIMITS = Object.freeze({ maxBytes: 1_572_864, maxDepth: 100 });

/** Options of {@link plainDataError}. */
export interface PlainDataOptions {
  /**
   * Path of the value itself, prefixed to every reported path (`options`, `pod`).
   * @default ''
   */
  root?: string;
  /**
   * Also accept objects of any class (walked through their own enumerable properties) and valid
   * `Date`s: the typed objects of `@kubernetes/client-node` (`V1Pod`, …) the converters take.
   * @default false
   */
  typedObjects?: boolean;
  /**
   * Largest JSON size accepted, in bytes (the CLI checks whole YAML documents, typed lists
   * included, against its own larger bound).
   * @default INPUT_LIMITS.maxBytes
   */
  maxBytes?: number;
}

/** One container still to look into: its value, where it sits, and how deep. */
interface Frame {
  readonly value: object;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
  readonly depth: number;
}

function pathOf(frame: Frame | undefined, root: string): string {
  const keys: (string | number)[] = [];
  for (let f = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  let path = root;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    path = typeof k === 'number' ? indexPath(path, k) : keyPath(path, k);
  }
  return path;
}

function childPath(parent: Frame, key: string | number, root: string): string {
  const base = pathOf(parent, root);
  return typeof key === 'number' ? indexPath(base, key) : keyPath(base, key);
}

/** Why a scalar is not JSON data, or undefined when it is. `undefined` itself is the caller's call. */
function scalarProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'function':
      return 'must be JSON data, not a function';
    case 'symbol':
      return 'must be JSON data, not a symbol';
    case 'bigint':
      return 'must be JSON data, not a bigint (use a number or a string)';
    default:
      return undefined;
  }
}

/** JSON size of a scalar, as a lower bound: a string's UTF-16 length is at most its UTF-8 length. */
function scalarBytes(value: unknown): number {
  return typeof value === 'string' ? value.length + 2 : 4;
}

/** Why a container cannot be walked as JSON data, or undefined. */
function containerProblem(value: object, typedObjects: boolean): string | undefined {
  if (types.isProxy(value)) return 'must be plain JSON data, not a proxy';
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return proto === Array.prototype ? undefined : 'must be a plain array';
  if (!typedObjects && proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `must be JSON data, not a ${name}` : 'must be a plain object';
  }
  if (Object.prototype.hasOwnProperty.call(value, 'toJSON')) return 'must be plain JSON data: it has its own toJSON';
  return undefined;
}

/** Reads an own data property; an accessor (getter or setter) is refused. */
function ownData(obj: object, key: string | number): { value?: unknown } | 'accessor' | 'hole' {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined) return 'hole';
  if (d.get !== undefined || d.set !== undefined) return 'accessor';
  return d;
}

function tooDeepOrCycle(frame: Frame, root: string): FieldError {
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) chain.push(f);
  chain.reverse();
  const seen = new Set<object>();
  for (const f of chain) {
    if (seen.has(f.value)) return { path: pathOf(f, root), type: 'forbidden', message: 'refers back to an object that contains it (a cycle)' };
    seen.add(f.value);
  }
  return { path: pathOf(frame, root), type: 'tooLong', message: `is nested deeper than ${INPUT_LIMITS.maxDepth} levels` };
}

function tooLarge(root: string, maxBytes: number): FieldError {
  const mib = maxBytes / (1024 * 1024);
  return { path: root, type: 'tooLong', message: `is larger than ${maxBytes} bytes (${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB) as JSON` };
}

/**
 * The first reason `value` is not plain JSON data within {@link INPUT_LIMITS}, or undefined when
 * it is. Never throws. `undefined` is accepted as an object property (JSON leaves it out) and as
 * the value itself, never inside an array; a `__proto__` key is data and is never followed into
 * a prototype.
 *
 * ## Example
 * ```ts
 * plainDataError({ spec: { ingress: [() => 1] } });
 * // { path: 'spec.ingress[0]', type: 'invalid', message: 'must be JSON data, not a function' }
 * ```
 * @param value The caller's input.
 * @param options See {@link PlainDataOptions}.
 * @return The problem, with the path of the offending value.
 */
export function plainDataError(value: unknown, options: PlainDataOptions = {}): FieldError | undefined {
  const root = options.root ?? '';
  const typedObjects = options.typedObjects ?? false;
  const maxBytes = options.maxBytes ?? INPUT_LIMITS.maxBytes;
  if (value === null || typeof value !== 'object') {
    const problem = scalarProblem(value);
    return problem === undefined ? undefined : { path: root, type: 'invalid', message: problem };
  }
  let bytes = 0;
  const stack: Frame[] = [{ value, parent: undefined, key: undefined, depth: 1 }];
  const invalid = (path: string, message: string): FieldError => ({ path, type: 'invalid', message });
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > INPUT_LIMITS.maxDepth) return tooDeepOrCycle(frame, root);
    const obj = frame.value;
    try {
      const problem = containerProblem(obj, typedObjects);
      if (problem !== undefined) return invalid(pathOf(frame, root), problem);
      const isArray = Array.isArray(obj);
      const keys: readonly string[] | undefined = isArray ? undefined : Object.keys(obj);
      const count = keys === undefined ? (obj as unknown[]).length : keys.length;
      // structuredClone copies an array's other properties (JSON drops them): refuse them.
      if (isArray && Object.keys(obj).length > count) return invalid(pathOf(frame, root), 'must be a plain array: it has properties besides its elements');
      bytes += 2 + count;
      for (let i = 0; i < count; i++) {
        const key = keys === undefined ? i : keys[i]!;
        const read = ownData(obj, key);
        if (read === 'accessor') return invalid(childPath(frame, key, root), 'must be a data property, not a getter or setter');
        if (read === 'hole') return invalid(childPath(frame, key, root), 'must not be a hole in an array');
        const item = read.value;
        if (keys !== undefined) bytes += (key as string).length + 3;
        if (item === undefined) {
          if (isArray) return invalid(childPath(frame, key, root), 'must not be undefined inside an array (use null)');
          continue;
        }
        if (item !== null && typeof item === 'object') {
          if (typedObjects && item instanceof Date) {
            if (Number.isNaN(item.getTime())) return invalid(childPath(frame, key, root), 'must be a valid date');
            bytes += 24;
            continue;
          }
          stack.push({ value: item, parent: frame, key, depth: frame.depth + 1 });
          continue;
        }
        const problem = scalarProblem(item);
        if (problem !== undefined) return invalid(childPath(frame, key, root), problem);
        bytes += scalarBytes(item);
      }
    } catch {
      return invalid(pathOf(frame, root), 'could not be read as plain JSON data');
    }
    if (bytes > maxBytes) return tooLarge(root, maxBytes);
  }
  return undefined;
}

/**
 * Throws when {@link plainDataError} finds a problem.
 *
 * @param value The caller's input.
 * @param options See {@link PlainDataOptions}, plus the resource the error is about.
 * @throws ValidationError naming the path of the first offending value.
 */
export function assertPlainData(value: unknown, options: PlainDataOptions & { identifier?: ResourceIdentifier } = {}): void {
  const error = plainDataError(value, options);
  if (error !== undefined) throw new ValidationError([error], options.identifier ? { identifier: options.identifier } : {});
}

/** What an option must be. */
export type OptionType = 'string' | 'integer' | 'function' | 'boolean';

const OPTION_TEXT: Readonly<Record<OptionType, string>> = {
  string: 'must be a string',
  integer: 'must be a non-negative integer',
  function: 'must be a function',
  boolean: 'must be a boolean',
};

function optionProblem(value: unknown, type: OptionType): string | undefined {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return OPTION_TEXT.string;
      return value.length > INPUT_LIMITS.maxBytes ? `must be at most ${INPUT_LIMITS.maxBytes} characters` : undefined;
    case 'integer':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : OPTION_TEXT.integer;
    default:
      return typeof value === type ? undefined : OPTION_TEXT[type];
  }
}

/**
 * Reads the options a call knows from a caller's options object, checking each one's type, and
 * returns them as a fresh plain object, so later reads cannot see other values (a getter or proxy
 * answering differently the second time). Other members are not read. `undefined` (or a missing
 * options object) means "not given".
 *
 * ## Example
 * ```ts
 * readOptions({ labelSelector: 42 }, 'options', { labelSelector: 'string' });
 * // throws ValidationError: options.labelSelector: must be a string
 * ```
 * @param options The caller's options (or undefined).
 * @param root Path of the options object in messages (`options`, or `''` for an object reference).
 * @param spec Each known option and its type.
 * @return The known options that were given.
 * @throws ValidationError naming the first bad option's path.
 */
export function readOptions<K extends string>(options: unknown, root: string, spec: Readonly<Record<K, OptionType>>): Partial<Record<K, unknown>> {
  const fail = (path: string, type: FieldErrorType, message: string): never => {
    throw new ValidationError([{ path, type, message }]);
  };
  if (options === undefined) return {};
  // isProxy first: Array.isArray throws on a revoked proxy.
  if (options === null || typeof options !== 'object' || types.isProxy(options) || Array.isArray(options)) fail(root, 'invalid', 'must be a plain object');
  const out: Partial<Record<K, unknown>> = {};
  for (const key of Object.keys(spec) as K[]) {
    const path = keyPath(root, key);
    let value: unknown;
    try {
      value = (options as Record<string, unknown>)[key];
    } catch {
      fail(path, 'invalid', 'could not be read');
    }
    if (value === undefined) continue;
    const problem = optionProblem(value, spec[key]);
    if (problem !== undefined) fail(path, 'invalid', problem);
    out[key] = value;
  }
  return out;
}

/**
 * The problem with a document's envelope the client would trip over before validating it: the
 * document is not an object, or `metadata` is missing or not an object, or one of the
 * metadata fields read before validation (`name`, `namespace`, `resourceVersion`, `uid`,
 * `generateName`) is not a string.
 *
 * @param doc A document that passed {@link plainDataError}.
 * @return The problem, or undefined.
 */
export function documentShapeError(doc: unknown): FieldError | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { path: '', type: 'invalid', message: 'must be an object with apiVersion, kind, metadata and spec' };
  const metadata = (doc as { metadata?: unknown }).metadata;
  if (metadata === undefined) return { path: 'metadata', type: 'required', message: 'is required' };
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return { path: 'metadata', type: 'invalid', message: 'must be an object' };
  for (const field of ['name', 'namespace', 'resourceVersion', 'uid', 'generateName'] as const) {
    const v = (metadata as Record<string, unknown>)[field];
    if (v !== undefined && typeof v !== 'string') return { path: `metadata.${field}`, type: 'invalid', message: 'must be a string' };
  }
  return undefined;
}
