/**
 * validate(): the envelope, the merge of schema, metadata and semantic errors, and the guarantee
 * that it never throws (property tests, more than 10,000 runs in total).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError, type FieldError, type FieldErrorType } from '../../../src/errors.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { validate, isValid, type ValidationResult } from '../../../src/model/validate.js';
import { anyValidDocArb, validDocs } from './fixtures.js';

const TYPES = new Set<FieldErrorType>(['required', 'invalid', 'forbidden', 'duplicate', 'tooLong', 'tooMany', 'notSupported', 'immutable']);
const PATH = /^(|[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])((\.[A-Za-z_$][\w$]*)|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*$/;

/** The structural promises every result keeps, whatever the input. */
function expectWellFormed(result: ValidationResult): void {
  expect(typeof result.valid).toBe('boolean');
  expect(result.valid).toBe(result.errors.length === 0);
  for (const e of result.errors as FieldError[]) {
    expect(typeof e.path).toBe('string');
    expect(e.path).toMatch(PATH);
    expect(TYPES.has(e.type)).toBe(true);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe('envelope', () => {
  it('needs an object', () => {
    for (const input of [undefined, null, 0, 'IPPool', [], true]) {
      const r = validate(input);
      expect(r.valid).toBe(false);
      expect(r.errors).toEqual([expect.objectContaining({ path: '', type: 'invalid' })]);
    }
  });

  it('needs apiVersion exactly projectcalico.org/v3', () => {
    const pool = validDocs().IPPool;
    for (const apiVersion of ['projectcalico.org/v1', 'crd.projectcalico.org/v1', 'PROJECTCALICO.ORG/V3', 'v3']) {
      expect(validate({ ...pool, apiVersion }).errors, apiVersion).toEqual([{ path: 'apiVersion', type: 'notSupported', message: 'must be projectcalico.org/v3', value: apiVersion }]);
    }
    const { apiVersion: _dropped, ...noVersion } = pool;
    expect(validate(noVersion).errors).toEqual([{ path: 'apiVersion', type: 'required', message: 'is required' }]);
  });

  it('needs a known kind, case-sensitive', () => {
    const pool = validDocs().IPPool;
    expect(validate({ ...pool, kind: 'ippool' }).errors).toEqual([expect.objectContaining({ path: 'kind', type: 'notSupported' })]);
    expect(validate({ ...pool, kind: 'BGPPeer' }).errors).toEqual([expect.objectContaining({ path: 'kind', type: 'notSupported' })]);
    expect(validate({ ...pool, kind: undefined }).errors).toEqual([{ path: 'kind', type: 'required', message: 'is required' }]);
    expect(validate({ ...pool, kind: 5 }).errors).toEqual([expect.objectContaining({ path: 'kind', type: 'notSupported' })]);
  });
});

describe('validate', () => {
  it('accepts the defaulted sample of every kind', () => {
    for (const doc of Object.values(validDocs())) {
      const result = validate(applyDefaults(doc));
      expect(result.errors, doc.kind).toEqual([]);
      expect(result.valid).toBe(true);
      expect(isValid(applyDefaults(doc))).toBe(true);
    }
  });

  it('lists every failing field, each with a JSON path, across schema, metadata and kind rules', () => {
    const doc = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'Pool_1', namespace: 'default', labels: { '-bad': 'ok' } },
      spec: { cidr: '10.0.0.1/24', ipipMode: 'always', allowedUses: ['Garbage'], colour: 'blue' },
    };
    const paths = validate(doc).errors.map((e) => e.path);
    for (const p of ['metadata.name', 'metadata.namespace', 'metadata.labels["-bad"]', 'spec.cidr', 'spec.ipipMode', 'spec.allowedUses[0]', 'spec.colour']) {
      expect(paths, p).toContain(p);
    }
  });

  it('reports a problem found by two stages once', () => {
    const pool = validDocs().IPPool;
    pool.metadata.name = 'a'.repeat(300);
    const errors = validate(pool).errors.filter((e) => e.path === 'metadata.name');
    expect(errors).toEqual([{ path: 'metadata.name', type: 'tooLong', message: 'must be at most 253 characters' }]);
  });

  it('still runs the metadata and kind rules when the schema fails', () => {
    const policy = validDocs().NetworkPolicy as unknown as Record<string, Record<string, unknown>>;
    policy.spec!.unknownField = true;
    policy.metadata!.name = 'Bad_Name';
    const paths = validate(policy).errors.map((e) => e.path);
    expect(paths).toContain('spec.unknownField');
    expect(paths).toContain('metadata.name');
  });

  it('does not modify its input', () => {
    const doc = validDocs().WorkloadEndpoint;
    const before = structuredClone(doc);
    validate(doc);
    expect(doc).toEqual(before);
  });

  it('survives hostile objects without throwing', () => {
    const throwing = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' } } as Record<string, unknown>;
    Object.defineProperty(throwing, 'spec', { enumerable: true, get: () => { throw new Error('boom'); } });
    expectWellFormed(validate(throwing));
    expect(validate(throwing).valid).toBe(false);
    const proxy = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    expectWellFormed(validate(proxy));
    const cyclic: Record<string, unknown> = { ...validDocs().Tier };
    (cyclic.spec as Record<string, unknown>).self = cyclic;
    expectWellFormed(validate(cyclic));
    expect(validate(cyclic).errors).toContainEqual(expect.objectContaining({ path: 'spec.self', type: 'forbidden' }));
  });
});

