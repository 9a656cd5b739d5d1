import { describe, expect, it } from 'vitest';
import { compileSelector, parseSelector, parseSelectorAst } from '../../../src/model/selector/index.js';

/** Evaluates one selector on a label map through all three entry points and checks they agree. */
function evalAll(selector: string, labels: Record<string, string>): boolean {
  const sel = parseSelector(selector);
  const viaRecord = sel.matches(labels);
  expect(sel.matches(new Map(Object.entries(labels)))).toBe(viaRecord);
  expect(sel.matchesLookup((k) => (Object.hasOwn(labels, k) ? labels[k] : undefined))).toBe(viaRecord);
  return viaRecord;
}

describe('§5 semantics table', () => {
  const present = { k: 'value' };
  const absent = { other: 'value' };
  it.each([
    // expression, label k present with value "value", label k absent
    ['k == "value"', true, false],
    ['k == "other"', false, false],
    ['k != "value"', false, true],
    ['k != "other"', true, true],
    ['k in {"value", "x"}', true, false],
    ['k in {"x", "y"}', false, false],
    ['k not in {"value", "x"}', false, true],
    ['k not in {"x", "y"}', true, true],
    ['k contains "alu"', true, false],
    ['k contains "xyz"', false, false],
    ['k starts with "val"', true, false],
    ['k starts with "alu"', false, false],
    ['k ends with "lue"', true, false],
    ['k ends with "val"', false, false],
    ['has(k)', true, false],
    ['all()', true, true],
    ['global()', true, true],
    ['!has(k)', false, true],
    ['has(k) && k != "value"', false, false],
    ['has(k) || !has(k)', true, true],
    ['', true, true],
  ])('%s → present %s, absent %s', (selector, whenPresent, whenAbsent) => {
    expect(evalAll(selector, present)).toBe(whenPresent);
    expect(evalAll(selector, absent)).toBe(whenAbsent);
  });

  it('equates != with !==, and not in with !in', () => {
    for (const labels of [{}, { a: 'b' }, { a: 'c' }, { a: '' }] as Record<string, string>[]) {
      expect(evalAll('a != "b"', labels)).toBe(evalAll('!a == "b"', labels));
      expect(evalAll('a not in {"b", "c"}', labels)).toBe(evalAll('!a in {"b", "c"}', labels));
    }
  });

  it('makes empty-string operators equivalent to has()', () => {
    for (const labels of [{}, { a: '' }, { a: 'x' }, { b: 'a' }] as Record<string, string>[]) {
      const has = evalAll('has(a)', labels);
      expect(evalAll('a contains ""', labels)).toBe(has);
      expect(evalAll('a starts with ""', labels)).toBe(has);
      expect(evalAll('a ends with ""', labels)).toBe(has);
    }
  });

  it('matches nothing with !all() and never with in {}', () => {
    expect(evalAll('!all()', {})).toBe(false);
    expect(evalAll('!all()', { a: 'b' })).toBe(false);
    expect(evalAll('a in {}', { a: '' })).toBe(false);
    expect(evalAll('a not in {}', {})).toBe(true);
    expect(evalAll('!global()', {})).toBe(false);
  });

  it('compares byte-wise and case-sensitively, with no normalisation', () => {
    expect(evalAll('a == "é"', { a: 'e\u0301' })).toBe(false);
    expect(evalAll('a == "é"', { a: 'é' })).toBe(true);
    expect(evalAll('A == "x"', { a: 'x' })).toBe(false);
    expect(evalAll('a contains "🙂"', { a: 'x🙂y' })).toBe(true);
  });

  it('evaluates sets of every size', () => {
    for (let n = 0; n <= 12; n++) {
      const members = Array.from({ length: n }, (_, i) => `v${i}`);
      const sel = `a in {${members.map((m) => `"${m}"`).join(', ')}}`;
      const notSel = `a not in {${members.map((m) => `"${m}"`).join(', ')}}`;
      for (const m of members) {
        expect(evalAll(sel, { a: m })).toBe(true);
        expect(evalAll(notSel, { a: m })).toBe(false);
      }
      expect(evalAll(sel, { a: 'zz' })).toBe(false);
      expect(evalAll(sel, {})).toBe(false);
      expect(evalAll(notSel, { a: 'zz' })).toBe(true);
      expect(evalAll(notSel, {})).toBe(true);
    }
  });

  it('evaluates wide and/or groups', () => {
    for (let n = 2; n <= 6; n++) {
      const keys = Array.from({ length: n }, (_, i) => `k${i}`);
      const all = Object.fromEntries(keys.map((k) => [k, '1']));
      const allButLast = Object.fromEntries(keys.slice(0, -1).map((k) => [k, '1']));
      const and = keys.map((k) => `${k} == "1"`).join(' && ');
      const or = keys.map((k) => `${k} == "1"`).join(' || ');
      expect(evalAll(and, all)).toBe(true);
      expect(evalAll(and, allButLast)).toBe(false);
      expect(evalAll(or, { [keys[n - 1] as string]: '1' })).toBe(true);
      expect(evalAll(or, {})).toBe(false);
    }
  });
});

