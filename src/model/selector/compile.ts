/**
 * Compiles a selector syntax tree into a tree of small matcher closures.
 *
 * A compiled matcher takes a label source and a getter for it, so one compiled selector serves
 * plain objects, `Map`s and lookup functions (the inherited-label view of an endpoint) without
 * building merged maps and without allocating per evaluation.
 *
 * @module
 */
import type { SelectorNode } from './ast.js';

/**
 * Reads one label from a label source: its value, or `undefined` when the label is absent.
 * The source is whatever was handed to the {@link Matcher}.
 */
export type LabelGetter = (source: never, key: string) => string | undefined;

/** A compiled selector: true when the labels that `get` reads from `source` match. */
export type Matcher = (source: unknown, get: LabelGetter) => boolean;

type Get = (source: unknown, key: string) => string | undefined;
type M = (source: unknown, get: Get) => boolean;

const TRUE: M = () => true;
const FALSE: M = () => false;

/** Sets with at most this many members are searched linearly; larger ones use a `Set`. */
const LINEAR_SET_LIMIT = 6;

function compileIn(label: string, values: readonly string[]): M {
  switch (values.length) {
    case 0:
      return FALSE;
    case 1: {
      const v = values[0] as string;
      return (s, g) => g(s, label) === v;
    }
    case 2: {
      const [v0, v1] = values as [string, string];
      return (s, g) => {
        const x = g(s, label);
        return x === v0 || x === v1;
      };
    }
    default: {
      if (values.length <= LINEAR_SET_LIMIT) {
        return (s, g) => {
          const x = g(s, label);
          return x !== undefined && values.includes(x);
        };
      }
      const set = new Set(values);
      return (s, g) => {
        const x = g(s, label);
        return x !== undefined && set.has(x);
      };
    }
  }
}

function compileNot(inner: M): M {
  if (inner === TRUE) return FALSE;
  if (inner === FALSE) return TRUE;
  return (s, g) => !inner(s, g);
}

function compileAnd(ms: M[]): M {
  if (ms.length === 2) {
    const [a, b] = ms as [M, M];
    return (s, g) => a(s, g) && b(s, g);
  }
  if (ms.length === 3) {
    const [a, b, c] = ms as [M, M, M];
    return (s, g) => a(s, g) && b(s, g) && c(s, g);
  }
  return (s, g) => {
    for (const m of ms) if (!m(s, g)) return false;
    return true;
  };
}

function compileOr(ms: M[]): M {
  if (ms.length === 2) {
    const [a, b] = ms as [M, M];
    return (s, g) => a(s, g) || b(s, g);
  }
  if (ms.length === 3) {
    const [a, b, c] = ms as [M, M, M];
    return (s, g) => a(s, g) || b(s, g) || c(s, g);
  }
  return (s, g) => {
    for (const m of ms) if (m(s, g)) return true;
    return false;
  };
}

function compileNode(node: SelectorNode): M {
  switch (node.type) {
    case 'all':
    case 'global':
      return TRUE;
    case 'has': {
      const k = node.label;
      return (s, g) => g(s, k) !== undefined;
    }
    case 'compare': {
      const k = node.label;
      const v = node.value;
      switch (node.op) {
        case '==':
          return (s, g) => g(s, k) === v;
        case '!=':
          return (s, g) => g(s, k) !== v;
        case 'contains':
          return (s, g) => {
            const x = g(s, k);
            return x !== undefined && x.includes(v);
          };
        case 'starts with':
          return (s, g) => {
            const x = g(s, k);
            return x !== undefined && x.startsWith(v);
          };
        case 'ends with':
          return (s, g) => {
            const x = g(s, k);
            return x !== undefined && x.endsWith(v);
          };
      }
      break;
    }
    case 'set': {
      const m = compileIn(node.label, node.values);
      return node.op === 'in' ? m : compileNot(m);
    }
    case 'not':
      return compileNot(compileNode(node.operand));
    case 'and':
      return compileAnd(node.operands.map(compileNode));
    case 'or':
      return compileOr(node.operands.map(compileNode));
  }
  /* v8 ignore next */
  throw new TypeError('unknown selector node');
}

/**
 * Compiles a syntax tree into a {@link Matcher}.
 *
 * Semantics (Calico's): a comparison or `in` on an absent label is false, so `!=` and `not in`
 * are true for an absent label; `has()` tests presence; `all()` and `global()` are true; `&&` and
 * `||` short-circuit left to right.
 *
 * ## Example
 * ```ts
 * const m = compileSelector(parseSelectorAst('app == "web" && !has(debug)'));
 * m({ app: 'web' }, (o: Record<string, string>, k) => (Object.hasOwn(o, k) ? o[k] : undefined)); // true
 * ```
 * @param node The root of the tree.
 * @return The matcher.
 */
export function compileSelector(node: SelectorNode): Matcher {
  return compileNode(node) as Matcher;
}
