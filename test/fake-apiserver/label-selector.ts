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

function describe(t: Token): string {
  return t.kind === 'end' ? 'EOS' : `'${t.text}'`;
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

function validateKey(key: string): void {
  const why = isQualifiedName(key);
  if (why) fail(`unable to parse requirement: <nil>: Invalid value: ${JSON.stringify(key)}: ${why}`);
}

function validateValue(key: string, value: string, index: number): void {
  const why = isLabelValue(value);
  if (why) fail(`unable to parse requirement: values[${index}][${key}]: Invalid value: ${JSON.stringify(value)}: ${why}`);
}

function parseRequirement(tokens: Token[], pos: { i: number }): LabelRequirement {
  const next = (): Token => tokens[pos.i++] as Token;
  const peek = (): Token => tokens[pos.i] as Token;
  let negated = false;
  if (peek().kind === 'op' && (peek() as { text: string }).text === '!') {
    negated = true;
    next();
  }
  const keyTok = next();
  if (keyTok.kind !== 'id') fail(`unable to parse requirement: found ${describe(keyTok)}, expected: identifier`);
  const key = keyTok.text;
  validateKey(key);
  const after = peek();
  if (after.kind === 'end' || (after.kind === 'op' && after.text === ',')) {
    return { key, operator: negated ? '!' : 'exists', values: [] };
  }
  if (negated) fail(`unable to parse requirement: found ${describe(after)}, expected: ',' or 'end of string'`);
  const opTok = next();
  let operator: LabelOperator;
  if (opTok.kind === 'id' && (opTok.text === 'in' || opTok.text === 'notin')) operator = opTok.text;
  else if (opTok.kind === 'op' && opTok.text === '=') operator = '=';
  else if (opTok.kind === 'op' && opTok.text === '==') operator = '==';
  else if (opTok.kind === 'op' && opTok.text === '!=') operator = '!=';
  else if (opTok.kind === 'op' && opTok.text === '>') operator = 'gt';
  else if (opTok.kind === 'op' && opTok.text === '<') operator = 'lt';
  else fail(`found ${describe(opTok)}, expected: ${['in', 'notin', '=', '==', '!=', 'gt', 'lt'].map((s) => `'${s}'`).join(', ')}`);

  const values: string[] = [];
  if (operator === 'in' || operator === 'notin') {
    const open = next();
    if (open.kind !== 'op' || open.text !== '(') fail(`found ${describe(open)}, expected: '('`);
    const isOp = (t: Token, text: string): boolean => t.kind === 'op' && t.text === text;
    if (isOp(peek(), ')')) {
      next();
      values.push('');
    } else {
      for (;;) {
        const t = next();
        if (t.kind === 'id') {
          values.push(t.text);
          const after2 = peek();
          if (isOp(after2, ',')) continue;
          if (isOp(after2, ')')) {
            next();
            break;
          }
          fail(`found ${describe(after2)}, expected: ',' or ')'`);
        } else if (isOp(t, ',')) {
          // Empty elements ("(,a)", "(a,,b)", "(a,)") stand for the empty value.
          if (values.length === 0) values.push('');
          const after2 = peek();
          if (isOp(after2, ')')) {
            next();
            values.push('');
            break;
          }
          if (isOp(after2, ',')) {
            next();
            values.push('');
          }
        } else {
          fail(`found ${describe(t)}, expected: ',', or identifier`);
        }
      }
    }
  } else {
    const v = peek();
    if (v.kind === 'id') {
      values.push(v.text);
      next();
    } else if (v.kind === 'end' || (v.kind === 'op' && v.text === ',')) {
      if (operator === 'gt' || operator === 'lt') fail(`found ${describe(v)}, expected: identifier`);
      values.push('');
    } else {
      fail(`found ${describe(v)}, expected: identifier`);
    }
  }
  if (operator === 'gt' || operator === 'lt') {
    if (!/^-?\d+$/.test(values[0] as string)) {
      fail(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    }
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
  if ((tokens[0] as Token).kind !== 'end') {
    for (;;) {
      requirements.push(parseRequirement(tokens, pos));
      const t = tokens[pos.i] as Token;
      if (t.kind === 'end') break;
      if (t.kind === 'op' && t.text === ',') {
        pos.i++;
        continue;
      }
      fail(`found ${describe(t)}, expected: ',' or 'end of string'`);
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
