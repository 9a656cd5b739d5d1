/**
 * Evaluates parsed CEL expressions over JSON data with the parts of the Kubernetes CEL library
 * that CRD rules use: strings (`contains`, `startsWith`, `matches`, ...), lists and maps (`size`,
 * `in`, `all`, `exists`, `exists_one`, `map`, `filter`), and the IP/CIDR library (`ip()`,
 * `cidr()`, `containsIP`, `containsCIDR`, `masked`, `prefixLength`, `family`).
 *
 * Semantics follow CEL: `&&`/`||` absorb errors when the other side decides the result,
 * equality across different types is `false`, a missing field is an error (use `has()`).
 *
 * @module
 */
import {
  networkContains,
  networkContainsAddress,
  parseIPAddress,
  parseIPNetwork,
  type IPAddress,
  type IPNetwork,
} from '../../src/model/net.js';
import type { CelNode } from './cel-parser.js';

/** A CEL `net.IP` value. */
export interface CelIp {
  celType: 'ip';
  addr: IPAddress;
}

/** A CEL `net.CIDR` value. */
export interface CelCidr {
  celType: 'cidr';
  net: IPNetwork;
}

/** A CEL runtime error. */
export type CelEvalError = Error & { celEval: true };

function err(message: string): never {
  const e = new Error(message) as CelEvalError;
  e.celEval = true;
  throw e;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !('celType' in (v as object));
const isIp = (v: unknown): v is CelIp => !!v && typeof v === 'object' && (v as CelIp).celType === 'ip';
const isCidr = (v: unknown): v is CelCidr => !!v && typeof v === 'object' && (v as CelCidr).celType === 'cidr';

function typeName(v: unknown): string {
  if (v === null) return 'null_type';
  if (Array.isArray(v)) return 'list';
  if (isIp(v)) return 'net.IP';
  if (isCidr(v)) return 'net.CIDR';
  if (isMap(v)) return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

const bytesEq = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** CEL equality (heterogeneous comparisons are false). */
export function celEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (isIp(a) && isIp(b)) return bytesEq(a.addr.bytes, b.addr.bytes);
  if (isCidr(a) && isCidr(b)) return bytesEq(a.net.address.bytes, b.net.address.bytes) && a.net.prefixLength === b.net.prefixLength;
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && celEquals(a[k], b[k]));
  }
  return a === b;
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') err(`no such overload: ${what} applied to ${typeName(v)}`);
  return v;
}

function toIp(v: unknown): CelIp {
  if (isIp(v)) return v;
  if (typeof v !== 'string') err(`no such overload: ip(${typeName(v)})`);
  const addr = parseIPAddress(v);
  if (!addr) err(`IP Address ${JSON.stringify(v)} parse error during conversion from string: ParseAddr(${JSON.stringify(v)}): unable to parse IP`);
  return { celType: 'ip', addr };
}

function toCidr(v: unknown): CelCidr {
  if (isCidr(v)) return v;
  if (typeof v !== 'string') err(`no such overload: cidr(${typeName(v)})`);
  const net = v.includes('/') ? parseIPNetwork(v) : undefined;
  if (!net) err(`network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(v)}): invalid prefix`);
  return { celType: 'cidr', net };
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const ok = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!ok) err(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`);
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function arith(op: string, a: unknown, b: unknown): unknown {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a !== 'number' || typeof b !== 'number') err(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`);
  const ints = Number.isInteger(a) && Number.isInteger(b);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (ints && b === 0) err('division by zero');
      return ints ? Math.trunc(a / b) : a / b;
    default:
      if (b === 0) err('modulus by zero');
      return a % b;
  }
}

/** Translates an RE2 pattern to a JavaScript RegExp (inline `(?i)` becomes the `i` flag). */
export function re2(pattern: string): RegExp {
  const insensitive = pattern.includes('(?i)');
  return new RegExp(pattern.replace(/\(\?i\)/g, ''), insensitive ? 'iu' : 'u');
}

function size(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return err(`no such overload: size(${typeName(v)})`);
}

