/**
 * The selector parser: a recursive-descent parser over the tokens of {@link tokenize}, building
 * the syntax tree of {@link SelectorNode}.
 *
 * Grammar (loosest first): `or := and { "||" and }`, `and := unary { "&&" unary }`,
 * `unary := { "!" } primary`, `primary := has | all | global | label op string |
 * label (in | not in) set | "(" or ")"`. A run of `!` collapses to one negation or none. A
 * parenthesised single term leaves no trace in the tree; `&&` / `||` groups are kept as written
 * (not flattened). Parenthesis nesting is limited to {@link MAX_NESTING_DEPTH} levels so hostile
 * input cannot exhaust the stack; parsing is linear in the number of tokens apart from sorting
 * set members.
 *
 * @module
 */
import { SelectorParseError } from '../../errors.js';
import type { CompareOperator, SelectorNode, SetOperator } from './ast.js';
import { canonicalSetMembers } from './canonical.js';
import { tokenize } from './tokenizer.js';
import type { Token, TokenKind } from './tokenizer.js';

/**
 * The deepest parenthesis nesting the parser accepts. No selector of 1024 characters (the cap
 * of every capped field) can nest deeper than about 510 levels.
 */
export const MAX_NESTING_DEPTH = 512;

const ALL: SelectorNode = Object.freeze({ type: 'all' });
const GLOBAL: SelectorNode = Object.freeze({ type: 'global' });

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the selector';
    case 'label':
      return 'a label';
    case 'string':
      return 'a string literal';
    case 'has':
    case 'all':
    case 'global':
      return `'${t.kind}()'`;
    default:
      return `'${t.kind}'`;
  }
}

const COMPARE_OPS: Partial<Record<TokenKind, CompareOperator>> = {
  '==': '==',
  '!=': '!=',
  contains: 'contains',
  'starts with': 'starts with',
  'ends with': 'ends with',
};

/** Parses a token list (ending with `eof`) into a tree. State lives in the closure of one call. */
function parseTokens(input: string, tokens: readonly Token[]): SelectorNode {
  let p = 0;
  let depth = 0;
  // The tokenizer always ends the list with an eof token, and the parser never moves past it.
  const peek = (offset = 0): Token => tokens[Math.min(p + offset, tokens.length - 1)] as Token;
  const fail = (t: Token, reason: string): never => {
    throw new SelectorParseError(input, t.pos, reason);
  };

  function parseOr(): SelectorNode {
    const first = parseAnd();
    if (peek().kind !== '||') return first;
    const operands = [first];
    while (peek().kind === '||') {
      p++;
      operands.push(parseAnd());
    }
    return { type: 'or', operands };
  }

  function parseAnd(): SelectorNode {
    const first = parseUnary();
    if (peek().kind !== '&&') return first;
    const operands = [first];
    while (peek().kind === '&&') {
      p++;
      operands.push(parseUnary());
    }
    return { type: 'and', operands };
  }

  function parseSet(label: string, op: SetOperator): SelectorNode {
    // peek() is the '{'.
    p++;
    const values: string[] = [];
    while (peek().kind === 'string') {
      values.push(peek().value);
      p++;
      if (peek().kind !== ',') break;
      p++;
    }
    const close = peek();
    if (close.kind !== '}') {
      fail(close, `expected ${values.length === 0 ? "a quoted string or '}'" : "',' or '}'"} in the set literal but found ${describeToken(close)}`);
    }
    p++;
    return { type: 'set', op, label, values: canonicalSetMembers(values) };
  }

  function parseComparison(labelTok: Token): SelectorNode {
    const opTok = peek(1);
    const compareOp = COMPARE_OPS[opTok.kind];
    if (compareOp !== undefined) {
      const valueTok = peek(2);
      if (valueTok.kind !== 'string') fail(valueTok, `expected a quoted string after '${opTok.kind}' but found ${describeToken(valueTok)}`);
      p += 3;
      return { type: 'compare', op: compareOp, label: labelTok.value, value: valueTok.value };
    }
    if (opTok.kind === 'in' || opTok.kind === 'not in') {
      p += 2;
      const brace = peek();
      if (brace.kind !== '{') fail(brace, `expected a set literal '{…}' after '${opTok.kind}' but found ${describeToken(brace)}`);
      return parseSet(labelTok.value, opTok.kind);
    }
    return fail(opTok, `expected an operator after the label but found ${describeToken(opTok)}`);
  }

  function parseUnary(): SelectorNode {
    let negated = false;
    while (peek().kind === '!') {
      negated = !negated;
      p++;
    }
    const node = parsePrimary();
    return negated ? { type: 'not', operand: node } : node;
  }

  function parsePrimary(): SelectorNode {
    const t = peek();
    switch (t.kind) {
      case 'has':
        p++;
        return { type: 'has', label: t.value };
      case 'all':
        p++;
        return ALL;
      case 'global':
        p++;
        return GLOBAL;
      case 'label':
        return parseComparison(t);
      case '(': {
        if (depth >= MAX_NESTING_DEPTH) fail(t, `parentheses are nested deeper than ${MAX_NESTING_DEPTH} levels`);
        depth++;
        p++;
        const inner = parseOr();
        const close = peek();
        if (close.kind !== ')') fail(close, `expected ')' to close the '(' at offset ${t.pos} but found ${describeToken(close)}`);
        p++;
        depth--;
        return inner;
      }
      default:
        return fail(t, `expected an expression but found ${describeToken(t)}`);
    }
  }

  if (peek().kind === 'eof') return ALL;
  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'eof') fail(rest, `unexpected ${describeToken(rest)} after the end of the expression`);
  return root;
}

/**
 * Parses selector text into a syntax tree, accepting and rejecting exactly what Calico's
 * validator does. An empty (or all-whitespace) selector is `all()`. The text is not trimmed:
 * a newline anywhere outside a string literal is an error.
 *
 * ## Example
 * ```ts
 * parseSelectorAst('a == "1" || b == "2" && c == "3"');
 * // { type: 'or', operands: [compare a, { type: 'and', operands: [compare b, compare c] }] }
 * ```
 * @param input The selector text.
 * @return The root of the tree.
 * @throws {SelectorParseError} With the offset and reason of the first problem.
 */
export function parseSelectorAst(input: string): SelectorNode {
  return parseTokens(input, tokenize(input));
}
