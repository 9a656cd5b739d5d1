/**
 * Small helpers for plain JSON values shared by the patch implementations.
 *
 * @module
 */
import { isRecord } from '../../model/plain-object.js';

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/**
 * Tells a JSON object from the other JSON values.
 *
 * @param value Any JSON value.
 * @return True for a non-null, non-array object.
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return isRecord(value);
}

/**
 * Sets an own, enumerable member. Unlike `object[key] = value`, a key such as `__proto__` becomes
 * an ordinary member instead of changing the object's prototype.
 *
 * @param object The object to change.
 * @param key The member name.
 * @param value The member value.
 */
export function setMember(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Reads an own member (never an inherited one such as `constructor`).
 *
 * @param object The object.
 * @param key The member name.
 * @return The value, or undefined when the object has no such own member.
 */
export function getMember(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/**
 * Tells whether an object has an own member.
 *
 * @param object The object.
 * @param key The member name.
 * @return True when `key` is an own member.
 */
export function hasMember(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Deep-copies a JSON value; objects and arrays are new, scalars are shared.
 *
 * @param value A JSON value.
 * @return An independent copy.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (!isJsonObject(value)) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) setMember(copy, key, cloneJson(value[key]));
  return copy as T;
}

/**
 * JSON equality as RFC 6902 `test` defines it: same type; numbers and strings by value; arrays
 * element by element in order; objects with the same member names (in any order) and equal
 * values.
 *
 * @param a A JSON value.
 * @param b Another JSON value.
 * @return True when the two are equal.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => hasMember(b, key) && jsonEqual(a[key], b[key]));
}
