/**
 * Kubernetes label selectors (`k8s.io/apimachinery/pkg/labels` syntax) for backends that filter
 * on the client side (memory, etcd).
 *
 * Grammar: requirements separated by `,` and ANDed. A requirement is `key` (exists), `!key`
 * (does not exist), `key=value` / `key==value`, `key!=value`, `key in (v1,v2)`,
 * `key notin (v1,v2)`, `key>n` or `key<n` (integers). Whitespace around tokens is ignored. Keys are
 * Kubernetes qualified names (`prefix/name`), values are label values (at most 63 characters,
 * alphanumeric at both ends, `-_.` inside, or empty). An empty selector matches everything.
 *
 * `!=` and `notin` also match objects that lack the label, as on Kubernetes.
 *
 * @module
 */
import { ValidationError } from '../errors.js';

/** Operator of one {@link LabelRequirement}. */
export type LabelOperator = 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'GreaterThan' | 'LessThan';

/** One requirement of a selector. */
export interface LabelRequirement {
  /** The label key. */
  readonly key: string;
  /** How the label is compared. */
  readonly operator: LabelOperator;
  /** Operand values: none for Exists/DoesNotExist, one for Equals/NotEquals/GreaterThan/LessThan, one or more for In/NotIn. */
  readonly values: readonly string[];
}

/** A parsed label selector. */
export interface LabelSelector {
  /** The requirements, all of which must hold. Empty: the selector matches everything. */
  readonly requirements: readonly LabelRequirement[];
  /**
   * Tests a label map.
   *
   * @param labels The object's labels; `undefined` is treated as no labels.
   * @return True when every requirement holds.
   */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

type OpToken = '!' | '=' | '==' | '!=' | '>' | '<' | ',' | '(' | ')';
type Token = { kind: 'word'; text: string; pos: number } | { kind: 'op'; text: OpToken; pos: number } | { kind: 'end'; pos: number };

const OP_CHARS = new Set(['!', '=', ',', '(', ')', '<', '>']);
const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const INTEGER_RE = /^[-+]?[0-9]+$/;

function tokenize(text: string, fail: (pos: number, message: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (OP_CHARS.has(c)) {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        tokens.push({ kind: 'op', text: two, pos: i });
        i += 2;
      } else {
        tokens.push({ kind: 'op', text: c as OpToken, pos: i });
        i++;
      }
      continue;
    }
    const start = i;
    while (i < text.length && !OP_CHARS.has(text[i] as string) && !/\s/.test(text[i] as string)) i++;
    tokens.push({ kind: 'word', text: text.slice(start, i), pos: start });
  }
  tokens.push({ kind: 'end', pos: text.length });
  if (tokens.length > 10_000) fail(0, 'selector has too many tokens');
  return tokens;
}

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0) return 'the key prefix must not be empty';
    if (prefix.length > 253 || !prefix.split('.').every((l) => DNS_LABEL_RE.test(l) && l.length <= 63)) {
      return 'the key prefix must be a lower-case DNS subdomain';
    }
  }
  if (name.length === 0) return 'the key name must not be empty';
  if (name.length > 63) return 'the key name must be at most 63 characters';
  if (!NAME_RE.test(name)) return 'the key name must be alphanumeric at both ends with only "-", "_" or "." inside';
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'a label value must be at most 63 characters';
  if (!NAME_RE.test(value)) return 'a label value must be empty or alphanumeric at both ends with only "-", "_" or "." inside';
  return undefined;
}

function matchRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Equals':
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'GreaterThan':
    case 'LessThan': {
      if (value === undefined || !INTEGER_RE.test(value)) return false;
      const actual = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly fail: (pos: number, message: string) => never,
  ) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.index++;
    return t;
  }

  private describe(t: Token): string {
    return t.kind === 'end' ? 'end of selector' : `"${t.text}"`;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return out;
    for (;;) {
      out.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return out;
      if (!(t.kind === 'op' && t.text === ',')) this.fail(t.pos, `found ${this.describe(t)}, expected "," or end of selector`);
    }
  }

  private key(): string {
    const t = this.next();
    if (t.kind !== 'word') this.fail(t.pos, `found ${this.describe(t)}, expected a label key`);
    const problem = keyProblem(t.text);
    if (problem) this.fail(t.pos, `invalid label key "${t.text}": ${problem}`);
    return t.text;
  }

  private value(): string {
    const t = this.peek();
    if (t.kind === 'end' || (t.kind === 'op' && t.text === ',')) return '';
    if (t.kind !== 'word') this.fail(t.pos, `found ${this.describe(t)}, expected a label value`);
    this.next();
    const problem = valueProblem(t.text);
    if (problem) this.fail(t.pos, `invalid label value "${t.text}": ${problem}`);
    return t.text;
  }

  private valueList(): string[] {
    const open = this.next();
    if (!(open.kind === 'op' && open.text === '(')) this.fail(open.pos, `found ${this.describe(open)}, expected "("`);
    const values = new Set<string>();
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.kind === 'op' && t.text === ')') {
        if (expectValue && values.size > 0) values.add('');
        break;
      }
      if (t.kind === 'op' && t.text === ',') {
        if (expectValue) values.add('');
        expectValue = true;
        continue;
      }
      if (t.kind === 'word' && expectValue) {
        const problem = valueProblem(t.text);
        if (problem) this.fail(t.pos, `invalid label value "${t.text}": ${problem}`);
        values.add(t.text);
        expectValue = false;
        continue;
      }
      this.fail(t.pos, `found ${this.describe(t)}, expected ${expectValue ? 'a value' : '"," or ")"'}`);
    }
    if (values.size === 0) this.fail(open.pos, 'the value list of "in" and "notin" must not be empty');
    return [...values];
  }

  private requirement(): LabelRequirement {
    const first = this.peek();
    if (first.kind === 'op' && first.text === '!') {
      this.next();
      const key = this.key();
      const after = this.peek();
      if (!(after.kind === 'end' || (after.kind === 'op' && after.text === ','))) {
        this.fail(after.pos, `found ${this.describe(after)}, expected "," or end of selector after "!${key}"`);
      }
      return { key, operator: 'DoesNotExist', values: [] };
    }
    const key = this.key();
    const op = this.peek();
    if (op.kind === 'end' || (op.kind === 'op' && op.text === ',')) return { key, operator: 'Exists', values: [] };
    if (op.kind === 'word') {
      if (op.text === 'in' || op.text === 'notin') {
        this.next();
        return { key, operator: op.text === 'in' ? 'In' : 'NotIn', values: this.valueList() };
      }
      this.fail(op.pos, `found ${this.describe(op)}, expected an operator (=, ==, !=, in, notin, >, <)`);
    }
    this.next();
    switch (op.text) {
      case '=':
      case '==':
        return { key, operator: 'Equals', values: [this.value()] };
      case '!=':
        return { key, operator: 'NotEquals', values: [this.value()] };
      case '>':
      case '<': {
        const t = this.next();
        if (t.kind !== 'word' || !INTEGER_RE.test(t.text)) this.fail(t.pos, `found ${this.describe(t)}, expected an integer after "${op.text}"`);
        return { key, operator: op.text === '>' ? 'GreaterThan' : 'LessThan', values: [String(Number(t.text))] };
      }
      default:
        return this.fail(op.pos, `found ${this.describe(op)}, expected an operator (=, ==, !=, in, notin, >, <)`);
    }
  }
}

/**
 * Parses a Kubernetes label selector.
 *
 * ## Example
 * ```ts
 * const sel = parseLabelSelector('env in (prod,staging),!legacy,tier!=db');
 * sel.matches({ env: 'prod', tier: 'web' }); // true
 * sel.matches({ env: 'prod', legacy: 'yes' }); // false
 * ```
 *
 * @param text The selector; empty or whitespace-only selects everything.
 * @param field Field path named in the error (default `labelSelector`).
 * @return The parsed selector.
 * @throws ValidationError naming `field`, with the character position, when the syntax is invalid
 *   or `text` is not a string.
 */
export function parseLabelSelector(text: string, field = 'labelSelector'): LabelSelector {
  if (typeof text !== 'string') throw new ValidationError([{ path: typeof field === 'string' ? field : 'labelSelector', type: 'invalid', message: 'must be a string' }]);
  const fail = (pos: number, message: string): never => {
    throw new ValidationError([{ path: field, type: 'invalid', message: `invalid label selector at position ${pos}: ${message}` }]);
  };
  const requirements = Object.freeze(new Parser(tokenize(text, fail), fail).parse().map((r) => Object.freeze({ ...r, values: Object.freeze([...r.values]) })));
  return Object.freeze({
    requirements,
    matches(labels: Readonly<Record<string, string>> | undefined): boolean {
      const l = labels ?? {};
      return requirements.every((r) => matchRequirement(r, l));
    },
  });
}

/**
 * Renders requirements in the canonical Kubernetes form (`a in (x,y),!b,c=d`), values sorted
 * within `in`/`notin` lists. Parsing the result gives an equivalent selector.
 *
 * @param selector A parsed selector.
 * @return The selector text; empty for a selector that matches everything.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Equals':
          return `${r.key}=${r.values[0] ?? ''}`;
        case 'NotEquals':
          return `${r.key}!=${r.values[0] ?? ''}`;
        case 'In':
        case 'NotIn':
          return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${[...r.values].sort().join(',')})`;
        case 'GreaterThan':
          return `${r.key}>${r.values[0] ?? ''}`;
        case 'LessThan':
          return `${r.key}<${r.values[0] ?? ''}`;
      }
    })
    .join(',');
}
