import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelectorParseError } from '../../../src/errors.js';
import { compareByteOrder, parseSelectorAst, parseSelectorUncached, quoteSelectorValue, renderSelector, tokenize } from '../../../src/model/selector/index.js';
import type { SelectorNode } from '../../../src/model/selector/index.js';

const LABELS = ['a', 'b', 'k8s-app', 'x.y/z', 'in', 'not', 'has', 'contains', '-a', '9lives', 'projectcalico.org/namespace'];
const VALUE_CHARS = ['x', 'y', 'z', '', ' ', '"', "'", 'é', '🙂', '\n', '&&', ')'];

const labelArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LABELS) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ09_./-'), minLength: 1, maxLength: 6 }) },
);
/** A literal: never holds both quote characters (no selector literal can). */
const valueArb = fc
  .array(fc.constantFrom(...VALUE_CHARS), { maxLength: 4 })
  .map((parts) => parts.join(''))
  .filter((v) => !(v.includes('"') && v.includes("'")));

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort(compareByteOrder);
}

/**
 * Random syntax trees in the shape the parser produces: sets sorted and de-duplicated, groups of
 * two or more. When `allowDoubleNot` is false, a negation never directly wraps another negation.
 */
function treeArb(allowDoubleNot: boolean): fc.Arbitrary<SelectorNode> {
  const { node } = fc.letrec<{ node: SelectorNode; leaf: SelectorNode }>((tie) => ({
    leaf: fc.oneof(
      fc.constant<SelectorNode>({ type: 'all' }),
      fc.constant<SelectorNode>({ type: 'global' }),
      labelArb.map((label): SelectorNode => ({ type: 'has', label })),
      fc
        .record({ op: fc.constantFrom('==', '!=', 'contains', 'starts with', 'ends with' as const), label: labelArb, value: valueArb })
        .map((r): SelectorNode => ({ type: 'compare', ...r })),
      fc
        .record({ op: fc.constantFrom('in', 'not in' as const), label: labelArb, values: fc.array(valueArb, { maxLength: 5 }) })
        .map((r): SelectorNode => ({ type: 'set', op: r.op, label: r.label, values: sortedUnique(r.values) })),
    ),
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      tie('node')
        .filter((n) => allowDoubleNot || n.type !== 'not')
        .map((operand): SelectorNode => ({ type: 'not', operand })),
      fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((operands): SelectorNode => ({ type: 'and', operands })),
      fc.array(tie('node'), { minLength: 2, maxLength: 4 }).map((operands): SelectorNode => ({ type: 'or', operands })),
    ),
  }));
  return node;
}

/** A straightforward reference interpreter of §5, independent of the compiled matchers. */
function reference(node: SelectorNode, labels: Record<string, string>): boolean {
  const get = (k: string): string | undefined => (Object.hasOwn(labels, k) ? labels[k] : undefined);
  switch (node.type) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return get(node.label) !== undefined;
    case 'compare': {
      const v = get(node.label);
      if (node.op === '!=') return v !== node.value;
      if (v === undefined) return false;
      if (node.op === '==') return v === node.value;
      if (node.op === 'contains') return v.includes(node.value);
      if (node.op === 'starts with') return v.startsWith(node.value);
      return v.endsWith(node.value);
    }
    case 'set': {
      const v = get(node.label);
      const member = v !== undefined && node.values.includes(v);
      return node.op === 'in' ? member : !member;
    }
    case 'not':
      return !reference(node.operand, labels);
    case 'and':
      return node.operands.every((o) => reference(o, labels));
    case 'or':
      return node.operands.some((o) => reference(o, labels));
  }
}

const labelsArb = fc.dictionary(fc.constantFrom(...LABELS), valueArb, { maxKeys: 6 });

