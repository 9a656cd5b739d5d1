/**
 * Tier invariants of model.md §13 through the full pipeline the client runs,
 * `validate(applyDefaults(doc))`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../src/model/defaults.js';
import { BUILT_IN_TIERS } from '../../../src/model/tier-builtins.js';
import type { Tier } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';
import { pathsOf } from '../policy/helpers.js';

function tier(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Tier {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name, ...metadata }, spec } as unknown as Tier;
}

function paths(doc: Tier): string[] {
  return pathsOf(validate(applyDefaults(doc)).errors);
}

describe('Tier through validate(applyDefaults(doc))', () => {
  it('stores a new tier without order or defaultAction with 1000000 and Deny', () => {
    const stored = applyDefaults(tier('security', {}));
    expect(stored.spec).toEqual({ order: 1_000_000, defaultAction: 'Deny' });
    expect(validate(stored)).toEqual({ valid: true, errors: [] });
  });

  it('rejects tier default with defaultAction Pass or an order other than 1000000', () => {
    expect(paths(tier('default', { defaultAction: 'Pass' }))).toEqual(['spec.defaultAction']);
    expect(paths(tier('default', { order: 999_999 }))).toEqual(['spec.order']);
    expect(paths(tier('default', {}))).toEqual([]);
  });

  it('accepts each built-in tier with its fixed values only', () => {
    for (const t of BUILT_IN_TIERS) {
      expect(paths(tier(t.name, { order: t.order, defaultAction: t.defaultAction }))).toEqual([]);
      expect(paths(tier(t.name, { order: 5, defaultAction: t.defaultAction }))).toEqual(['spec.order']);
    }
    expect(paths(tier('kube-admin', {}))).toEqual(['spec.defaultAction', 'spec.order']);
  });

  it('rejects a tier name with a dot or of 64 characters, and a namespace', () => {
    expect(paths(tier('security.team', {}))).toEqual(['metadata.name']);
    expect(paths(tier('a'.repeat(64), {}))).toEqual(['metadata.name']);
    expect(paths(tier('a'.repeat(63), {}))).toEqual([]);
    expect(paths(tier('security', {}, { namespace: 'ns' }))).toEqual(['metadata.namespace']);
  });

  it('rejects an unknown default action and a non-number order', () => {
    expect(paths(tier('security', { defaultAction: 'Allow' }))).toEqual(['spec.defaultAction']);
    expect(paths(tier('security', { defaultAction: 'deny' }))).toEqual(['spec.defaultAction']);
    expect(paths(tier('security', { order: 'first' }))).toEqual(['spec.order']);
  });

  it('random custom tiers are valid, and defaults are idempotent', () => {
    const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/).filter((n) => !BUILT_IN_TIERS.some((t) => t.name === n));
    fc.assert(
      fc.property(name, fc.option(fc.integer({ min: -1e9, max: 1e9 })), fc.option(fc.constantFrom('Deny', 'Pass')), (n, order, action) => {
        const spec: Record<string, unknown> = {};
        if (order !== null) spec.order = order;
        if (action !== null) spec.defaultAction = action;
        const stored = applyDefaults(tier(n, spec));
        expect(validate(stored).errors).toEqual([]);
        expect(applyDefaults(stored)).toEqual(stored);
      }),
    );
  });
});
