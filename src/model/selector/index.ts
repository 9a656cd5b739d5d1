/**
 * The Calico selector language: parse, evaluate, render canonically.
 *
 * Selectors are the label expressions of the Calico model (`app == "web" && !has(debug)`).
 * This module accepts and rejects exactly what Calico's validator does, evaluates like Calico,
 * and renders the canonical text (and unique id) byte-identically to Calico.
 *
 * ## Example
 * ```ts
 * import { parseSelector } from 'calico-datastore';
 * const sel = parseSelector('tier in {"a", "b"} && app != "db"');
 * sel.matches({ tier: 'a' });  // true: an absent label is "not equal"
 * String(sel);                 // '(tier in {"a", "b"} && app != "db")'
 * ```
 *
 * @module
 */
export { parseSelector, parseSelectorUncached, validateSelector, isSoleGlobalSelector, normaliseSelector, SELECTOR_CACHE_SIZE, SELECTOR_CACHE_MAX_TEXT } from './selector.js';
export type { Selector, SelectorLabels } from './selector.js';
export { parseSelectorAst, MAX_NESTING_DEPTH } from './parser.js';
export { renderSelector, selectorUniqueId, quoteSelectorValue, compareByteOrder } from './canonical.js';
export { compileSelector } from './compile.js';
export type { Matcher, LabelGetter } from './compile.js';
export { tokenize, isValidSelectorLabel, MAX_LABEL_LENGTH } from './tokenizer.js';
export type { Token, TokenKind } from './tokenizer.js';
export type { SelectorNode, AllNode, GlobalNode, HasNode, CompareNode, SetNode, NotNode, AndNode, OrNode, CompareOperator, SetOperator } from './ast.js';