const SELECTORISH = ['a', 'b', ' ', '\t', '(', ')', '!', '&&', '||', '&', '|', '==', '!=', '=', '"x"', "'y'", '"', "'", 'in', 'not', 'not in', '{', '}', ',', 'has(', 'all(', 'global(', 'contains', 'starts', 'with', 'ends', '\n', '%', 'é'];
const selectorishArb = fc.array(fc.constantFrom(...SELECTORISH), { maxLength: 16 }).map((p) => p.join(''));

describe('selector properties', () => {
  it('canonical text of a parser-shaped tree parses back to the same tree and the same text', () => {
    fc.assert(
      fc.property(treeArb(false), (tree) => {
        const text = renderSelector(tree);
        const reparsed = parseSelectorAst(text);
        expect(reparsed).toEqual(tree);
        expect(renderSelector(reparsed)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('canonical text of any tree is stable after one round, and evaluates like the tree', () => {
    fc.assert(
      fc.property(treeArb(true), labelsArb, (tree, labels) => {
        const once = parseSelectorUncached(renderSelector(tree));
        const twice = parseSelectorUncached(once.toString());
        expect(parseSelectorUncached(twice.toString()).toString()).toBe(twice.toString());
        const expected = reference(tree, labels);
        expect(once.matches(labels)).toBe(expected);
        expect(twice.matches(labels)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('compiled matchers agree with the reference interpreter through every label source', () => {
    fc.assert(
      fc.property(treeArb(true), labelsArb, (tree, labels) => {
        const sel = parseSelectorUncached(renderSelector(tree));
        const expected = reference(sel.ast, labels);
        expect(sel.matches(labels)).toBe(expected);
        expect(sel.matches(new Map(Object.entries(labels)))).toBe(expected);
        expect(sel.matchesLookup((k) => (Object.hasOwn(labels, k) ? labels[k] : undefined))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('!e always evaluates to the opposite of e', () => {
    fc.assert(
      fc.property(treeArb(true), labelsArb, (tree, labels) => {
        const text = renderSelector(tree);
        const e = parseSelectorUncached(text);
        expect(parseSelectorUncached(`!(${text})`).matches(labels)).toBe(!e.matches(labels));
        expect(parseSelectorUncached(`!${text}`).matches(labels)).toBe(!e.matches(labels));
        expect(parseSelectorUncached(`!!(${text})`).matches(labels)).toBe(e.matches(labels));
      }),
      { numRuns: 300 },
    );
  });

  it('extra whitespace and redundant parentheses do not change the canonical text', () => {
    const respace = (text: string, ws: string): string =>
      tokenize(text)
        .map((t) => {
          switch (t.kind) {
            case 'label':
              return t.value;
            case 'string':
              return quoteSelectorValue(t.value);
            case 'has':
              return `has(${ws}${t.value}${ws})`;
            case 'all':
            case 'global':
              return `${t.kind}(${ws})`;
            case 'eof':
              return '';
            default:
              return t.kind;
          }
        })
        .join(ws);
    fc.assert(
      fc.property(treeArb(false), fc.constantFrom(' ', '\t', '  \t'), (tree, ws) => {
        const text = renderSelector(tree);
        expect(parseSelectorUncached(`${ws}(${respace(text, ws)})${ws}`).toString()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('throws only SelectorParseError, with a position inside the input, on arbitrary strings', () => {
    const check = (s: string): void => {
      try {
        const sel = parseSelectorUncached(s);
        // Whatever parses renders to text that parses and is stable after one round.
        const again = parseSelectorUncached(sel.toString());
        expect(parseSelectorUncached(again.toString()).toString()).toBe(again.toString());
      } catch (e) {
        expect(e).toBeInstanceOf(SelectorParseError);
        const err = e as SelectorParseError;
        expect(err.selector).toBe(s);
        expect(err.position).toBeGreaterThanOrEqual(0);
        expect(err.position).toBeLessThanOrEqual(s.length);
      }
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), check), { numRuns: 1000 });
    fc.assert(fc.property(selectorishArb, check), { numRuns: 3000 });
  });
});