describe('label sources', () => {
  it('ignores inherited properties of plain objects', () => {
    const sel = parseSelector('has(constructor) || has(toString) || has(__proto__) || has(hasOwnProperty)');
    expect(sel.matches({})).toBe(false);
    expect(sel.matches({ a: 'b' })).toBe(false);
    expect(parseSelector('constructor != "x"').matches({})).toBe(true);
    expect(parseSelector('has(constructor)').matches({ constructor: 'x' } as Record<string, string>)).toBe(true);
  });

  it('reads null-prototype objects and records with a label named get', () => {
    const labels = Object.assign(Object.create(null) as Record<string, string>, { a: 'b' });
    expect(parseSelector('a == "b"').matches(labels)).toBe(true);
    expect(parseSelector('get == "x"').matches({ get: 'x' })).toBe(true);
  });

  it('reads any ReadonlyMap, not only Map instances', () => {
    const backing = new Map([['a', 'b']]);
    const view: ReadonlyMap<string, string> = {
      get: (k) => backing.get(k),
      has: (k) => backing.has(k),
      get size() {
        return backing.size;
      },
      forEach: (cb) => backing.forEach(cb),
      entries: () => backing.entries(),
      keys: () => backing.keys(),
      values: () => backing.values(),
      [Symbol.iterator]: () => backing[Symbol.iterator](),
    };
    expect(parseSelector('a == "b" && !has(c)').matches(view)).toBe(true);
  });

  it('reads an inherited-label view through a lookup, only the keys it needs', () => {
    const own: Record<string, string> = { app: 'web', 'projectcalico.org/namespace': 'prod' };
    const profile: Record<string, string> = { 'pcns.team': 'a', app: 'ignored' };
    const asked: string[] = [];
    const get = (k: string): string | undefined => {
      asked.push(k);
      return Object.hasOwn(own, k) ? own[k] : Object.hasOwn(profile, k) ? profile[k] : undefined;
    };
    const sel = parseSelector('app == "web" && pcns.team == "a"');
    expect(sel.matchesLookup(get)).toBe(true);
    expect(asked).toEqual(['app', 'pcns.team']);
    asked.length = 0;
    expect(parseSelector('app == "db" && pcns.team == "a"').matchesLookup(get)).toBe(false);
    expect(asked).toEqual(['app']); // short-circuit
  });

  it('compiles a tree into a matcher for any getter', () => {
    const m = compileSelector(parseSelectorAst('a starts with "x" || !has(b)'));
    const fromPairs = (pairs: [string, string][], k: string): string | undefined => pairs.find(([key]) => key === k)?.[1];
    expect(m([['a', 'xyz']], fromPairs)).toBe(true);
    expect(m([['b', '1']], fromPairs)).toBe(false);
  });
});
