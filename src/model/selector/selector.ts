/**
 * The {@link Selector} object and the functions that make one from text.
 *
 * @module
 */
import { SelectorParseError } from '../../errors.js';
import type { SelectorNode } from './ast.js';
import { renderSelector, selectorUniqueId } from './canonical.js';
import { compileSelector } from './compile.js';
import { createLruCache } from './lru-cache.js';
import { parseSelectorAst } from './parser.js';
import { tokenize } from './tokenizer.js';

/** A label map in either of the two shapes a {@link Selector} accepts. */
export type SelectorLabels = Readonly<Record<string, string>> | ReadonlyMap<string, string>;

/**
 * A parsed selector: parse once, evaluate many times.
 *
 * Selectors are immutable and may be shared (the {@link parseSelector} cache hands out the same
 * object for the same text).
 *
 * ## Example
 * ```ts
 * const sel = parseSelector('app == "web" && tier in {"a", "b"} && !has(debug)');
 * sel.matches({ app: 'web', tier: 'a' });             // true
 * sel.matches(new Map([['app', 'web']]));             // false: tier is absent
 * sel.toString();                                     // '(app == "web" && tier in {"a", "b"} && !has(debug))'
 * ```
 */
export interface Selector {
  /** The text exactly as it was parsed (never rewritten). */
  readonly source: string;
  /** The syntax tree. */
  readonly ast: SelectorNode;
  /**
   * Evaluates the selector against a label map. Only own properties of a plain object count as
   * labels (`constructor`, `__proto__` and other inherited names are absent unless set).
   *
   * @param labels The labels, as a plain object or a `Map`.
   * @return Whether they match.
   */
  matches(labels: SelectorLabels): boolean;
  /**
   * Evaluates the selector against labels read through a function, so a merged view (an
   * endpoint's own labels over its profiles' labels) needs no merged copy.
   *
   * @param get Returns a label's value, or `undefined` when the label is absent.
   * @return Whether the labels match.
   */
  matchesLookup(get: (key: string) => string | undefined): boolean;
  /**
   * The canonical text, byte-identical to Calico's `Selector.String()`. Two selectors are the
   * same selector exactly when their canonical texts are equal.
   */
  toString(): string;
  /** Calico's unique id of the selector: `s:` + base64url(SHA-224(`s:` + canonical)). */
  uniqueId(): string;
}

/** How many parsed selectors {@link parseSelector} keeps. */
export const SELECTOR_CACHE_SIZE = 1000;

/** Longer selector texts are parsed but not cached, so the cache's memory stays bounded. */
export const SELECTOR_CACHE_MAX_TEXT = 4096;

const hasOwn = Object.prototype.hasOwnProperty;

function recordGet(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return hasOwn.call(labels, key) ? labels[key] : undefined;
}

function mapGet(labels: ReadonlyMap<string, string>, key: string): string | undefined {
  return labels.get(key);
}

function lookupGet(get: (key: string) => string | undefined, key: string): string | undefined {
  return get(key);
}

function isMapLike(labels: SelectorLabels): labels is ReadonlyMap<string, string> {
  return labels instanceof Map || typeof (labels as { get?: unknown }).get === 'function';
}

function createSelector(source: string, ast: SelectorNode): Selector {
  const match = compileSelector(ast);
  let canonical: string | undefined;
  let id: string | undefined;
  const toString = (): string => (canonical ??= renderSelector(ast));
  return Object.freeze({
    source,
    ast,
    matches: (labels: SelectorLabels): boolean => (isMapLike(labels) ? match(labels, mapGet) : match(labels, recordGet)),
    matchesLookup: (get: (key: string) => string | undefined): boolean => match(get, lookupGet),
    toString,
    uniqueId: (): string => (id ??= selectorUniqueId(toString())),
  });
}

/** The text of a selector, refusing other values without converting them (a conversion can throw). */
function requireString(expr: unknown): string {
  if (typeof expr !== 'string') throw new SelectorParseError('', 0, `a selector must be a string, not ${expr === null ? 'null' : typeof expr}`);
  return expr;
}

