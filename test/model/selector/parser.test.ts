import { describe, expect, it } from 'vitest';
import { SelectorParseError } from '../../../src/errors.js';
import { MAX_NESTING_DEPTH, parseSelectorAst, parseSelectorUncached } from '../../../src/model/selector/index.js';
import type { SelectorNode } from '../../../src/model/selector/index.js';

function parseError(s: string): SelectorParseError {
  try {
    parseSelectorAst(s);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorParseError);
    return e as SelectorParseError;
  }
  throw new Error(`expected ${JSON.stringify(s).slice(0, 80)} to be rejected`);
}

const eq = (label: string, value: string): SelectorNode => ({ type: 'compare', op: '==', label, value });

describe('parseSelectorAst', () => {
  it('parses nothing as all()', () => {
    expect(parseSelectorAst('')).toEqual({ type: 'all' });
    expect(parseSelectorAst(' \t')).toEqual({ type: 'all' });
  });

  it('binds ! tighter than && tighter than ||', () => {
    expect(parseSelectorAst('!a == "1" && b == "2"')).toEqual({
      type: 'and',
      operands: [{ type: 'not', operand: eq('a', '1') }, eq('b', '2')],
    });
    expect(parseSelectorAst('a == "1" || b == "2" && c == "3"')).toEqual({
      type: 'or',
      operands: [eq('a', '1'), { type: 'and', operands: [eq('b', '2'), eq('c', '3')] }],
    });
  });

  it('keeps n-ary groups flat at one level and nested groups nested', () => {
    expect(parseSelectorAst('a == "1" && b == "2" && c == "3"')).toEqual({ type: 'and', operands: [eq('a', '1'), eq('b', '2'), eq('c', '3')] });
    expect(parseSelectorAst('a == "1" && (b == "2" && c == "3")')).toEqual({
      type: 'and',
      operands: [eq('a', '1'), { type: 'and', operands: [eq('b', '2'), eq('c', '3')] }],
    });
  });

  it('collapses runs of ! and drops parentheses around one term', () => {
    expect(parseSelectorAst('!!has(a)')).toEqual({ type: 'has', label: 'a' });
    expect(parseSelectorAst('! ! !has(a)')).toEqual({ type: 'not', operand: { type: 'has', label: 'a' } });
    expect(parseSelectorAst('((has(a)))')).toEqual({ type: 'has', label: 'a' });
    expect(parseSelectorAst('!(!has(a))')).toEqual({ type: 'not', operand: { type: 'not', operand: { type: 'has', label: 'a' } } });
  });

  it('sorts and de-duplicates set members by byte order', () => {
    expect(parseSelectorAst('a in {"b", "a", "b", ""}')).toEqual({ type: 'set', op: 'in', label: 'a', values: ['', 'a', 'b'] });
    // U+FF5E sorts below U+1F642 in UTF-8 byte order but above it in UTF-16 code units.
    expect(parseSelectorAst('a not in {"🙂", "～", "Z", "z"}')).toEqual({ type: 'set', op: 'not in', label: 'a', values: ['Z', 'z', '～', '🙂'] });
  });

  it('names the problem in the reason', () => {
    expect(parseError('a == b').reason).toMatch(/quoted string after '=='/);
    expect(parseError('a in "x"').reason).toMatch(/set literal/);
    expect(parseError('a in {"x" "y"}').reason).toMatch(/',' or '}'/);
    expect(parseError('(a == "b"').reason).toMatch(/expected '\)'/);
    expect(parseError('a == "b")').reason).toMatch(/unexpected '\)' after the end/);
    expect(parseError('!').reason).toMatch(/expected an expression but found the end/);
    expect(parseError('has(a) == "b"').reason).toMatch(/unexpected '=='/);
  });

  it('rejects nesting deeper than the limit at the offending parenthesis', () => {
    expect(MAX_NESTING_DEPTH).toBe(512);
    const nest = (n: number): string => `${'('.repeat(n)}has(a)${')'.repeat(n)}`;
    expect(parseSelectorAst(nest(MAX_NESTING_DEPTH))).toEqual({ type: 'has', label: 'a' });
    const err = parseError(nest(MAX_NESTING_DEPTH + 1));
    expect(err.position).toBe(MAX_NESTING_DEPTH);
    expect(err.reason).toMatch(/nested deeper than 512/);
    // Hostile input fails cleanly rather than overflowing the stack.
    expect(parseError(`${'!('.repeat(100_000)}has(a)`).reason).toMatch(/nested deeper/);
  });

  it('parses the deepest nesting a 1024-character selector allows', () => {
    // '(' * n + 'all()' + ')' * n has 2n + 5 characters: n = 509 fits in 1024.
    const deepest = `${'('.repeat(509)}all()${')'.repeat(509)}`;
    expect(deepest.length).toBeLessThanOrEqual(1024);
    expect(parseSelectorUncached(deepest).toString()).toBe('all()');
    const deepGroups = `${'(a == "1" && '.repeat(80)}b == "2"${')'.repeat(80)}`;
    expect(parseSelectorUncached(deepGroups).matches({ a: '1', b: '2' })).toBe(true);
  });

  it('parses very long uncapped selectors', () => {
    const terms = Array.from({ length: 20_000 }, (_, i) => `k${i} == "v${i}"`);
    const sel = parseSelectorUncached(terms.join(' || '));
    expect(sel.ast.type).toBe('or');
    expect(sel.matches({ k19999: 'v19999' })).toBe(true);
    expect(sel.matches({ k19999: 'v0' })).toBe(false);
    expect(sel.toString()).toBe(`(${terms.join(' || ')})`);
    const bigSet = Array.from({ length: 50_000 }, (_, i) => `"m${i}"`).join(',');
    expect(parseSelectorUncached(`a in {${bigSet}}`).matches({ a: 'm49999' })).toBe(true);
    expect(parseSelectorUncached(`a == "${'x'.repeat(1_000_000)}"`).matches({ a: 'x'.repeat(1_000_000) })).toBe(true);
  });
});
