/**
 * The metadata invariants of model spec §13 ("Metadata and errors"): names per kind, namespace,
 * labels and annotations.
 */
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import type { CalicoKind } from '../../../src/model/kinds.js';
import {
  MAX_ANNOTATIONS_BYTES,
  checkAnnotations,
  checkLabels,
  checkMetadata,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidName,
  labelKeyProblem,
  utf8Length,
} from '../../../src/model/metadata.js';
import { validate } from '../../../src/model/validate.js';
import { validDocs } from './fixtures.js';

function metadataErrors(kind: CalicoKind, metadata: unknown): FieldError[] {
  const { errors, report } = collectFieldErrors();
  checkMetadata(kind, metadata, report);
  return errors;
}

const NAMESPACED = new Set<CalicoKind>(['WorkloadEndpoint', 'NetworkPolicy']);
const ALL_KINDS: CalicoKind[] = ['IPPool', 'Node', 'WorkloadEndpoint', 'NetworkPolicy', 'GlobalNetworkPolicy', 'Tier'];

function nameErrors(kind: CalicoKind, name: string): FieldError[] {
  return metadataErrors(kind, { name, ...(NAMESPACED.has(kind) ? { namespace: 'ns' } : {}) });
}

describe('metadata.name', () => {
  it('is required on every kind except WorkloadEndpoint, and generateName is refused', () => {
    for (const kind of ALL_KINDS) {
      const errors = nameErrors(kind, '');
      if (kind === 'WorkloadEndpoint') expect(errors).toEqual([]);
      else expect(errors, kind).toEqual([{ path: 'metadata.name', type: 'required', message: 'is required' }]);
    }
    const errors = metadataErrors('IPPool', { generateName: 'pool-' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('metadata.name');
    expect(errors[0]!.message).toContain('generateName is not supported');
  });

  it('follows the IPPool subdomain rule', () => {
    for (const bad of ['Pool1', 'pool_1', '-pool', 'pool-', 'pool..a', '.pool']) {
      expect(nameErrors('IPPool', bad), bad).toEqual([expect.objectContaining({ path: 'metadata.name', type: 'invalid' })]);
    }
    for (const good of ['pool1', 'pool.a.b', 'a', '1-2']) expect(nameErrors('IPPool', good), good).toEqual([]);
    expect(nameErrors('IPPool', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toEqual([]);
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
    expect(long).toHaveLength(255);
    expect(nameErrors('IPPool', long.slice(1))).toEqual([{ path: 'metadata.name', type: 'tooLong', message: 'must be at most 253 characters' }]);
  });

  it('allows at most one dot in policy names, with the reserved knp/ossg forms for NetworkPolicy', () => {
    expect(nameErrors('NetworkPolicy', 'pool.a.b')).toHaveLength(1);
    expect(nameErrors('GlobalNetworkPolicy', 'pool.a.b')).toHaveLength(1);
    expect(nameErrors('NetworkPolicy', 'a.b')).toEqual([]);
    expect(nameErrors('GlobalNetworkPolicy', 'a.b')).toEqual([]);
    expect(nameErrors('NetworkPolicy', 'knp.default.foo.bar')).toEqual([]);
    expect(nameErrors('NetworkPolicy', 'ossg.default.sg-1.x')).toEqual([]);
    expect(nameErrors('GlobalNetworkPolicy', 'knp.default.foo.bar')).toHaveLength(1);
    expect(nameErrors('NetworkPolicy', 'knp.other.foo.bar')).toHaveLength(1);
    expect(nameErrors('GlobalNetworkPolicy', 'kcnp.x')).toEqual([]);
    expect(isValidName('NetworkPolicy', `${'a'.repeat(200)}.${'b'.repeat(52)}`)).toBe(true);
    expect(isValidName('NetworkPolicy', `${'a'.repeat(200)}.${'b'.repeat(53)}`)).toBe(false);
  });

  it('limits tier names to one DNS-1123 label of 63 characters', () => {
    expect(nameErrors('Tier', 'a.b')).toEqual([expect.objectContaining({ path: 'metadata.name', type: 'invalid' })]);
    expect(nameErrors('Tier', 'a'.repeat(64))).toEqual([expect.objectContaining({ path: 'metadata.name', type: 'tooLong' })]);
    expect(nameErrors('Tier', 'a'.repeat(63))).toEqual([]);
    expect(nameErrors('Tier', 'kube-admin')).toEqual([]);
  });

  it('never accepts upper case or underscores', () => {
    for (const kind of ALL_KINDS) {
      expect(isValidName(kind, 'Abc'), kind).toBe(false);
      expect(isValidName(kind, 'a_b'), kind).toBe(false);
    }
  });

  it('exposes the DNS-1123 predicates', () => {
    expect(isDNS1123Label('a-1')).toBe(true);
    expect(isDNS1123Label('a.b')).toBe(false);
    expect(isDNS1123Label('a'.repeat(64))).toBe(false);
    expect(isDNS1123Subdomain('a.b-c.d')).toBe(true);
    expect(isDNS1123Subdomain('a.-b')).toBe(false);
  });
});

describe('metadata.namespace', () => {
  it('is required for namespaced kinds and forbidden for cluster-scoped kinds', () => {
    for (const kind of ALL_KINDS) {
      const without = metadataErrors(kind, { name: 'a' });
      const withNs = metadataErrors(kind, { name: 'a', namespace: 'ns' });
      if (NAMESPACED.has(kind)) {
        expect(without, kind).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'required' })]);
        expect(withNs, kind).toEqual([]);
      } else {
        expect(without, kind).toEqual([]);
        expect(withNs, kind).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'forbidden' })]);
      }
    }
    expect(metadataErrors('NetworkPolicy', { name: 'a', namespace: '' })).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'required' })]);
  });

  it('must be a DNS-1123 label when present', () => {
    expect(metadataErrors('NetworkPolicy', { name: 'a', namespace: 'My_NS' })).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'invalid' })]);
    expect(metadataErrors('NetworkPolicy', { name: 'a', namespace: 'a.b' })).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'invalid' })]);
    expect(metadataErrors('NetworkPolicy', { name: 'a', namespace: 'n'.repeat(64) })).toEqual([expect.objectContaining({ path: 'metadata.namespace', type: 'tooLong' })]);
  });

  it('is reported by validate() at metadata.namespace for NetworkPolicy, WorkloadEndpoint and IPPool', () => {
    const docs = validDocs();
    delete docs.NetworkPolicy.metadata.namespace;
    delete docs.WorkloadEndpoint.metadata.namespace;
    docs.IPPool.metadata.namespace = 'default';
    for (const doc of [docs.NetworkPolicy, docs.WorkloadEndpoint, docs.IPPool]) {
      expect(validate(doc).errors.map((e) => e.path), doc.kind).toContain('metadata.namespace');
    }
  });
});

