/**
 * Values a hostile or careless caller hands the public API: everything that is not plain JSON
 * data (functions, symbols, bigints, class instances, proxies, throwing getters and conversions,
 * cycles), JSON data beyond the input limits (deep nesting, huge strings, shared references that
 * expand), prototype-pollution keys, and ordinary JSON of the wrong type.
 *
 * The expensive values (a 10,000-level document, a 2 MB string) are built once and shared.
 *
 * @module
 */
import fc from 'fast-check';

function deepObject(depth: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function deepArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function cyclic(): unknown {
  const o: Record<string, unknown> = { name: 'loop' };
  o.self = o;
  return o;
}

function expandingRefs(): unknown {
  let v: unknown = ['lol', 'lol', 'lol'];
  for (let i = 0; i < 30; i++) v = [v, v, v];
  return v;
}

class Custom {
  name = 'custom';
  spec = { cidr: '10.0.0.0/16' };
}

const throwing = (): never => {
  throw new Error('hostile');
};

/** Built once: costly to make, and sharing them is part of what is tested. */
const SHARED = {
  deepObject: deepObject(10_000),
  deepArray: deepArray(10_000),
  justTooDeep: deepObject(101),
  hugeString: 'x'.repeat(2_000_000),
  expanding: expandingRefs(),
};

/** One factory per hostile value, so each call gets a fresh one where freshness matters. */
const FACTORIES: readonly (() => unknown)[] = [
  () => null,
  () => undefined,
  () => () => 'fn',
  () => Symbol('hostile'),
  () => 10n,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => -0,
  () => 2 ** 60,
  () => ({ toJSON: throwing }),
  () => ({ toString: throwing, valueOf: throwing }),
  () => ({ [Symbol.toPrimitive]: throwing }),
  () => Object.create(null),
  () => Object.defineProperty({}, 'name', { enumerable: true, get: throwing }),
  () => Object.defineProperty({ a: 1 }, 'b', { enumerable: true, get: () => 'changing' }),
  () => new Proxy({}, { get: throwing, ownKeys: throwing, getOwnPropertyDescriptor: throwing, getPrototypeOf: throwing, has: throwing }),
  () => new Proxy({ name: 'p', namespace: 'ns' }, {}),
  () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
  () => new Map([['a', 1]]),
  () => new Set([1]),
  () => new Date(),
  () => new Date(Number.NaN),
  () => new Custom(),
  () => new Uint8Array([1, 2, 3]),
  () => Buffer.from('abc'),
  () => /regex/,
  () => new Error('an error'),
  () => Promise.resolve(1),
  () => new Array(3),
  () => [1, undefined, 3],
  () => [() => 1],
  () => cyclic(),
  () => SHARED.deepObject,
  () => SHARED.deepArray,
  () => SHARED.justTooDeep,
  () => SHARED.hugeString,
  () => SHARED.expanding,
  () => JSON.parse('{"__proto__": {"polluted": true}}'),
  () => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  () => ({ prototype: { polluted: true } }),
  () => 'a\u0000b\u202e\ud800',
  () => '',
  () => ' ',
  () => 'UPPER_case.name',
  () => 'x'.repeat(300),
  () => [],
  () => ({}),
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
];

/**
 * Stands for one hostile value in a generated input. fast-check inspects what it generates (a
 * revoked proxy would break it), so inputs hold these references and {@link materialize} puts
 * the real values in just before the call.
 */
export class HostileRef {
  constructor(readonly index: number) {}
  /** How fast-check shows it in a counterexample. */
  toString(): string {
    return `hostile#${this.index}`;
  }
}

/** Any one hostile value, as a reference. */
export const hostileValueArb: fc.Arbitrary<unknown> = fc.integer({ min: 0, max: FACTORIES.length - 1 }).map((i) => new HostileRef(i));

/** Hostile values, ordinary JSON of any type, and arbitrary JS values, mixed. */
export const anyValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileValueArb },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withObjectString: true, withBoxedValues: true }) },
);

/**
 * A generated input with every {@link HostileRef} replaced by a fresh hostile value. Only arrays
 * and plain objects (which fast-check built, a few levels deep) are walked.
 *
 * @param value The generated input.
 * @return The input to call with.
 */
export function materialize(value: unknown): unknown {
  if (value instanceof HostileRef) return FACTORIES[value.index]!();
  if (Array.isArray(value)) return value.map(materialize);
  if (value === null || typeof value !== 'object') return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: materialize(v), enumerable: true, writable: true, configurable: true });
  return out;
}
