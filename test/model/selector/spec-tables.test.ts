import { describe, expect, it } from 'vitest';
import { SelectorParseError } from '../../../src/errors.js';
import { parseSelector, parseSelectorUncached } from '../../../src/model/selector/index.js';
import { EXAMPLE_TRIPLES, INVALID_SELECTORS } from './spec-cases.js';

function parseError(expr: string): SelectorParseError {
  try {
    parseSelectorUncached(expr);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorParseError);
    return e as SelectorParseError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be rejected`);
}

describe('§8 example triples', () => {
  it('has the whole table', () => {
    expect(EXAMPLE_TRIPLES).toHaveLength(53);
  });

  describe.each(EXAMPLE_TRIPLES.map((t, i) => ({ ...t, i })))('#$i $selector on $labels', (t) => {
    it(`evaluates to ${t.match} as a record, a Map and a lookup`, () => {
      const sel = parseSelector(t.selector);
      expect(sel.matches(t.labels)).toBe(t.match);
      expect(sel.matches(new Map(Object.entries(t.labels)))).toBe(t.match);
      expect(sel.matchesLookup((k) => (Object.hasOwn(t.labels, k) ? t.labels[k] : undefined))).toBe(t.match);
    });

    it('renders the canonical form, which re-parses to itself and evaluates the same', () => {
      const sel = parseSelector(t.selector);
      expect(sel.toString()).toBe(t.canonical);
      expect(sel.source).toBe(t.selector);
      const again = parseSelector(t.canonical);
      expect(again.toString()).toBe(t.canonical);
      expect(again.uniqueId()).toBe(sel.uniqueId());
      expect(again.matches(t.labels)).toBe(t.match);
    });
  });
});

describe('§9.1 syntax errors', () => {
  it('has the whole table', () => {
    expect(INVALID_SELECTORS).toHaveLength(53);
  });

  it.each(INVALID_SELECTORS.map((t) => [JSON.stringify(t.selector).slice(0, 60), t.reason, t.selector] as const))(
    'rejects %s (%s)',
    (_shown, _reason, selector) => {
      const err = parseError(selector);
      expect(err.selector).toBe(selector);
      expect(Number.isInteger(err.position)).toBe(true);
      expect(err.position).toBeGreaterThanOrEqual(0);
      expect(err.position).toBeLessThanOrEqual(selector.length);
      expect(err.reason.length).toBeGreaterThan(0);
      expect(err.message).toContain(`position ${err.position}`);
      expect(() => parseSelector(selector)).toThrow(SelectorParseError);
    },
  );

  it('points at the offending character', () => {
    const cases: [string, number][] = [
      ['a = "b"', 2],
      ['a == b', 5],
      ['a == 1', 5],
      ['a b', 2],
      ['!', 1],
      ['a == "b" &', 9],
      ['a == "b" |', 9],
      ['a IN {"x"}', 2],
      ['a in ("x")', 5],
      ['a in {"x" "y"}', 10],
      ['a in {,}', 6],
      ['a in {"x",,"y"}', 10],
      ['a in {x}', 6],
      ['a in {"x"', 9],
      ['has(a', 5],
      ['has()', 4],
      ['has (a)', 4],
      ['has(a b)', 6],
      ['has("a")', 4],
      ['all(x)', 4],
      ['global(x)', 7],
      ['(a == "b"', 9],
      ['a == "b")', 8],
      ['()', 1],
      ['a == \'x', 5],
      ['"a', 0],
      ['a == "b"\n', 8],
      ['a\n== "b"', 1],
      ['a == "b" ||', 11],
      ['|| a == "b"', 0],
      ['a =~ "b"', 2],
      ['a > "1"', 2],
      ['a starts "x"', 2],
      ['a ends withs "x"', 2],
      ['a !in {"x"}', 2],
      ['a@b == "x"', 1],
      ['%', 0],
      ['a == "b" has(c)', 9],
      ['has(a) == "b"', 7],
      [`${'x'.repeat(513)} == "y"`, 0],
    ];
    for (const [selector, position] of cases) {
      expect({ selector, position: parseError(selector).position }).toEqual({ selector, position });
    }
  });

  it('accepts a 512-character label, the limit', () => {
    const label = 'x'.repeat(512);
    const sel = parseSelector(`${label} == "y"`);
    expect(sel.toString()).toBe(`${label} == "y"`);
    expect(sel.matches({ [label]: 'y' })).toBe(true);
    expect(parseError(`has(${'x'.repeat(513)})`).reason).toMatch(/512/);
    expect(parseSelector(`has(${label})`).matches({ [label]: '' })).toBe(true);
  });
});

describe('§9.3 valid although they look wrong', () => {
  const rows: [string, string][] = [
    ['a in{"x"}', 'a in {"x"}'],
    ['a notin {"x"}', 'a not in {"x"}'],
    ['a startswith "x"', 'a starts with "x"'],
    ['a endswith "x"', 'a ends with "x"'],
    ['a contains"x"', 'a contains "x"'],
    ['-a == "x"', '-a == "x"'],
    ['.a/b == "x"', '.a/b == "x"'],
    ['in == "x"', 'in == "x"'],
    ['has == "x"', 'has == "x"'],
    ['not in {"x"}', 'not in {"x"}'],
    ['a in {"x",}', 'a in {"x"}'],
    ['!!!has(a)', '!has(a)'],
    ['has( a )', 'has(a)'],
    ['all( )', 'all()'],
    ['global( )', 'global()'],
    ['  a == "b"  ', 'a == "b"'],
    ['a == "line1\nline2"', 'a == "line1\nline2"'],
    ['a in {}', 'a in {}'],
    [`${'l'.repeat(512)} == "v"`, `${'l'.repeat(512)} == "v"`],
  ];

  it.each(rows)('accepts %j as %j', (selector, canonical) => {
    const sel = parseSelector(selector);
    expect(sel.toString()).toBe(canonical);
    expect(parseSelector(canonical).toString()).toBe(canonical);
  });

  it('reads the words as labels at the start of a term', () => {
    expect(parseSelector('not in {"x"}').matches({ not: 'x' })).toBe(true);
    expect(parseSelector('has == "x"').matches({ has: 'x' })).toBe(true);
    expect(parseSelector('in == "x"').matches({ in: 'x' })).toBe(true);
    expect(parseSelector('a == "line1\nline2"').matches({ a: 'line1\nline2' })).toBe(true);
  });
});

describe('§6 canonical examples and unique ids', () => {
  it.each([
    ['', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' all() ', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    [' (all() )', 'all()', 's:5y5I3VdRZfDU01O--xXAPx2yxCQQqMf0M6IWug'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))', 's:Iss0uCleLYv1GSv_pNm7hAO58kE9jAx1NKyG3Q'],
    ['! (a == "b"&&! c != "d")', '!(a == "b" && !c != "d")', 's:lh3haoY1ikTRkd4UZu0nWSaIBknYLPJLX16d-w'],
  ])('%j → %j with id %s', (selector, canonical, id) => {
    const sel = parseSelector(selector);
    expect(sel.toString()).toBe(canonical);
    expect(sel.uniqueId()).toBe(id);
  });

  it.each([
    ["a!='\"'", "a != '\"'"],
    ['a in {"z", "z", "x", "y", "x", "a"}', 'a in {"a", "x", "y", "z"}'],
    ['(a == "b")', 'a == "b"'],
    ['!(a == "b")', '!a == "b"'],
    ['a == "1" && (b == "2" && c == "3")', '(a == "1" && (b == "2" && c == "3"))'],
    ['!!has(a)', 'has(a)'],
    ['a == "\'"', 'a == "\'"'],
    ['a contains \'"\'', 'a contains \'"\''],
    ['a startswith \'"\'', 'a starts with \'"\''],
    ['a endswith "\'"', 'a ends with "\'"'],
    ['a not  \t in {"b"}', 'a not in {"b"}'],
    ['a starts\twith "b"', 'a starts with "b"'],
    ['((a == "1"))', 'a == "1"'],
    ['((a == "1" || b == "2"))', '(a == "1" || b == "2")'],
    ['a == "1" && b == "2" && c == "3" || d == "4"', '((a == "1" && b == "2" && c == "3") || d == "4")'],
  ])('%j → %j', (selector, canonical) => {
    expect(parseSelector(selector).toString()).toBe(canonical);
  });

  it('keeps a negation of a parenthesised negation, as Calico renders it', () => {
    // Calico collapses consecutive '!' tokens only; '!(!x)' keeps two NotNodes and renders '!!x'.
    const sel = parseSelector('!(!has(a))');
    expect(sel.toString()).toBe('!!has(a)');
    expect(sel.matches({ a: '' })).toBe(true);
    expect(parseSelector(sel.toString()).toString()).toBe('has(a)');
  });
});
