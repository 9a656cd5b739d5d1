/**
 * Kubernetes label selectors as the API server parses them (`k8s.io/apimachinery/pkg/labels`):
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * `key>1`, `key<1`, comma-separated and ANDed. Keys and values are validated like the server
 * does; a parse failure is a 400 `BadRequest` at the router.
 *
 * ## Example
 * ```ts
 * const sel = parseLabelSelector('env in (prod,staging),!legacy');
 * sel.matches({ env: 'prod' }); // true
 * ```
 *
 * @module
 */
import { isQualifiedName, isLabelValue } from './names.js';

/** Operators of one requirement. */
export type LabelOperator = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

/** One parsed requirement. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** A parsed selector. */
export interface LabelSelector {
  /** The requirements, ANDed. Empty: matches everything. */
  requirements: LabelRequirement[];
  /** True when the labels satisfy every requirement. */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '!' | '=' | '==' | '!=' | '>' | '<' | ',' | '(' | ')' }
  | { kind: 'end' };

const SPECIAL = new Set(['!', '=', ',', '(', ')', '<', '>']);

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '!' && input[i + 1] === '=') {
      out.push({ kind: 'op', text: '!=' });
      i += 2;
    } else if (c === '=' && input[i + 1] === '=') {
      out.push({ kind: 'op', text: '==' });
      i += 2;
    } else if (SPECIAL.has(c)) {
      out.push({ kind: 'op', text: c as '!' | '=' | ',' | '(' | ')' | '<' | '>' });
      i++;
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j] as string) && !/\s/.test(input[j] as string)) j++;
      out.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  out.push({ kind: 'end' });
  return out;
}

/** A token as the server's parser quotes it: its literal, empty at the end of the input. */
function describe(t: Token): string {
  return t.kind === 'end' ? "''" : `'${t.text}'`;
}

/** Thrown text of a selector parse failure (the router turns it into a 400). */
export type SelectorError = Error & { selectorError: true };

function fail(message: string): never {
  const e = new Error(message) as SelectorError;
  e.selectorError = true;
  throw e;
}

/** True when `e` came from {@link parseLabelSelector} or the field selector parser. */
export function isSelectorError(e: unknown): e is SelectorError {
  return e instanceof Error && (e as Partial<SelectorError>).selectorError === true;
}

/** An error inside one requirement; the selector parser prefixes `unable to parse requirement: `. */
class RequirementError extends Error {}

const requirementFail = (message: string): never => {
  throw new RequirementError(message);
};

function validateKey(key: string): void {
  const why = isQualifiedName(key);
  if (why) requirementFail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${why}`);
}

function validateValue(key: string, value: string, index: number): void {
  const why = isLabelValue(value);
  if (why) requirementFail(`values[${index}][${key}]: Invalid value: ${JSON.stringify(value)}: ${why}`);
}

/** The binary operators as the server lists them in its error. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const isOp = (t: Token, text: string): boolean => t.kind === 'op' && t.text === text;

/** `( values )` of `in`/`notin`; empty elements stand for the empty value. */
function parseValues(next: () => Token, peek: () => Token): string[] {
  const open = next();
  if (!isOp(open, '(')) requirementFail(`found ${describe(open)} expected: '('`);
  const first = peek();
  if (isOp(first, ')')) {
    next();
    return [''];
  }
  if (first.kind !== 'id' && !isOp(first, ',')) requirementFail(`found ${describe(first)}, expected: ',', ')' or identifier`);
  const values: string[] = [];
  for (;;) {
    const t = next();
    if (t.kind === 'id') {
      values.push(t.text);
      const after = peek();
      if (isOp(after, ',')) continue;
      if (isOp(after, ')')) break;
      requirementFail(`found ${describe(after)}, expected: ',' or ')'`);
    } else if (isOp(t, ',')) {
      if (values.length === 0) values.push('');
      const after = peek();
      if (isOp(after, ')')) {
        values.push('');
        break;
      }
      if (isOp(after, ',')) {
        next();
        values.push('');
      }
    } else {
      requirementFail(`found ${describe(t)}, expected: ',', or identifier`);
    }
  }
  next();
  return values;
}

function parseRequirement(tokens: Token[], pos: { i: number }): LabelRequirement {
  const next = (): Token => tokens[pos.i++] as Token;
  const peek = (): Token => tokens[pos.i] as Token;
  let negated = false;
  if (isOp(peek(), '!')) {
    negated = true;
    next();
  }
  const keyTok = next();
  if (keyTok.kind !== 'id') requirementFail(`found ${describe(keyTok)}, expected: identifier`);
  const key = (keyTok as { text: string }).text;
  validateKey(key);
  const after = peek();
  if (after.kind === 'end' || isOp(after, ',')) return { key, operator: negated ? '!' : 'exists', values: [] };
  // The server names the key here, not the token after it.
  if (negated) requirementFail(`found '${key}', expected: ',' or 'end of string'`);
  const opTok = next();
  let operator: LabelOperator;
  if (opTok.kind === 'id' && (opTok.text === 'in' || opTok.text === 'notin')) operator = opTok.text;
  else if (isOp(opTok, '=')) operator = '=';
  else if (isOp(opTok, '==')) operator = '==';
  else if (isOp(opTok, '!=')) operator = '!=';
  else if (isOp(opTok, '>')) operator = 'gt';
  else if (isOp(opTok, '<')) operator = 'lt';
  else return requirementFail(`found ${describe(opTok)}, expected: ${BINARY_OPERATORS}`);

  let values: string[];
  if (operator === 'in' || operator === 'notin') {
    values = parseValues(next, peek);
  } else {
    const v = peek();
    if (v.kind === 'end' || isOp(v, ',')) values = [''];
    else if (v.kind === 'id') values = [next().kind === 'id' ? v.text : ''];
    else return requirementFail(`found ${describe(v)}, expected: identifier`);
  }
  // The server keeps values as a sorted set and checks them in that order.
  values = [...new Set(values)].sort();
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) requirementFail(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  } else {
    values.forEach((v, i) => validateValue(key, v, i));
  }
  return { key, operator, values };
}

function matchOne(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value as string)) return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}

/**
 * Parses a label selector. Throws a {@link SelectorError} on bad syntax or invalid keys/values.
 *
 * @param text The `labelSelector` query value (`''` selects everything).
 * @return The parsed selector.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const tokens = tokenize(text);
  const requirements: LabelRequirement[] = [];
  const pos = { i: 0 };
  const startsRequirement = (t: Token): boolean => t.kind === 'id' || isOp(t, '!');
  const first = tokens[0] as Token;
  if (first.kind !== 'end') {
    if (!startsRequirement(first)) fail(`found ${describe(first)}, expected: !, identifier, or 'end of string'`);
    for (;;) {
      try {
        requirements.push(parseRequirement(tokens, pos));
      } catch (e) {
        if (e instanceof RequirementError) fail(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const t = tokens[pos.i++] as Token;
      if (t.kind === 'end') break;
      if (!isOp(t, ',')) fail(`found ${describe(t)}, expected: ',' or 'end of string'`);
      const after = tokens[pos.i] as Token;
      if (!startsRequirement(after)) fail(`found ${describe(after)}, expected: identifier after ','`);
    }
  }
  return {
    requirements,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => matchOne(r, l));
    },
  };
}
