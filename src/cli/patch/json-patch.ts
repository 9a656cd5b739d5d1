/**
 * RFC 6902 JSON Patch, used by `patch --type json` (cli.md §6.6).
 *
 * @module
 */
import { arrayIndexOf, parseJsonPointer } from './json-pointer.js';
import { cloneJson, hasMember, isJsonObject, jsonEqual, setMember } from './json-value.js';

/** A JSON patch that is malformed or does not apply; the message names the operation and path. */
export class PatchError extends Error {
  /**
   * @param message What went wrong, for example
   *   `json patch operation 1 (remove /spec/x): path does not exist`.
   */
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

const OPERATIONS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OperationName = (typeof OPERATIONS)[number];

/** One checked operation. */
interface Operation {
  op: OperationName;
  path: string[];
  from?: string[];
  value?: unknown;
}

/** The document being patched; the root itself may be replaced. */
interface Document {
  root: unknown;
}

/** A failed step inside one operation; turned into a PatchError naming the operation. */
class StepError extends Error {}

function pointerTokens(raw: Record<string, unknown>, member: 'path' | 'from'): string[] {
  const text = raw[member];
  if (typeof text !== 'string') throw new StepError(`"${member}" must be a string`);
  try {
    return parseJsonPointer(text);
  } catch (e) {
    throw new StepError(`invalid "${member}": ${(e as Error).message}`);
  }
}

function checkOperation(raw: unknown): Operation {
  if (!isJsonObject(raw)) throw new StepError('an operation must be an object');
  const op = raw.op;
  if (!OPERATIONS.includes(op as OperationName)) throw new StepError(`unknown op ${JSON.stringify(op) ?? 'undefined'}`);
  const operation: Operation = { op: op as OperationName, path: pointerTokens(raw, 'path') };
  if (op === 'move' || op === 'copy') operation.from = pointerTokens(raw, 'from');
  if (op === 'add' || op === 'replace' || op === 'test') {
    if (!hasMember(raw, 'value')) throw new StepError('"value" is required');
    operation.value = raw.value;
  }
  return operation;
}

/** The array position a token names; `-` (one past the end) only where `allowEnd`. */
function indexIn(array: unknown[], token: string, allowEnd: boolean): number {
  if (allowEnd && token === '-') return array.length;
  const index = arrayIndexOf(token);
  if (index === undefined) throw new StepError(`"${token}" is not an array index`);
  if (index > array.length || (!allowEnd && index === array.length)) throw new StepError(`array index ${index} is out of range`);
  return index;
}

function child(container: unknown, token: string): unknown {
  if (Array.isArray(container)) return container[indexIn(container, token, false)];
  if (isJsonObject(container) && hasMember(container, token)) return container[token];
  throw new StepError('path does not exist');
}

function valueAt(doc: Document, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, token) => child(node, token), doc.root);
}

/** The object or array holding the last token of a non-empty path. */
function parentOf(doc: Document, path: readonly string[]): { parent: unknown[] | Record<string, unknown>; last: string } {
  const parent = valueAt(doc, path.slice(0, -1));
  if (!Array.isArray(parent) && !isJsonObject(parent)) throw new StepError('path does not exist');
  return { parent, last: path[path.length - 1] ?? '' };
}

function addAt(doc: Document, path: readonly string[], value: unknown): void {
  if (path.length === 0) {
    doc.root = value;
    return;
  }
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) parent.splice(indexIn(parent, last, true), 0, value);
  else setMember(parent, last, value);
}

function removeAt(doc: Document, path: readonly string[]): unknown {
  if (path.length === 0) throw new StepError('cannot remove the whole document');
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) return parent.splice(indexIn(parent, last, false), 1)[0];
  if (!hasMember(parent, last)) throw new StepError('path does not exist');
  const removed = parent[last];
  delete parent[last];
  return removed;
}

function replaceAt(doc: Document, path: readonly string[], value: unknown): void {
  if (path.length === 0) {
    doc.root = value;
    return;
  }
  const { parent, last } = parentOf(doc, path);
  if (Array.isArray(parent)) parent[indexIn(parent, last, false)] = value;
  else if (hasMember(parent, last)) setMember(parent, last, value);
  else throw new StepError('path does not exist');
}

function isProperPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length < path.length && prefix.every((token, i) => path[i] === token);
}

/** Runs a step on the `from` location, saying so in its error. */
function atFrom<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof StepError) throw new StepError(`"from": ${e.message}`);
    throw e;
  }
}

function apply(doc: Document, operation: Operation): void {
  const { op, path, from = [] } = operation;
  switch (op) {
    case 'add':
      addAt(doc, path, cloneJson(operation.value));
      break;
    case 'remove':
      removeAt(doc, path);
      break;
    case 'replace':
      replaceAt(doc, path, cloneJson(operation.value));
      break;
    case 'move':
      if (isProperPrefix(from, path)) throw new StepError('cannot move a value into one of its own children');
      addAt(doc, path, atFrom(() => removeAt(doc, from)));
      break;
    case 'copy':
      addAt(doc, path, cloneJson(atFrom(() => valueAt(doc, from))));
      break;
    case 'test':
      if (!jsonEqual(valueAt(doc, path), operation.value)) throw new StepError('test failed: the value differs');
      break;
  }
}

function operationLabel(raw: unknown, index: number): string {
  if (!isJsonObject(raw)) return `json patch operation ${index}`;
  const parts = [raw.op, raw.path].filter((p): p is string => typeof p === 'string');
  if (raw.op === 'move' || raw.op === 'copy') {
    if (typeof raw.from === 'string') parts.push(`from ${raw.from}`);
  }
  return parts.length > 0 ? `json patch operation ${index} (${parts.join(' ')})` : `json patch operation ${index}`;
}

/**
 * Applies an RFC 6902 JSON Patch to a whole document.
 *
 * Operations run in order on a copy: `add` (into an object member or array position, `-`
 * appending), `remove`, `replace`, `move`, `copy` and `test` (JSON equality). Paths are RFC 6901
 * JSON Pointers (`~1` is `/`, `~0` is `~`; the empty pointer is the whole document). If any
 * operation is malformed or does not apply, nothing is applied. Neither input is modified and
 * the result shares nothing with them.
 *
 * ```ts
 * applyJsonPatch({ spec: { a: 1 } }, [{ op: 'replace', path: '/spec/a', value: 2 }]); // { spec: { a: 2 } }
 * ```
 *
 * @param target The document to patch.
 * @param operations The patch: an array of operation objects.
 * @return The patched document.
 * @throws PatchError when the patch is not an array, or naming the index, op and path of the
 *   first operation that is malformed or fails (for example
 *   `json patch operation 0 (remove /spec/x): path does not exist`).
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
  const doc: Document = { root: cloneJson(target) };
  operations.forEach((raw: unknown, index) => {
    try {
      apply(doc, checkOperation(raw));
    } catch (e) {
      if (e instanceof StepError) throw new PatchError(`${operationLabel(raw, index)}: ${e.message}`);
      throw e;
    }
  });
  return doc.root;
}
