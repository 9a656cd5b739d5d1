import { describe, expect, it } from 'vitest';
import { SelectorParseError } from '../../../src/errors.js';
import {
  isSoleGlobalSelector,
  normaliseSelector,
  parseSelector,
  parseSelectorUncached,
  quoteSelectorValue,
  renderSelector,
  SELECTOR_CACHE_MAX_TEXT,
  SELECTOR_CACHE_SIZE,
  selectorUniqueId,
  validateSelector,
} from '../../../src/model/selector/index.js';

describe('parseSelector', () => {
  it('hands out the same immutable object for the same text', () => {
    const a = parseSelector('api-test == "cache-1"');
    expect(parseSelector('api-test == "cache-1"')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(parseSelectorUncached('api-test == "cache-1"')).not.toBe(a);
  });

  it('keeps recently used entries and evicts the least recently used beyond the capacity', () => {
    expect(SELECTOR_CACHE_SIZE).toBe(1000);
    const first = parseSelector('api-test == "lru-first"');
    const second = parseSelector('api-test == "lru-second"');
    for (let i = 0; i < SELECTOR_CACHE_SIZE - 1; i++) {
      parseSelector(`api-test == "fill-${i}"`);
      if (i % 100 === 0) parseSelector('api-test == "lru-first"'); // keep it recent
    }
    expect(parseSelector('api-test == "lru-first"')).toBe(first);
    expect(parseSelector('api-test == "lru-second"')).not.toBe(second);
  });

  it('does not cache texts longer than the cache limit', () => {
    const long = `a == "${'x'.repeat(SELECTOR_CACHE_MAX_TEXT)}"`;
    expect(parseSelector(long)).not.toBe(parseSelector(long));
    const atLimit = `a == "${'y'.repeat(SELECTOR_CACHE_MAX_TEXT - 7)}"`;
    expect(atLimit.length).toBe(SELECTOR_CACHE_MAX_TEXT);
    expect(parseSelector(atLimit)).toBe(parseSelector(atLimit));
  });

  it('throws SelectorParseError every time for invalid text', () => {
    expect(() => parseSelector('a = "b"')).toThrow(SelectorParseError);
    expect(() => parseSelector('a = "b"')).toThrow(/position 2/);
  });

  it('rejects non-string input with a SelectorParseError', () => {
    expect(() => parseSelector(undefined as unknown as string)).toThrow(SelectorParseError);
    expect(() => parseSelectorUncached(42 as unknown as string)).toThrow(/must be a string, not number/);
  });

  it('keeps the source text untouched and computes the id from the canonical text', () => {
    const src = '  tier in {"b","a"}  ';
    const sel = parseSelector(src);
    expect(sel.source).toBe(src);
    expect(String(sel)).toBe('tier in {"a", "b"}');
    expect(`${sel}`).toBe('tier in {"a", "b"}');
    expect(sel.uniqueId()).toBe(selectorUniqueId('tier in {"a", "b"}'));
    expect(sel.uniqueId()).toMatch(/^s:[A-Za-z0-9_-]{38}$/);
    const { toString, uniqueId, matches } = sel;
    expect(toString()).toBe('tier in {"a", "b"}');
    expect(uniqueId()).toBe(sel.uniqueId());
    expect(matches({ tier: 'a' })).toBe(true);
  });

  it('gives equal ids exactly for equal canonical texts', () => {
    expect(parseSelector('a in {"x","y"}').uniqueId()).toBe(parseSelector('a in {"y", "x", "y"}').uniqueId());
    expect(parseSelector('a == "x"').uniqueId()).toBe(parseSelector("a=='x'").uniqueId());
    expect(parseSelector('a == "x" && b == "y"').uniqueId()).not.toBe(parseSelector('b == "y" && a == "x"').uniqueId());
  });

  it('hashes non-ASCII literals over their UTF-8 bytes', () => {
    expect(selectorUniqueId('a == "é"')).not.toBe(selectorUniqueId('a == "e"'));
    expect(parseSelector('a == "é"').toString()).toBe('a == "é"');
  });
});

describe('validateSelector', () => {
  it('returns undefined for valid text and the error for invalid text', () => {
    expect(validateSelector('has(a)')).toBeUndefined();
    expect(validateSelector('')).toBeUndefined();
    const err = validateSelector('has(a) &&');
    expect(err).toBeInstanceOf(SelectorParseError);
    expect(err?.position).toBe(9);
  });
});

describe('isSoleGlobalSelector (entity namespaceSelector rule, §1 and §9.2)', () => {
  it.each(['global()', ' global( ) ', '\tglobal(\t)'])('accepts %j', (s) => {
    expect(isSoleGlobalSelector(s)).toBe(true);
  });

  it.each(['!global()', '(global())', 'global() || has(a)', 'has(a) && global()', 'global', 'global(x)', 'global()\n', '', 'all()', 'app == "global()"'])(
    'rejects %j',
    (s) => {
      expect(isSoleGlobalSelector(s)).toBe(false);
    },
  );

  it('returns false for non-strings', () => {
    expect(isSoleGlobalSelector(undefined as unknown as string)).toBe(false);
  });
});

describe('normaliseSelector', () => {
  it('trims, parses and renders canonically', () => {
    expect(normaliseSelector('')).toBe('all()');
    expect(normaliseSelector('  a notin {"y","x"}\n')).toBe('a not in {"x", "y"}');
    expect(normaliseSelector('\r\n\u00a0has( a )\u2003')).toBe('has(a)');
    expect(normaliseSelector('!!has(a)')).toBe('has(a)');
  });

  it('trims like Go (not like String.prototype.trim)', () => {
    // U+FEFF is not Go whitespace, so it stays and the text does not parse.
    expect(normaliseSelector('\ufeffhas(a)')).toBe('\ufeffhas(a)');
    // U+0085 (NEL) is Go whitespace but not JavaScript whitespace.
    expect(normaliseSelector('has(a)\u0085')).toBe('has(a)');
  });

  it('returns text that does not parse unchanged, untrimmed', () => {
    expect(normaliseSelector(' a = "b"\n')).toBe(' a = "b"\n');
    expect(normaliseSelector(null as unknown as string)).toBe(null);
  });
});

describe('canonical helpers', () => {
  it('quotes with double quotes unless the value holds one', () => {
    expect(quoteSelectorValue('x')).toBe('"x"');
    expect(quoteSelectorValue("it's")).toBe('"it\'s"');
    expect(quoteSelectorValue('say "hi"')).toBe('\'say "hi"\'');
    expect(quoteSelectorValue('')).toBe('""');
  });

  it('renders a hand-built tree', () => {
    expect(
      renderSelector({
        type: 'or',
        operands: [
          { type: 'not', operand: { type: 'set', op: 'not in', label: 'a', values: [] } },
          { type: 'compare', op: 'ends with', label: 'b', value: '"' },
          { type: 'global' },
        ],
      }),
    ).toBe('(!a not in {} || b ends with \'"\' || global())');
  });
});
