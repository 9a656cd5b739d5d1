/**
 * Small helpers the policy modules share for reading documents of unknown shape: plain-object and
 * list access, duplicate detection, safe error values and a fast copy of JSON data.
 *
 * @module
 */
import { childPath, type ReportFn } from './field-report.js';

export { asRecord } from './plain-object.js';

const EMPTY: readonly unknown[] = Object.freeze([]);

/** A list field's entries, or an empty list when the field is not an array. */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}

/**
 * A value that may be shown in an error: numbers, booleans and strings of at most 128
 * characters; `undefined` for anything else.
 *
 * @param value The offending value.
 */
export function shortValue(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return typeof value === 'string' && value.length <= 128 ? value : undefined;
}

/**
 * Reports every entry of a list that repeats an earlier one, at the entry's index, with the index
 * it repeats (`spec.types[1]`: duplicates item 0), like the schema's `uniqueItems`. Entries are
 * compared by value for strings, numbers and booleans, by identity otherwise.
 *
 * @param value The list field's value (anything else is ignored).
 * @param path Path of the list.
 * @param report Receives one `duplicate` per repeated entry.
 */
export function reportDuplicates(value: unknown, path: string, report: ReportFn): void {
  const list = listOf(value);
  if (list.length < 2) return;
  const first = new Map<unknown, number>();
  for (let i = 0; i < list.length; i++) {
    const earlier = first.get(list[i]);
    if (earlier === undefined) first.set(list[i], i);
    else report(childPath(path, i), 'duplicate', `duplicates item ${earlier}`);
  }
}

/**
 * Copies JSON-like data: arrays and plain objects are copied, everything else is kept as it is.
 * Much faster than `structuredClone` for documents; shared sub-objects are copied once per
 * reference (the copy is a tree), and a cyclic input throws a `RangeError`.
 *
 * @param value Any value.
 * @return A copy that shares no array or plain object with `value`.
 */
export function copyData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyData((value as Record<string, unknown>)[key]);
    // defineProperty keeps a "__proto__" data key a plain key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
}
