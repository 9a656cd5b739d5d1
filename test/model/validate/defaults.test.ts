/**
 * applyDefaults(): dispatch per kind, purity (deep copy, input untouched) and idempotence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults, deepCopy } from '../../../src/model/defaults.js';
import { validate } from '../../../src/model/validate.js';
import { anyValidDocArb, validDocs } from './fixtures.js';

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

describe('applyDefaults', () => {
  it('dispatches to the kind: an IPPool gets its block size and encapsulation defaults', () => {
    const pool = applyDefaults(validDocs().IPPool);
    expect(pool.spec.blockSize).toBe(26);
    expect(pool.spec.ipipMode).toBe('Never');
    expect(pool.spec.vxlanMode).toBe('Never');
    const v6 = applyDefaults({ ...validDocs().IPPool, spec: { cidr: 'FD00:10:0::/48' } });
    expect(v6.spec).toMatchObject({ cidr: 'fd00:10::/48', blockSize: 122 });
  });

  it('fills in the computed WorkloadEndpoint name', () => {
    const wep = validDocs().WorkloadEndpoint;
    wep.metadata.name = '';
    expect(applyDefaults(wep).metadata.name).toBe('worker--1-k8s-cart--7f9-eth0');
  });

  it('never modifies its input, even a frozen one, and shares nothing with it', () => {
    for (const doc of Object.values(validDocs())) {
      const frozen = deepFreeze(structuredClone(doc));
      const out = applyDefaults(frozen);
      expect(frozen).toEqual(doc);
      expect(out).not.toBe(frozen);
      expect(out.metadata).not.toBe(frozen.metadata);
      expect((out as { spec?: unknown }).spec).not.toBe((frozen as { spec?: unknown }).spec);
    }
  });

  it('returns unknown kinds and non-objects as copies', () => {
    const other = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'x' }, spec: { peerIP: '10.0.0.1' } };
    const out = applyDefaults(other);
    expect(out).toEqual(other);
    expect(out).not.toBe(other);
    expect(out.spec).not.toBe(other.spec);
    expect(applyDefaults(5)).toBe(5);
    expect(applyDefaults(null)).toBe(null);
    const list = [{ a: 1 }];
    expect(applyDefaults(list)).toEqual(list);
    expect(applyDefaults(list)[0]).not.toBe(list[0]);
  });

  it('does not throw on documents of any shape', () => {
    fc.assert(
      fc.property(fc.constantFrom('IPPool', 'Node', 'WorkloadEndpoint', 'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier'), fc.jsonValue(), fc.jsonValue(), (kind, metadata, spec) => {
        const doc = { apiVersion: 'projectcalico.org/v3', kind, metadata, spec };
        const before = structuredClone(doc);
        applyDefaults(doc);
        expect(doc).toEqual(before);
      }),
      { numRuns: 1500 },
    );
  });

  it('is idempotent on valid documents, and its output validates (property)', () => {
    fc.assert(
      fc.property(anyValidDocArb, (doc) => {
        const once = applyDefaults(doc);
        expect(applyDefaults(once)).toEqual(once);
        expect(validate(once).errors).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('deepCopy', () => {
  it('copies plain data, keeps cycles and class instances', () => {
    const date = new Date(0);
    const src: Record<string, unknown> = { a: [1, { b: 2 }], date };
    src.self = src;
    const out = deepCopy(src);
    expect(out).not.toBe(src);
    expect(out.self).toBe(out);
    expect(out.a).toEqual([1, { b: 2 }]);
    expect(out.a).not.toBe(src.a);
    expect(out.date).toBe(date);
  });

  it('keeps a "__proto__" key as data', () => {
    const src = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const out = deepCopy(src);
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
