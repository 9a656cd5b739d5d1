/**
 * The write-side decode check of the etcd codec (backends spec §2.5: a write never stores what a
 * read would reject) and the stored object a write returns, decoded from the stored text when its
 * value is first read. No server needed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { decodeValue, encodeValue } from '../../../src/backends/etcdv2/codec.js';
import { kindInfo } from '../../../src/backends/etcdv2/keys.js';
import { isValidationError, type ValidationError } from '../../../src/errors.js';
import { thrownBy } from '../../support/thrown.js';

const IPPOOL = kindInfo('IPPool');
const POLICY = kindInfo('NetworkPolicy');
const poolKey = { kind: 'IPPool', name: 'pool-a' };

function pool(metadata: Record<string, unknown>): ResourceObject {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a', ...metadata }, spec: { cidr: '10.0.0.0/24' } } as ResourceObject;
}

function refusal(f: () => unknown): ValidationError {
  return thrownBy(f, isValidationError, 'ValidationError');
}

describe('write-side decode check', () => {
  it('refuses metadata.annotations that would not read back as an object (checked without parsing)', () => {
    const e = refusal(() => encodeValue(IPPOOL, poolKey, pool({ annotations: 'not-an-object' }), 'current'));
    expect(e.errors).toEqual([{ path: 'metadata.annotations', type: 'invalid', message: 'the stored object would not decode' }]);
    expect(() => encodeValue(IPPOOL, poolKey, pool({ annotations: ['a'] }), 'current')).toThrow(/would not decode/);
  });

  it('parses the text when metadata is not plain JSON, and judges what JSON makes of it', () => {
    // A Date in annotations becomes a string in JSON: refused.
    expect(() => encodeValue(IPPOOL, poolKey, pool({ annotations: new Date(0) }), 'current')).toThrow(/would not decode/);
    // An object with toJSON that yields an object: accepted, stored as toJSON made it.
    const custom = { toJSON: () => ({ team: 'net' }) };
    const enc = encodeValue(IPPOOL, poolKey, pool({ annotations: custom }), 'current');
    expect(enc.result('5').value.metadata.annotations).toEqual({ team: 'net' });
    // A Date elsewhere in metadata is fine and reads back as its JSON string.
    const stamped = encodeValue(IPPOOL, poolKey, pool({ creationTimestamp: new Date(0) }), 'current');
    expect(stamped.result('6').value.metadata.creationTimestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('agrees with the decoder: whatever is accepted decodes, for arbitrary metadata (property)', () => {
    const oddValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.date({ noInvalidDate: true }), fc.constant(Number.NaN), fc.constant({ toJSON: () => 'x' }));
    const metadata = fc.record(
      {
        name: fc.oneof(fc.string(), fc.constant(undefined)),
        annotations: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.dictionary(fc.string(), oddValue), oddValue),
        labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), oddValue),
        extra: oddValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(metadata, fc.boolean(), (meta, policy) => {
        const kind = policy ? POLICY : IPPOOL;
        const key = policy ? { kind: 'NetworkPolicy', namespace: 'ns', name: 'p' } : poolKey;
        const value = { apiVersion: 'projectcalico.org/v3', kind: key.kind, metadata: meta, spec: {} } as unknown as ResourceObject;
        let enc;
        try {
          enc = encodeValue(kind, key, value, 'current');
        } catch (e) {
          if (isValidationError(e)) return;
          throw e;
        }
        const decoded = decodeValue(kind, enc.etcdKey, key, enc.text, '9');
        expect(enc.result('9').value).toEqual(decoded.value);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the stored object a write returns', () => {
  it('is what a read returns, decoded from the stored text on first use, independent of the input', () => {
    const input = pool({ labels: { env: 'prod' }, resourceVersion: '3', selfLink: '/x' });
    const enc = encodeValue(IPPOOL, poolKey, input, 'current');
    const pair = enc.result('12');
    expect(pair.revision).toBe('12');
    expect(pair.key).toEqual(poolKey);
    (input.metadata.labels as Record<string, string>).env = 'changed after the write';
    expect(pair.value).toEqual(decodeValue(IPPOOL, enc.etcdKey, poolKey, enc.text, '12').value);
    expect(pair.value.metadata).toMatchObject({ name: 'pool-a', resourceVersion: '12', labels: { env: 'prod' } });
    expect(pair.value.metadata.selfLink).toBeUndefined();
    expect(pair.value).toBe(pair.value); // decoded once, then kept
  });

  it('behaves like a plain pair: spread, JSON, structuredClone and assignment', () => {
    const pair = encodeValue(IPPOOL, poolKey, pool({}), 'current').result('4');
    const copy = { ...pair };
    expect(copy.value.spec).toEqual({ cidr: '10.0.0.0/24' });
    expect(JSON.parse(JSON.stringify(pair))).toEqual({ key: poolKey, revision: '4', value: copy.value });
    expect(structuredClone(pair).value).toEqual(copy.value);
    const replacement = pool({ labels: { replaced: 'yes' } });
    pair.value = replacement;
    expect(pair.value).toBe(replacement);
    expect(Object.keys(pair).sort()).toEqual(['key', 'revision', 'value']);
  });

  it('gives every result its own object', () => {
    const enc = encodeValue(IPPOOL, poolKey, pool({}), 'current');
    const a = enc.result('1');
    const b = enc.result('2');
    expect(a.value).not.toBe(b.value);
    expect([a.value.metadata.resourceVersion, b.value.metadata.resourceVersion]).toEqual(['1', '2']);
  });
});
