/**
 * The canonical text of a selector and the unique id derived from it.
 *
 * The text is byte-identical to what Calico's `Selector.String()` produces for the same input,
 * and the id to its `UniqueID()`, so both can be compared with values Calico computes. Two
 * selectors are the same selector exactly when their canonical texts are equal.
 *
 * @module
 */
import { nodeCrypto } from '../../lazy-builtins.js';
import type { SelectorNode } from './ast.js';

/**
 * Quotes a literal the way Calico renders it: in double quotes, unless the value contains a
 * double quote, in which case in single quotes. (A literal never contains both.)
 *
 * @param value The literal's content.
 * @return The quoted literal.
 */
export function quoteSelectorValue(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/**
 * Maps a UTF-16 code unit so that comparing mapped units orders strings by code point, which is
 * the byte order of their UTF-8 encodings (Go's string order). Surrogates move above U+E000–U+FFFF.
 */
function codePointOrderKey(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Compares two strings by the byte order of their UTF-8 encodings, as Go compares strings.
 * (JavaScript's `<` compares UTF-16 code units, which differs for characters above U+FFFF.)
 *
 * @param a First string.
 * @param b Second string.
 * @return Negative, zero or positive, like a sort comparator.
 */
export function compareByteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrderKey(x) - codePointOrderKey(y);
  }
  return a.length - b.length;
}

/**
 * Sorts set members ascending by byte order and removes duplicates, as Calico does.
 *
 * @param values The members as written.
 * @return A new sorted, duplicate-free array.
 */
export function canonicalSetMembers(values: readonly string[]): string[] {
  if (values.length <= 1) return [...values];
  const sorted = [...values].sort(compareByteOrder);
  const out: string[] = [sorted[0] as string];
  for (let i = 1; i < sorted.length; i++) {
    const v = sorted[i] as string;
    if (v !== out[out.length - 1]) out.push(v);
  }
  return out;
}

function render(node: SelectorNode): string {
  switch (node.type) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${node.label})`;
    case 'compare':
      return `${node.label} ${node.op} ${quoteSelectorValue(node.value)}`;
    case 'set': {
      let text = `${node.label} ${node.op} {`;
      for (let i = 0; i < node.values.length; i++) text += (i > 0 ? ', ' : '') + quoteSelectorValue(node.values[i] as string);
      return `${text}}`;
    }
    case 'not':
      return `!${render(node.operand)}`;
    case 'and':
    case 'or': {
      const sep = node.type === 'and' ? ' && ' : ' || ';
      let text = '(';
      for (let i = 0; i < node.operands.length; i++) text += (i > 0 ? sep : '') + render(node.operands[i] as SelectorNode);
      return `${text})`;
    }
  }
}

/**
 * Renders a syntax tree as Calico's canonical selector text.
 *
 * Comparisons get one space either side of the operator, word operators their two-word
 * spelling, set members are rendered in the (already sorted) tree order, `!` sticks to its
 * operand, and every `&&` / `||` group is parenthesised, including at the top level. Rendering
 * takes time linear in the size of the tree.
 *
 * ## Example
 * ```ts
 * renderSelector(parseSelectorUncached('! (has( b)||! has(a ))').ast); // '!(has(b) || !has(a))'
 * ```
 * @param node The root of the tree.
 * @return The canonical text.
 */
export function renderSelector(node: SelectorNode): string {
  return render(node);
}

/**
 * Computes Calico's unique id of a selector from its canonical text: `s:` followed by the
 * unpadded base64url SHA-224 of the UTF-8 bytes of `s:` + canonical.
 *
 * ## Example
 * ```ts
 * selectorUniqueId('all()'); // 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'
 * ```
 * @param canonical The canonical text (see {@link renderSelector}).
 * @return The id.
 */
export function selectorUniqueId(canonical: string): string {
  return `s:${nodeCrypto().createHash('sha224').update(`s:${canonical}`, 'utf8').digest('base64url')}`;
}
