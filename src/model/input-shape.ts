/**
 * Shape checks for input that passed the plain-data guard (`input-guard.ts`) but whose fields a
 * function reads before any other validation: a Kubernetes Pod handed to a converter must have
 * an object `metadata`, string `spec.nodeName`, an array `spec.containers`, and so on. A shape
 * names only the fields the function reads; every other field is left alone, and `null` counts
 * as absent (Kubernetes JSON writes `null` for empty fields).
 *
 * The check follows the shape, not the value, so its depth is the shape's (a few levels).
 *
 * @module
 */
import { ValidationError, type FieldError } from '../errors.js';
import { indexPath, keyPath } from './schema-path.js';

/** The expected shape of a value. */
export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'stringOrNumber'
  /** A string or a `Date` (client-node's typed objects). */
  | 'timestamp'
  | { readonly object: Readonly<Record<string, Shape>> }
  | { readonly array: Shape }
  /** An object whose every value has this shape (labels, annotations). */
  | { readonly map: Shape };

const SCALAR_TEXT = {
  string: 'must be a string',
  number: 'must be a number',
  boolean: 'must be a boolean',
  stringOrNumber: 'must be a string or a number',
  timestamp: 'must be a timestamp string',
} as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarFits(value: unknown, shape: keyof typeof SCALAR_TEXT): boolean {
  switch (shape) {
    case 'stringOrNumber':
      return typeof value === 'string' || typeof value === 'number';
    case 'timestamp':
      return typeof value === 'string' || value instanceof Date;
    default:
      return typeof value === shape;
  }
}

/**
 * The first field of `value` that does not have its shape, or undefined.
 *
 * ## Example
 * ```ts
 * shapeError({ spec: { containers: 'x' } }, { object: { spec: { object: { containers: { array: { object: {} } } } } } }, 'pod');
 * // { path: 'pod.spec.containers', type: 'invalid', message: 'must be an array' }
 * ```
 * @param value A value that passed the plain-data guard.
 * @param shape Its expected shape.
 * @param path Path of `value` in messages.
 * @return The problem, or undefined.
 */
export function shapeError(value: unknown, shape: Shape, path: string): FieldError | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof shape === 'string') return scalarFits(value, shape) ? undefined : { path, type: 'invalid', message: SCALAR_TEXT[shape] };
  if ('array' in shape) {
    if (!Array.isArray(value)) return { path, type: 'invalid', message: 'must be an array' };
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || item === undefined) return { path: indexPath(path, i), type: 'invalid', message: 'must not be null' };
      const e = shapeError(item, shape.array, indexPath(path, i));
      if (e) return e;
    }
    return undefined;
  }
  if (!isObject(value)) return { path, type: 'invalid', message: 'must be an object' };
  if ('map' in shape) {
    for (const [k, v] of Object.entries(value)) {
      const e = shapeError(v, shape.map, keyPath(path, k));
      if (e) return e;
    }
    return undefined;
  }
  for (const [k, s] of Object.entries(shape.object)) {
    const e = shapeError(Object.hasOwn(value, k) ? value[k] : undefined, s, keyPath(path, k));
    if (e) return e;
  }
  return undefined;
}

/**
 * Throws when {@link shapeError} finds a problem.
 *
 * @param value A value that passed the plain-data guard.
 * @param shape Its expected shape.
 * @param path Path of `value` in messages.
 * @throws ValidationError naming the first field of the wrong shape.
 */
export function assertShape(value: unknown, shape: Shape, path: string): void {
  const e = shapeError(value, shape, path);
  if (e) throw new ValidationError([e]);
}
