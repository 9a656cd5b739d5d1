/**
 * YAML text in calicoctl's style (cli.md §8.3).
 *
 * @module
 */
import { isScalar, stringify, type Pair } from 'yaml';
import { compareYamlKeys } from './yaml-key-order.js';

function keyText(key: unknown): string {
  return String(isScalar(key) ? key.value : key);
}

function comparePairs(a: Pair, b: Pair): number {
  return compareYamlKeys(keyText(a.key), keyText(b.key));
}

/**
 * Prints a JSON value as YAML the way calicoctl does.
 *
 * Keys are sorted at every level in go-yaml v2's order (see `yaml-key-order.ts`), sequence items
 * start at their parent key's indentation (`indentSeq: false`), and strings that YAML 1.1 would
 * read as something else (numbers, booleans such as `yes`, timestamps, `null`) are
 * double-quoted, so `resourceVersion: "8134"` and `creationTimestamp: "2025-03-01T09:00:00Z"`.
 * Empty sequences print as `[]`.
 *
 * @param value A JSON value (objects, arrays, strings, numbers, booleans, null).
 * @return The YAML document, ending with a newline.
 */
export function toCalicoYaml(value: unknown): string {
  return stringify(value, { schema: 'yaml-1.1', indentSeq: false, sortMapEntries: comparePairs });
}
