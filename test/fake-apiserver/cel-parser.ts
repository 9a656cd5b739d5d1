/**
 * A parser for the subset of CEL (Common Expression Language) that CRD `x-kubernetes-validations`
 * rules use: literals, `self`/`oldSelf` and bound variables, field selection, indexing, calls and
 * method calls, macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`), unary `!`/`-`,
 * arithmetic, comparisons, `in`, `&&`, `||` and the conditional `?:`.
 *
 * @module
 */

/** A CEL syntax tree node. */
export type CelNode =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string }
  | { k: 'sel'; target: CelNode; field: string }
  | { k: 'index'; target: CelNode; index: CelNode }
  | { k: 'call'; fn: string; target?: CelNode; args: CelNode[] }
  | { k: 'unary'; op: '!' | '-'; arg: CelNode }
  | { k: 'bin'; op: string; left: CelNode; right: CelNode }
  | { k: 'cond'; test: CelNode; then: CelNode; else: CelNode }
  | { k: 'list'; items: CelNode[] }
  | { k: 'map'; entries: [CelNode, CelNode][] };

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string } | { t: 'eof' };

/** A CEL compile (syntax) error. */
export type CelSyntaxError = Error & { celSyntax: true };

function syntax(message: string): never {
  const e = new Error(`syntax error: ${message}`) as CelSyntaxError;
  e.celSyntax = true;
  throw e;
}

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', '+', '-', '*', '/', '%'];

function readString(src: string, i: number): { value: string; end: number } {
  let raw = false;
  if (src[i] === 'r' || src[i] === 'R') {
    raw = true;
    i++;
  }
  const q = src[i] as string;
  const triple = src.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  i += close.length;
  let out = '';
  while (i < src.length && !src.startsWith(close, i)) {
    const c = src[i] as string;
    if (c === '\\' && !raw) {
      const n = src[i + 1] ?? '';
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (n in map) {
        out += map[n];
        i += 2;
      } else if (n === 'u' || n === 'x') {
        const len = n === 'u' ? 4 : 2;
        out += String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + len), 16));
        i += 2 + len;
      } else {
        syntax(`invalid escape \\${n}`);
      }
    } else {
      out += c;
      i++;
    }
  }
  if (i >= src.length) syntax('unterminated string');
  return { value: out, end: i + close.length };
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'" || ((c === 'r' || c === 'R') && (src[i + 1] === '"' || src[i + 1] === "'"))) {
      const s = readString(src, i);
      out.push({ t: 'str', v: s.value });
      i = s.end;
    } else if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?)[uU]?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0].replace(/[uU]$/, '')) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) syntax(`unexpected character '${c}'`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  out.push({ t: 'eof' });
  return out;
}

/**
 * Parses one CEL expression.
 *
 * @param src The rule text.
 * @return The syntax tree; throws a {@link CelSyntaxError} on bad input.
 */
export function parseCel(src: string): CelNode {
  const toks = lex(src);
  let p = 0;
  const peek = (): Tok => toks[p] as Tok;
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) syntax(`expected '${v}'`);
    p++;
  };

  const args = (close: string): CelNode[] => {
    const out: CelNode[] = [];
    if (isOp(close)) {
      p++;
      return out;
    }
    for (;;) {
      out.push(expr());
      if (isOp(',')) {
        p++;
        if (isOp(close)) break;
        continue;
      }
      break;
    }
    expect(close);
    return out;
  };

  const primary = (): CelNode => {
    const t = peek();
    p++;
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'id') {
      if (t.v === 'true') return { k: 'lit', v: true };
      if (t.v === 'false') return { k: 'lit', v: false };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (isOp('(')) {
        p++;
        return { k: 'call', fn: t.v, args: args(')') };
      }
      return { k: 'id', name: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      const e = expr();
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') return { k: 'list', items: args(']') };
    if (t.t === 'op' && t.v === '{') {
      const entries: [CelNode, CelNode][] = [];
      while (!isOp('}')) {
        const key = expr();
        expect(':');
        entries.push([key, expr()]);
        if (isOp(',')) p++;
        else break;
      }
      expect('}');
      return { k: 'map', entries };
    }
    return syntax(`unexpected token ${t.t === 'eof' ? 'end of input' : JSON.stringify((t as { v: unknown }).v)}`);
  };

  const member = (): CelNode => {
    let n = primary();
    for (;;) {
      if (isOp('.')) {
        p++;
        const t = peek();
        if (t.t !== 'id') syntax('expected field name');
        p++;
        if (isOp('(')) {
          p++;
          n = { k: 'call', fn: t.v, target: n, args: args(')') };
        } else {
          n = { k: 'sel', target: n, field: t.v };
        }
      } else if (isOp('[')) {
        p++;
        const index = expr();
        expect(']');
        n = { k: 'index', target: n, index };
      } else {
        return n;
      }
    }
  };

  const unary = (): CelNode => {
    if (isOp('!')) {
      p++;
      return { k: 'unary', op: '!', arg: unary() };
    }
    if (isOp('-')) {
      p++;
      return { k: 'unary', op: '-', arg: unary() };
    }
    return member();
  };

  const binary = (next: () => CelNode, ops: string[]): (() => CelNode) => {
    return () => {
      let left = next();
      for (;;) {
        const t = peek();
        const op = t.t === 'op' && ops.includes(t.v) ? t.v : t.t === 'id' && t.v === 'in' && ops.includes('in') ? 'in' : undefined;
        if (!op) return left;
        p++;
        left = { k: 'bin', op, left, right: next() };
      }
    };
  };

  const mul = binary(unary, ['*', '/', '%']);
  const add = binary(mul, ['+', '-']);
  const rel = binary(add, ['==', '!=', '<', '<=', '>', '>=', 'in']);
  const and = binary(rel, ['&&']);
  const or = binary(and, ['||']);

  function expr(): CelNode {
    const test = or();
    if (isOp('?')) {
      p++;
      const then = expr();
      expect(':');
      return { k: 'cond', test, then, else: expr() };
    }
    return test;
  }

  const root = expr();
  if (peek().t !== 'eof') syntax('unexpected trailing input');
  return root;
}
