/**
 * Tier defaults and rules at function level (model.md §11.1, §12, §13 Tier).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { applyTierDefaults, checkTier } from '../../../src/model/tier.js';
import { BUILT_IN_TIERS } from '../../../src/model/tier-builtins.js';
import type { Tier } from '../../../src/model/types.generated.js';
import { pathsOf } from '../policy/helpers.js';

function tier(name: string, spec: Record<string, unknown>): Tier {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name }, spec } as unknown as Tier;
}

function errorsOf(doc: Tier): ReturnType<typeof collectFieldErrors>['errors'] {
  const { errors, report } = collectFieldErrors();
  checkTier(applyTierDefaults(doc), report);
  return errors;
}

const customName = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/).filter((n) => !BUILT_IN_TIERS.some((t) => t.name === n));

describe('applyTierDefaults (model.md §11.1)', () => {
  it('stores a new tier without order or defaultAction with 1000000 and Deny', () => {
    const input = tier('security', {});
    const out = applyTierDefaults(input);
    expect(out.spec).toEqual({ order: 1_000_000, defaultAction: 'Deny' });
    expect(input.spec).toEqual({});
  });

  it('keeps given values, including order 0', () => {
    expect(applyTierDefaults(tier('t', { order: 0, defaultAction: 'Pass' })).spec).toEqual({ order: 0, defaultAction: 'Pass' });
    expect(applyTierDefaults(tier('t', { order: 12.5 })).spec).toEqual({ order: 12.5, defaultAction: 'Deny' });
  });

  it('leaves a document without a spec object as it is', () => {
    const doc = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' } };
    expect(applyTierDefaults(doc)).toEqual(doc);
    expect(applyTierDefaults(null)).toBeNull();
  });

  it('is pure and idempotent', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        const doc = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata, spec };
        const before = structuredClone(doc);
        const once = applyTierDefaults(doc);
        expect(doc).toEqual(before);
        expect(applyTierDefaults(once)).toEqual(once);
      }),
    );
  });
});

describe('checkTier (model.md §11.1)', () => {
  it.each(BUILT_IN_TIERS.map((t) => [t.name, t] as const))('the built-in tier %s keeps its order and default action', (_name, builtIn) => {
    expect(errorsOf(tier(builtIn.name, { order: builtIn.order, defaultAction: builtIn.defaultAction }))).toEqual([]);
    const otherAction = builtIn.defaultAction === 'Deny' ? 'Pass' : 'Deny';
    expect(pathsOf(errorsOf(tier(builtIn.name, { order: builtIn.order, defaultAction: otherAction })))).toEqual(['spec.defaultAction']);
    expect(pathsOf(errorsOf(tier(builtIn.name, { order: builtIn.order + 1, defaultAction: builtIn.defaultAction })))).toEqual(['spec.order']);
  });

  it('rejects default with defaultAction Pass or an order other than 1000000; accepts it with no spec values', () => {
    expect(pathsOf(errorsOf(tier('default', { defaultAction: 'Pass' })))).toEqual(['spec.defaultAction']);
    expect(pathsOf(errorsOf(tier('default', { order: 100 })))).toEqual(['spec.order']);
    expect(errorsOf(tier('default', {}))).toEqual([]);
  });

  it('requires kube-admin and kube-baseline to state Pass and their order (the defaults do not fit them)', () => {
    expect(pathsOf(errorsOf(tier('kube-admin', {})))).toEqual(['spec.defaultAction', 'spec.order']);
    expect(pathsOf(errorsOf(tier('kube-baseline', { defaultAction: 'Pass' })))).toEqual(['spec.order']);
  });

  it('rejects an unknown default action', () => {
    const errors = errorsOf(tier('security', { defaultAction: 'deny' }));
    expect(errors).toEqual([{ path: 'spec.defaultAction', type: 'notSupported', message: expect.any(String), value: 'deny' }]);
    expect(pathsOf(errorsOf(tier('security', { defaultAction: 'Allow' })))).toEqual(['spec.defaultAction']);
  });

  it('accepts any custom tier with any finite order and Deny or Pass', () => {
    fc.assert(
      fc.property(customName, fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })), fc.option(fc.constantFrom('Deny', 'Pass')), (name, order, action) => {
        const spec: Record<string, unknown> = {};
        if (order !== null) spec.order = order;
        if (action !== null) spec.defaultAction = action;
        expect(errorsOf(tier(name, spec))).toEqual([]);
      }),
    );
  });

  it('never throws', () => {
    for (const value of [null, 1, 'x', [], {}, { spec: 5 }, { metadata: { name: 'default' }, spec: { order: 'x', defaultAction: 5 } }]) {
      const { report } = collectFieldErrors();
      expect(() => checkTier(value as unknown as Tier, report)).not.toThrow();
    }
  });
});