describe('validate never throws (property)', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withTypedArray: true, withSparseArray: true }), (v) => {
        expectWellFormed(validate(v));
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary JSON, alone and inside a correct envelope', () => {
    const kinds = fc.constantFrom('IPPool', 'Node', 'WorkloadEndpoint', 'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier');
    fc.assert(
      fc.property(fc.json(), (text) => expectWellFormed(validate(JSON.parse(text)))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(kinds, fc.jsonValue(), fc.jsonValue(), (kind, metadata, spec) => {
        expectWellFormed(validate({ apiVersion: 'projectcalico.org/v3', kind, metadata, spec }));
      }),
      { numRuns: 2000 },
    );
  });

  it('on valid documents with random mutations', () => {
    const mutation = fc.record({ pathSeed: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), value: fc.oneof(fc.jsonValue(), fc.constant(undefined)), op: fc.constantFrom('set', 'delete', 'add') });
    fc.assert(
      fc.property(anyValidDocArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (doc, mutations) => {
        const target = structuredClone(doc) as unknown as Record<string, unknown>;
        for (const m of mutations) mutate(target, m.pathSeed, m.op, m.value);
        const result = validate(target);
        expectWellFormed(result);
        // applyDefaults refuses what is not JSON data (undefined inside an array) as validate does.
        let defaulted: unknown;
        try {
          defaulted = applyDefaults(target);
        } catch (e) {
          expect(isValidationError(e)).toBe(true);
          expect(result.valid).toBe(false);
          return;
        }
        expectWellFormed(validate(defaulted));
      }),
      { numRuns: 3500 },
    );
  });
});

/** Walks into `doc` by the seeds (each picks a child) and sets, deletes or adds a key there. */
function mutate(doc: Record<string, unknown>, seeds: number[], op: string, value: unknown): void {
  let node: unknown = doc;
  for (let i = 0; i < seeds.length - 1; i++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const next = (node as Record<string, unknown>)[keys[seeds[i]! % keys.length]!];
    if (next === null || typeof next !== 'object') break;
    node = next;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  const last = seeds[seeds.length - 1]!;
  if (op === 'add' || keys.length === 0) obj[`x${last % 5}`] = value;
  else if (op === 'delete') delete obj[keys[last % keys.length]!];
  else obj[keys[last % keys.length]!] = value;
}
