/**
 * The items of a printed YAML list, one at a time, byte for byte as `toCalicoYaml` prints them
 * inside the whole list (cli.md §8.3), so that `get -o yaml` can print a list page by page.
 *
 * The `yaml` library builds a document tree for every value it prints, which costs about
 * 150 µs per stored object; a list of 50,000 pools took most of its 11 s there. Resources are
 * nearly all maps, sequences, integers, booleans and short plain words (names, CIDRs, enum
 * values, timestamps), so those are written here directly, following the library's rules for
 * them; an item holding anything else (text with spaces or quotes, fractions, keys that are not
 * plain words, sequences of sequences) is handed to the library whole. The equivalence is checked
 * by a property test against the library on generated objects.
 *
 * @module
 */
import { Document } from 'yaml';
import { toCalicoYaml } from './yaml-text.js';
import { compareYamlKeys } from './yaml-key-order.js';
import { isRecord } from '../../model/plain-object.js';

/**
 * Text the library prints as it is, or in double quotes when YAML 1.1 would read it as something
 * else: starts with a letter, digit, `_`, `.`, `/` or `(`, then letters, digits and `_./()+=:@-`,
 * not ending in `:`. No spaces (nothing to fold), quotes, `#`, `,` or line breaks.
 */
const WORD = /^[A-Za-z0-9_./(][A-Za-z0-9_./()+=:@-]*$/;
/** Keys longer than this are written by the library (it switches to explicit keys past 1024). */
const MAX_KEY = 256;

/** The YAML 1.1 types other than strings whose plain spelling a word could have (`yes`, `8134`, `2025-03-01`). */
const NON_STRING_TESTS: readonly RegExp[] = (() => {
  const schema = new Document(null, { schema: 'yaml-1.1' }).schema as unknown as { tags: TagLike[]; compat?: TagLike[] | null };
  return [...schema.tags, ...(schema.compat ?? [])].flatMap((t) => (t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test ? [t.test] : []));
})();

interface TagLike {
  default?: boolean | string;
  tag: string;
  test?: RegExp;
}

/** Thrown (and caught in this module) when a value needs the library. */
const NOT_SIMPLE = Symbol('not simple');

/** A word as the library prints it: plain, or double-quoted when YAML 1.1 would not read it back as a string. */
function word(text: string): string {
  if (!WORD.test(text) || text.endsWith(':') || text.startsWith('...')) throw NOT_SIMPLE;
  for (const test of NON_STRING_TESTS) if (test.test(text)) return `"${text}"`;
  return text;
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return word(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw NOT_SIMPLE;
      return String(value);
    default:
      if (value === null) return 'null';
      throw NOT_SIMPLE;
  }
}

/**
 * Sorted keys per set of keys. Objects of one kind repeat the same few key sets, and go-yaml's
 * key order is slow to compute, so each set is sorted once per run.
 */
const sortedKeySets = new Map<string, readonly string[]>();
const MAX_KEY_SETS = 10_000;

function sortedKeys(map: Record<string, unknown>): readonly string[] {
  const keys = Object.keys(map);
  if (keys.length < 2) return keys;
  const id = keys.join('\u0000');
  let sorted = sortedKeySets.get(id);
  if (!sorted) {
    sorted = [...keys].sort(compareYamlKeys);
    if (sortedKeySets.size < MAX_KEY_SETS) sortedKeySets.set(id, sorted);
  }
  return sorted;
}

/** The value after `key:` (a space and a scalar, or a newline and a block at `indent`). */
function valueAfterKey(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
      return;
    }
    out.push('\n');
    // Sequences under a key start at the key's own indentation (indentSeq: false).
    sequence(value, indent, out);
  } else if (isRecord(value)) {
    if (Object.keys(value).length === 0) {
      out.push(' {}\n');
      return;
    }
    out.push('\n');
    mapping(value, `${indent}  `, indent + '  ', out);
  } else {
    out.push(' ', scalar(value), '\n');
  }
}

/** A mapping whose first key follows `first` (the indent, or `- ` text already on the line) and whose other keys start at `indent`. */
function mapping(map: Record<string, unknown>, first: string, indent: string, out: string[]): void {
  let lead = first;
  for (const key of sortedKeys(map)) {
    if (key.length > MAX_KEY) throw NOT_SIMPLE;
    out.push(lead, word(key), ':');
    valueAfterKey(map[key], indent, out);
    lead = indent;
  }
}

function sequence(items: readonly unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    if (isRecord(item) && Object.keys(item).length > 0) {
      mapping(item, `${indent}- `, `${indent}  `, out);
    } else if (Array.isArray(item) || isRecord(item)) {
      throw NOT_SIMPLE;
    } else {
      out.push(indent, '- ', scalar(item), '\n');
    }
  }
}

/**
 * An item of a YAML list written without the library, or undefined when it holds something only
 * the library writes (see the module notes).
 *
 * @param item A JSON value.
 * @return The entry's text, or undefined.
 */
export function simpleYamlListItem(item: unknown): string | undefined {
  if (!isRecord(item) || Object.keys(item).length === 0) return undefined;
  const out: string[] = [];
  try {
    mapping(item, '- ', '  ', out);
  } catch (e) {
    if (e !== NOT_SIMPLE) throw e;
    return undefined;
  }
  return out.join('');
}

/**
 * One item of a YAML list as `toCalicoYaml` prints it among the list's `items` (a `- ` entry at
 * the start of the line).
 *
 * @param item A JSON value (a resource, with its fields in Calico's order or not: keys are sorted).
 * @return The entry's text, ending with a newline.
 */
export function yamlListItem(item: unknown): string {
  return simpleYamlListItem(item) ?? toCalicoYaml([item]);
}
