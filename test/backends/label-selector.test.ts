import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, parseLabelSelector, type LabelRequirement } from '../../src/backends/label-selector.js';
import { isValidationError, type ValidationError } from '../../src/errors.js';

const labels = { env: 'prod', tier: 'web', 'app.kubernetes.io/name': 'shop', count: '7', empty: '' };

describe('parseLabelSelector: matching', () => {
  it.each([
    ['', true],
    ['   ', true],
    ['env=prod', true],
    ['env==prod', true],
    ['env = prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['env!=prod', false],
    ['missing!=x', true],
    ['env in (dev, prod)', true],
    ['env in (dev)', false],
    ['missing in (x)', false],
    ['env notin (dev)', true],
    ['env notin (prod,dev)', false],
    ['missing notin (x)', true],
    ['env', true],
    ['missing', false],
    ['!missing', true],
    ['!env', false],
    ['app.kubernetes.io/name=shop', true],
    ['env=prod,tier=web', true],
    ['env=prod,tier=db', false],
    ['env=prod , !missing , tier in (web)', true],
    ['count>5', true],
    ['count<5', false],
    ['count>7', false],
    ['env>1', false],
    ['missing<100', false],
    ['empty=', true],
    ['empty==', true],
    ['env=', false],
    ['empty in (,x)', true],
    ['empty in (x,)', true],
    ['env in (x,,prod)', true],
  ])('%j on the sample labels → %s', (text, expected) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(expected);
  });

  it('treats undefined labels as none', () => {
    expect(parseLabelSelector('!a,b!=c').matches(undefined)).toBe(true);
    expect(parseLabelSelector('a').matches(undefined)).toBe(false);
  });

  it('exposes the parsed requirements, frozen', () => {
    const sel = parseLabelSelector('a in (x,y),!b,c!=d,e>3');
    expect(sel.requirements).toEqual([
      { key: 'a', operator: 'In', values: ['x', 'y'] },
      { key: 'b', operator: 'DoesNotExist', values: [] },
      { key: 'c', operator: 'NotEquals', values: ['d'] },
      { key: 'e', operator: 'GreaterThan', values: ['3'] },
    ]);
    expect(Object.isFrozen(sel.requirements) && Object.isFrozen(sel.requirements[0])).toBe(true);
  });

  it('does not match inherited properties as labels', () => {
    expect(parseLabelSelector('constructor').matches({})).toBe(false);
    expect(parseLabelSelector('toString!=x').matches({})).toBe(true);
  });
});

describe('parseLabelSelector: rejection', () => {
  it.each([
    ['env in prod', 7],
    ['env in (prod', 12],
    ['env in ()', 7],
    ['env notin', 9],
    ['!', 1],
    ['!env=prod', 4],
    ['a b', 2],
    ['a=b=c', 3],
    ['a=b c', 4],
    [',a', 0],
    ['a,', 2],
    ['a,,b', 2],
    ['a>x', 2],
    ['a>', 2],
    ['-a=b', 0],
    ['a=-b', 2],
    ['a=b$', 2],
    ['Example.com/a=b', 0],
    ['/a', 0],
    ['a/', 0],
    [`a=${'x'.repeat(64)}`, 2],
    [`${'k'.repeat(64)}`, 0],
    ['(a)', 0],
  ])('%j is a validation error on labelSelector at position %i', (text, position) => {
    let err: unknown;
    try {
      parseLabelSelector(text);
    } catch (e) {
      err = e;
    }
    expect(isValidationError(err)).toBe(true);
    const [f] = (err as ValidationError).errors;
    expect(f?.path).toBe('labelSelector');
    expect(f?.message).toContain(`at position ${position}:`);
  });

  it('names the field it was given', () => {
    expect(() => parseLabelSelector('a in b', 'spec.selector')).toThrow(/spec\.selector/);
  });
});

// Reference semantics written independently of the parser, over requirement objects.
function reference(reqs: readonly LabelRequirement[], l: Record<string, string>): boolean {
  return reqs.every((r) => {
    const v = Object.hasOwn(l, r.key) ? l[r.key] : undefined;
    if (r.operator === 'Exists') return v !== undefined;
    if (r.operator === 'DoesNotExist') return v === undefined;
    if (r.operator === 'Equals' || r.operator === 'In') return v !== undefined && r.values.includes(v);
    if (r.operator === 'NotEquals' || r.operator === 'NotIn') return !(v !== undefined && r.values.includes(v));
    if (v === undefined || !/^-?\d+$/.test(v)) return false;
    return r.operator === 'GreaterThan' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
  });
}

const key = fc.constantFrom('a', 'b', 'x.io/c', 'd-e');
const value = fc.constantFrom('1', '2', 'v', 'w_z', '10');
const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  key.map((k) => ({ key: k, operator: 'Exists' as const, values: [] })),
  key.map((k) => ({ key: k, operator: 'DoesNotExist' as const, values: [] })),
  fc.tuple(key, value, fc.constantFrom('Equals' as const, 'NotEquals' as const)).map(([k, v, operator]) => ({ key: k, operator, values: [v] })),
  fc.tuple(key, fc.uniqueArray(value, { minLength: 1, maxLength: 3 }), fc.constantFrom('In' as const, 'NotIn' as const)).map(([k, values, operator]) => ({ key: k, operator, values })),
  fc.tuple(key, fc.integer({ min: 0, max: 12 }), fc.constantFrom('GreaterThan' as const, 'LessThan' as const)).map(([k, n, operator]) => ({ key: k, operator, values: [String(n)] })),
);
const labelMap = fc.dictionary(key, value, { maxKeys: 4 });

describe('parseLabelSelector: properties', () => {
  it('formatting then parsing gives the same requirements (up to value order)', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), (reqs) => {
        const text = formatLabelSelector({ requirements: reqs, matches: () => true });
        const back = parseLabelSelector(text).requirements.map((r) => ({ ...r, values: [...r.values].sort() }));
        expect(back).toEqual(reqs.map((r) => ({ ...r, values: [...r.values].sort() })));
      }),
    );
  });

  it('matches agree with the reference semantics', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), labelMap, (reqs, l) => {
        const sel = parseLabelSelector(formatLabelSelector({ requirements: reqs, matches: () => true }));
        expect(sel.matches(l)).toBe(reference(reqs, l));
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary input either parses or throws a ValidationError on labelSelector, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '=', '!', ',', '(', ')', ' ', 'i', 'n', 'o', 't', '<', '>', '1', '/', '.', '-') }), (text) => {
        try {
          parseLabelSelector(text).matches({ a: '1' });
        } catch (e) {
          expect(isValidationError(e)).toBe(true);
          expect((e as ValidationError).errors[0]?.path).toBe('labelSelector');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
