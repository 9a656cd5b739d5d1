/**
 * Telling a JSON-like object (a map of members) from the other values of a document of unknown
 * shape.
 *
 * @module
 */

/**
 * True for a non-null object that is not an array: something whose members can be read.
 *
 * @param value Any value.
 * @return Whether `value` is such an object.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value as a map of members, or `undefined` when it is not one (see {@link isRecord}).
 *
 * @param value Any value.
 * @return `value`, or undefined.
 */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}
