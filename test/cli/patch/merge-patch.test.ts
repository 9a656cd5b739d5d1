import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../../src/cli/patch/merge-patch.js';

const json = fc.jsonValue();

describe('applyMergePatch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('patches a Calico object: labels removed with null, spec merged, lists replaced', () => {
    const pool = { kind: 'IPPool', metadata: { name: 'p', labels: { team: 'net', env: 'prod' } }, spec: { cidr: '10.0.0.0/16', natOutgoing: false, allowedUses: ['Workload', 'Tunnel'] } };
    const out = applyMergePatch(pool, { metadata: { labels: { team: null } }, spec: { natOutgoing: true, allowedUses: ['Workload'] } });
    expect(out).toEqual({ kind: 'IPPool', metadata: { name: 'p', labels: { env: 'prod' } }, spec: { cidr: '10.0.0.0/16', natOutgoing: true, allowedUses: ['Workload'] } });
    expect(pool.metadata.labels).toEqual({ team: 'net', env: 'prod' });
  });

  it('keeps __proto__ an ordinary member', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('property: an empty patch is the identity on objects', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), json), (target) => {
      expect(applyMergePatch(target, {})).toEqual(target);
    }));
  });

  it('property: inputs are never modified and the result shares no objects with them', () => {
    fc.assert(fc.property(json, json, (target, patch) => {
      const before = JSON.stringify([target, patch]);
      const out = applyMergePatch(target, patch);
      expect(JSON.stringify([target, patch])).toBe(before);
      if (out !== null && typeof out === 'object') {
        expect(out).not.toBe(target);
        expect(out).not.toBe(patch);
      }
    }));
  });

  it('property: applying the same patch twice changes nothing more (idempotent)', () => {
    fc.assert(fc.property(json, json, (target, patch) => {
      const once = applyMergePatch(target, patch);
      expect(applyMergePatch(once, patch)).toEqual(once);
    }));
  });
});