describe('labels', () => {
  const labelErrors = (labels: Record<string, string>) => {
    const { errors, report } = collectFieldErrors();
    checkLabels(labels, 'metadata.labels', report);
    return errors;
  };

  it('accepts prefixed keys and empty values; rejects bad keys and long values', () => {
    expect(labelErrors({ 'example.com/app': 'web', app: '', 'a.b_c-d': 'X.y_z-1' })).toEqual([]);
    expect(labelErrors({ '-app': 'x' })).toEqual([expect.objectContaining({ path: 'metadata.labels["-app"]', type: 'invalid' })]);
    expect(labelErrors({ app: 'v'.repeat(64) })).toEqual([expect.objectContaining({ path: 'metadata.labels.app', type: 'tooLong' })]);
    expect(labelErrors({ app: 'v'.repeat(63) })).toEqual([]);
    expect(labelErrors({ app: '-v' })).toEqual([expect.objectContaining({ path: 'metadata.labels.app', type: 'invalid' })]);
  });

  it('checks the prefix and the name part of a key separately', () => {
    expect(labelKeyProblem('Example.com/app')).toContain('prefix');
    expect(labelKeyProblem('/app')).toContain('prefix');
    expect(labelKeyProblem(`${'p'.repeat(254)}/app`)).toContain('prefix');
    expect(labelKeyProblem('example.com/')).toContain('name');
    expect(labelKeyProblem(`example.com/${'n'.repeat(64)}`)).toContain('63');
    expect(labelKeyProblem(`example.com/${'n'.repeat(63)}`)).toBeUndefined();
    expect(labelKeyProblem('a/b/c')).toContain('name');
  });
});

describe('annotations', () => {
  const annotationErrors = (annotations: Record<string, string>, path = 'metadata.annotations') => {
    const { errors, report } = collectFieldErrors();
    checkAnnotations(annotations, path, report);
    return errors;
  };

  it('accepts 262144 bytes in total and rejects 262145', () => {
    const key = 'note';
    const exact = { [key]: 'x'.repeat(MAX_ANNOTATIONS_BYTES - key.length) };
    expect(annotationErrors(exact)).toEqual([]);
    const over = { [key]: 'x'.repeat(MAX_ANNOTATIONS_BYTES - key.length + 1) };
    const errors = annotationErrors(over);
    expect(errors).toEqual([expect.objectContaining({ path: 'metadata.annotations', type: 'tooLong' })]);
    expect(errors[0]).not.toHaveProperty('value');
    expect(errors[0]!.message).not.toContain('xxxx');
  });

  it('counts UTF-8 bytes, as Go does', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    const key = 'k';
    const euros = Math.floor((MAX_ANNOTATIONS_BYTES - 1) / 3);
    expect(annotationErrors({ [key]: '€'.repeat(euros) })).toEqual([]);
    expect(annotationErrors({ [key]: '€'.repeat(euros + 1) })).toHaveLength(1);
  });

  it('checks keys lower-cased, so upper case is accepted', () => {
    expect(annotationErrors({ 'Example.COM/Owner': 'me', ALLCAPS: 'x' })).toEqual([]);
    expect(annotationErrors({ 'bad key': 'x' })).toEqual([expect.objectContaining({ path: 'metadata.annotations["bad key"]', type: 'invalid' })]);
  });

  it('serves rule-level annotations through the same helper', () => {
    expect(annotationErrors({ '-x': 'y' }, 'spec.ingress[0].metadata.annotations')).toEqual([
      expect.objectContaining({ path: 'spec.ingress[0].metadata.annotations["-x"]', type: 'invalid' }),
    ]);
  });

  it('is checked by validate() on every kind', () => {
    for (const doc of Object.values(validDocs())) {
      const withBad = { ...doc, metadata: { ...doc.metadata, annotations: { '-x': 'y' } } };
      expect(validate(withBad).errors, doc.kind).toContainEqual(expect.objectContaining({ path: 'metadata.annotations["-x"]' }));
    }
  });
});