/**
 * Parses a selector without consulting or filling the cache. Prefer {@link parseSelector};
 * this exists for benchmarks and for callers that parse each text once.
 *
 * @param expr The selector text (not trimmed; see {@link parseSelector}).
 * @return The parsed selector.
 * @throws {SelectorParseError} When the text is not a valid selector.
 */
export function parseSelectorUncached(expr: string): Selector {
  const text = requireString(expr);
  return createSelector(text, parseSelectorAst(text));
}

const cache = createLruCache<Selector>(SELECTOR_CACHE_SIZE);

/**
 * Parses a selector, accepting and rejecting exactly what Calico's validator does.
 *
 * The empty string (or only spaces and tabs) means `all()`. The text is *not* trimmed: only
 * spaces and tabs are whitespace, so a trailing newline (as a YAML `|` block scalar adds) is an
 * error; use {@link normaliseSelector} for lenient display. Results are cached (least recently
 * used, {@link SELECTOR_CACHE_SIZE} entries, texts up to {@link SELECTOR_CACHE_MAX_TEXT}
 * characters); failures are not cached.
 *
 * ## Example
 * ```ts
 * parseSelector('k8s-app in {"kube-dns", "coredns"}').matches({ 'k8s-app': 'coredns' }); // true
 * parseSelector('a = "b"'); // throws SelectorParseError: position 2, "expected '==' …"
 * ```
 * @param expr The selector text.
 * @return The parsed selector (shared; it is immutable).
 * @throws {SelectorParseError} With the offset and reason of the first problem, or when `expr`
 *   is not a string.
 */
export function parseSelector(expr: string): Selector {
  requireString(expr);
  const hit = cache.get(expr);
  if (hit !== undefined) return hit;
  const sel = parseSelectorUncached(expr);
  if (expr.length <= SELECTOR_CACHE_MAX_TEXT) cache.set(expr, sel);
  return sel;
}

/**
 * Checks a selector's syntax.
 *
 * @param expr The selector text.
 * @return `undefined` when valid, otherwise the error {@link parseSelector} would throw.
 */
export function validateSelector(expr: string): SelectorParseError | undefined {
  try {
    parseSelector(expr);
    return undefined;
  } catch (e) {
    if (e instanceof SelectorParseError) return e;
    throw e;
  }
}

/**
 * True when the text is exactly the one token `global()`, with optional spaces or tabs around
 * it and inside the parentheses. This is the rule for a rule entity's `namespaceSelector`,
 * where `global()` may only be the whole expression.
 *
 * ## Example
 * ```ts
 * isSoleGlobalSelector(' global( ) ');       // true
 * isSoleGlobalSelector('!global()');         // false
 * isSoleGlobalSelector('global() || has(a)'); // false
 * ```
 * @param expr The selector text.
 * @return Whether it is `global()` alone.
 */
export function isSoleGlobalSelector(expr: string): boolean {
  if (typeof expr !== 'string') return false;
  try {
    const tokens = tokenize(expr);
    return tokens.length === 2 && tokens[0]?.kind === 'global';
  } catch (e) {
    if (e instanceof SelectorParseError) return false;
    throw e;
  }
}

/** Go's `unicode.IsSpace`, which Calico's normaliser trims with (it differs from `String.prototype.trim`). */
function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function trimGoSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Tidies a selector for display or comparison: trims surrounding whitespace (including
 * newlines, as Calico's `Normalise` does), parses, and returns the canonical text. `""` becomes
 * `all()`. Text that does not parse is returned unchanged (untrimmed). Never use the result to
 * rewrite what a user stored.
 *
 * ## Example
 * ```ts
 * normaliseSelector('a notin {"y", "x"}\n'); // 'a not in {"x", "y"}'
 * normaliseSelector('a = "b"');              // 'a = "b"'
 * ```
 * @param expr The selector text.
 * @return The canonical text, or `expr` itself when it does not parse.
 */
export function normaliseSelector(expr: string): string {
  if (typeof expr !== 'string') return expr;
  try {
    return parseSelector(trimGoSpace(expr)).toString();
  } catch (e) {
    if (e instanceof SelectorParseError) return expr;
    throw e;
  }
}
