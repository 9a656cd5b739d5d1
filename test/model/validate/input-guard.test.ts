import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS, assertPlainData, documentShapeError, plainDataError, readOptions } from '../../../src/model/input-guard.js';
import { isValidationError } from '../../../src/errors.js';
import { thrownBy } from '../../support/thrown.js';

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('plainDataError', () => {
  it('accepts JSON data, undefined properties and __proto__ keys as data', () => {
    expect(plainDataError({ a: [1, 'x', true, null, { b: -0 }], c: undefined })).toBeUndefined();
    expect(plainDataError(Object.create(null))).toBeUndefined();
    expect(plainDataError(JSON.parse('{"__proto__": {"x": 1}, "constructor": {"prototype": 1}}'))).toBeUndefined();
    expect(plainDataError('text')).toBeUndefined();
    expect(plainDataError(undefined)).toBeUndefined();
    const shared = { x: 1 };
    expect(plainDataError({ a: shared, b: shared })).toBeUndefined();
  });

  it('names the path and the reason of the first non-JSON value', () => {
    const cases: [unknown, string, string][] = [
      [{ spec: { ingress: [() => 1] } }, 'spec.ingress[0]', 'not a function'],
      [{ metadata: { name: Symbol('x') } }, 'metadata.name', 'not a symbol'],
      [{ spec: { order: 10n } }, 'spec.order', 'not a bigint'],
      [{ spec: { order: Number.NaN } }, 'spec.order', 'finite number'],
      [{ spec: { order: Infinity } }, 'spec.order', 'finite number'],
      [{ spec: { ports: [1, undefined] } }, 'spec.ports[1]', 'undefined inside an array'],
      [{ spec: { ports: Object.assign(new Array(3), { 0: 1, 2: 3 }) } }, 'spec.ports[1]', 'hole'],
      [{ metadata: new Map() }, 'metadata', 'not a Map'],
      [{ metadata: { creationTimestamp: new Date() } }, 'metadata.creationTimestamp', 'not a Date'],
      [{ spec: { toJSON: () => ({}) } }, 'spec', 'toJSON'],
      [{ spec: new Proxy({}, {}) }, 'spec', 'proxy'],
      [{ metadata: { labels: { 'example.com/app': () => 1 } } }, 'metadata.labels["example.com/app"]', 'function'],
    ];
    for (const [value, path, reason] of cases) {
      const error = plainDataError(value);
      expect(error?.path).toBe(path);
      expect(error?.message).toContain(reason);
    }
  });

  it('refuses getters without calling them, and never throws on hostile objects', () => {
    let called = false;
    const withGetter = Object.defineProperty({}, 'spec', { enumerable: true, get: () => ((called = true), {}) });
    expect(plainDataError(withGetter)).toMatchObject({ path: 'spec', message: expect.stringContaining('getter') });
    expect(called).toBe(false);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(plainDataError({ a: revoked.proxy })).toMatchObject({ path: 'a' });
    expect(plainDataError(new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }))).toMatchObject({ path: '' });
  });

  it('reports a cycle at the first repeated object, and nesting beyond the limit', () => {
    const doc: Record<string, unknown> = { spec: {} };
    (doc.spec as Record<string, unknown>).self = doc;
    expect(plainDataError(doc)).toEqual({ path: 'spec.self', type: 'forbidden', message: 'refers back to an object that contains it (a cycle)' });
    expect(plainDataError(nested(INPUT_LIMITS.maxDepth))).toBeUndefined();
    expect(plainDataError(nested(INPUT_LIMITS.maxDepth + 1))).toMatchObject({ type: 'tooLong', message: `is nested deeper than ${INPUT_LIMITS.maxDepth} levels` });
    // Far beyond the call stack: the walk is iterative.
    expect(plainDataError(nested(200_000))?.type).toBe('tooLong');
  });

  it('bounds the JSON size, also of shared references that expand', () => {
    expect(plainDataError({ a: 'x'.repeat(INPUT_LIMITS.maxBytes) })).toMatchObject({ path: '', type: 'tooLong' });
    expect(plainDataError({ a: 'x'.repeat(1_000_000) })).toBeUndefined();
    let bomb: unknown = ['lol'];
    for (let i = 0; i < 40; i++) bomb = [bomb, bomb];
    expect(plainDataError({ bomb })?.type).toBe('tooLong');
  });

  it('takes Dates and class instances in typed-object mode', () => {
    class V1Pod {
      metadata = { name: 'p', creationTimestamp: new Date(0) };
    }
    expect(plainDataError(new V1Pod(), { typedObjects: true })).toBeUndefined();
    expect(plainDataError({ t: new Date(Number.NaN) }, { typedObjects: true, root: 'pod' })).toMatchObject({ path: 'pod.t', message: 'must be a valid date' });
    expect(plainDataError(new V1Pod())?.message).toContain('not a V1Pod');
  });

  it('assertPlainData throws a ValidationError with the path', () => {
    const e = thrownBy(() => assertPlainData({ spec: { ingress: [{ action: () => 1 }] } }), isValidationError, 'ValidationError');
    expect(e.errors).toEqual([{ path: 'spec.ingress[0].action', type: 'invalid', message: 'must be JSON data, not a function' }]);
  });
});

describe('readOptions', () => {
  const spec = { labelSelector: 'string', limit: 'integer', onParseError: 'function' } as const;

  it('returns the known options as a fresh object', () => {
    const read = readOptions({ labelSelector: 'a=b', limit: 2, other: () => 1 }, 'options', spec);
    expect(read).toEqual({ labelSelector: 'a=b', limit: 2 });
    expect(readOptions(undefined, 'options', spec)).toEqual({});
  });

  it('names the option path of a wrong type', () => {
    const cases: [unknown, string, string][] = [
      [{ labelSelector: 42 }, 'options.labelSelector', 'must be a string'],
      [{ labelSelector: { toString: () => 'a' } }, 'options.labelSelector', 'must be a string'],
      [{ limit: -1 }, 'options.limit', 'non-negative integer'],
      [{ limit: 1.5 }, 'options.limit', 'non-negative integer'],
      [{ onParseError: 'x' }, 'options.onParseError', 'must be a function'],
      [null, 'options', 'plain object'],
      ['a=b', 'options', 'plain object'],
      [Object.defineProperty({}, 'labelSelector', { get: () => { throw new Error('x'); } }), 'options.labelSelector', 'could not be read'],
    ];
    for (const [options, path, reason] of cases) {
      const e = thrownBy(() => readOptions(options, 'options', spec), isValidationError, 'ValidationError');
      expect(e.errors[0]?.path).toBe(path);
      expect(e.errors[0]?.message).toContain(reason);
    }
  });
});

describe('documentShapeError', () => {
  it('names the metadata field the client would read', () => {
    expect(documentShapeError(null)?.path).toBe('');
    expect(documentShapeError([])?.path).toBe('');
    expect(documentShapeError({ metadata: null })?.path).toBe('metadata');
    expect(documentShapeError({ metadata: { name: { a: 1 } } })?.path).toBe('metadata.name');
    expect(documentShapeError({ metadata: { namespace: 3 } })?.path).toBe('metadata.namespace');
    expect(documentShapeError({ metadata: { name: 'a', namespace: 'b' } })).toBeUndefined();
    expect(documentShapeError({ kind: 'IPPool' })).toEqual({ path: 'metadata', type: 'required', message: 'is required' });
  });
});