function method(name: string, target: unknown, a: unknown[]): unknown {
  const s = (i: number): string => {
    const v = a[i];
    if (typeof v !== 'string') err(`no such overload: ${name}(${typeName(v)})`);
    return v;
  };
  if (name === 'size') return size(target);
  if (typeof target === 'string') {
    switch (name) {
      case 'contains':
        return target.includes(s(0));
      case 'startsWith':
        return target.startsWith(s(0));
      case 'endsWith':
        return target.endsWith(s(0));
      case 'matches':
        return re2(s(0)).test(target);
      case 'lowerAscii':
        return target.replace(/[A-Z]/g, (c) => c.toLowerCase());
      case 'upperAscii':
        return target.replace(/[a-z]/g, (c) => c.toUpperCase());
      case 'trim':
        return target.trim();
      case 'split':
        return target.split(s(0));
      case 'indexOf':
        return target.indexOf(s(0));
      case 'lastIndexOf':
        return target.lastIndexOf(s(0));
      case 'replace':
        return target.split(s(0)).join(s(1));
      case 'substring':
        return target.substring(a[0] as number, a.length > 1 ? (a[1] as number) : undefined);
    }
  }
  if (Array.isArray(target) && name === 'join') return target.map(String).join(a.length ? s(0) : '');
  if (isIp(target)) {
    const b = target.addr.bytes;
    switch (name) {
      case 'family':
        return target.addr.family;
      case 'isUnspecified':
        return b.every((x) => x === 0);
      case 'isLoopback':
        return target.addr.family === 4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
      case 'isLinkLocalUnicast':
        return target.addr.family === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && ((b[1] as number) & 0xc0) === 0x80;
    }
  }
  if (isCidr(target)) {
    switch (name) {
      case 'containsIP':
        return networkContainsAddress(target.net, toIp(a[0]).addr);
      case 'containsCIDR':
        return networkContains(target.net, toCidr(a[0]).net);
      case 'ip':
        return { celType: 'ip', addr: target.net.address } satisfies CelIp;
      case 'prefixLength':
        return target.net.prefixLength;
      case 'masked':
        return toCidr(target.net.text);
    }
  }
  return err(`no such overload: ${typeName(target)}.${name}()`);
}

function func(name: string, a: unknown[]): unknown {
  const x = a[0];
  switch (name) {
    case 'size':
      return size(x);
    case 'cidr':
      return toCidr(x);
    case 'ip':
      return toIp(x);
    case 'isCIDR':
      return typeof x === 'string' && x.includes('/') && parseIPNetwork(x) !== undefined;
    case 'isIP':
      return typeof x === 'string' && parseIPAddress(x) !== undefined;
    case 'int':
    case 'uint':
      return typeof x === 'string' ? (/^-?\d+$/.test(x) ? Number(x) : err(`cannot convert ${JSON.stringify(x)} to int`)) : Math.trunc(Number(x));
    case 'double':
      return Number(x);
    case 'string':
      if (isIp(x)) return x.addr.text;
      if (isCidr(x)) return `${x.net.address.text}/${x.net.prefixLength}`;
      return typeof x === 'string' ? x : JSON.stringify(x);
    case 'bool':
      return x === true || x === 'true';
    case 'dyn':
      return x;
  }
  return err(`undeclared reference to '${name}'`);
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/**
 * Evaluates an expression.
 *
 * @param node The syntax tree.
 * @param vars Variable bindings (`self`, `oldSelf`, ...).
 * @return The value; throws a {@link CelEvalError} on runtime errors.
 */
export function evalCel(node: CelNode, vars: ReadonlyMap<string, unknown>): unknown {
  const ev = (n: CelNode, v: ReadonlyMap<string, unknown> = vars): unknown => evalCel(n, v);
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'id':
      if (!vars.has(node.name)) err(`undeclared reference to '${node.name}'`);
      return vars.get(node.name);
    case 'sel': {
      const t = ev(node.target);
      if (!isMap(t)) err(`no such overload: field selection on ${typeName(t)}`);
      if (!Object.prototype.hasOwnProperty.call(t, node.field)) err(`no such key: ${node.field}`);
      return t[node.field];
    }
    case 'index': {
      const t = ev(node.target);
      const i = ev(node.index);
      if (Array.isArray(t) && typeof i === 'number') return i >= 0 && i < t.length ? t[i] : err(`index out of range: ${i}`);
      if (isMap(t) && typeof i === 'string') return i in t ? t[i] : err(`no such key: ${i}`);
      return err(`no such overload: index ${typeName(t)}[${typeName(i)}]`);
    }
    case 'list':
      return node.items.map((n) => ev(n));
    case 'map':
      return Object.fromEntries(node.entries.map(([k, v]) => [String(ev(k)), ev(v)]));
    case 'unary': {
      const a = ev(node.arg);
      if (node.op === '!') return !bool(a, '!');
      if (typeof a !== 'number') err(`no such overload: -${typeName(a)}`);
      return -a;
    }
    case 'cond':
      return bool(ev(node.test), '?:') ? ev(node.then) : ev(node.else);
    case 'bin':
      return binary(node.op, node.left, node.right, ev);
    case 'call':
      return call(node, vars, ev);
  }
}

function binary(op: string, l: CelNode, r: CelNode, ev: (n: CelNode) => unknown): unknown {
  if (op === '&&' || op === '||') {
    const decisive = op === '||';
    const side = (n: CelNode): { v?: boolean; e?: unknown } => {
      try {
        return { v: bool(ev(n), op) };
      } catch (e) {
        return { e };
      }
    };
    const a = side(l);
    if (a.v === decisive) return decisive;
    const b = side(r);
    if (b.v === decisive) return decisive;
    if (a.e) throw a.e;
    if (b.e) throw b.e;
    return !decisive;
  }
  const a = ev(l);
  const b = ev(r);
  switch (op) {
    case '==':
      return celEquals(a, b);
    case '!=':
      return !celEquals(a, b);
    case 'in':
      if (Array.isArray(b)) return b.some((x) => celEquals(a, x));
      if (isMap(b)) return typeof a === 'string' && a in b;
      return err(`no such overload: ${typeName(a)} in ${typeName(b)}`);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, a, b);
    default:
      return arith(op, a, b);
  }
}

function call(node: Extract<CelNode, { k: 'call' }>, vars: ReadonlyMap<string, unknown>, ev: (n: CelNode, v?: ReadonlyMap<string, unknown>) => unknown): unknown {
  if (node.fn === 'has' && !node.target) {
    const arg = node.args[0];
    if (!arg || arg.k !== 'sel') err('invalid argument to has() macro');
    const t = ev(arg.target);
    if (!isMap(t)) err(`no such overload: has() on ${typeName(t)}`);
    return Object.prototype.hasOwnProperty.call(t, arg.field) && t[arg.field] !== undefined;
  }
  if (node.target && MACROS.has(node.fn)) {
    const coll = ev(node.target);
    const items = Array.isArray(coll) ? coll : isMap(coll) ? Object.keys(coll) : err(`no such overload: ${node.fn} on ${typeName(coll)}`);
    const varNode = node.args[0];
    if (!varNode || varNode.k !== 'id') err(`${node.fn}() requires a variable name`);
    const bind = (x: unknown): Map<string, unknown> => new Map([...vars, [varNode.name, x]]);
    const body = node.args[node.args.length - 1] as CelNode;
    const pred = (x: unknown): boolean => bool(ev(body, bind(x)), node.fn);
    switch (node.fn) {
      case 'all':
        return items.every(pred);
      case 'exists':
        return items.some(pred);
      case 'exists_one':
        return items.filter(pred).length === 1;
      case 'filter':
        return items.filter(pred);
      default:
        if (node.args.length === 3) return items.filter((x) => bool(ev(node.args[1] as CelNode, bind(x)), 'map')).map((x) => ev(body, bind(x)));
        return items.map((x) => ev(body, bind(x)));
    }
  }
  const args = node.args.map((a) => ev(a));
  return node.target ? method(node.fn, ev(node.target), args) : func(node.fn, args);
}
