/**
 * Reserved policy names, the v3 name of legacy stored policies and policy read-defaulting
 * (model.md §4.1, §9.4, §11.3).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReservedPolicyName, legacyPolicyName, policyReadDefaults } from '../../../src/model/policy-names.js';
import { TIER_LABEL } from '../../../src/model/policy-spec.js';
import { gnp, np } from './helpers.js';

describe('isReservedPolicyName (model.md §4.1)', () => {
  it('reserves knp.default. NetworkPolicy names', () => {
    expect(isReservedPolicyName('NetworkPolicy', 'knp.default.foo.bar')).toBe(true);
    expect(isReservedPolicyName('NetworkPolicy', 'knp.default.x')).toBe(true);
    expect(isReservedPolicyName('NetworkPolicy', 'knp.other')).toBe(false);
    expect(isReservedPolicyName('NetworkPolicy', 'ossg.default.sg1')).toBe(false);
    expect(isReservedPolicyName('NetworkPolicy', 'kcnp.x')).toBe(false);
  });

  it('reserves kcnp., kanp. and kbanp. GlobalNetworkPolicy names', () => {
    for (const name of ['kcnp.allow', 'kanp.adminnetworkpolicy.a', 'kbanp.baselineadminnetworkpolicy.b']) {
      expect(isReservedPolicyName('GlobalNetworkPolicy', name)).toBe(true);
    }
    expect(isReservedPolicyName('GlobalNetworkPolicy', 'knp.default.x')).toBe(false);
    expect(isReservedPolicyName('GlobalNetworkPolicy', 'kcnpx.a')).toBe(false);
  });

  it('reserves nothing for other kinds', () => {
    for (const kind of ['Tier', 'IPPool', 'Node', 'WorkloadEndpoint', 'toString', '__proto__']) {
      expect(isReservedPolicyName(kind, 'knp.default.x')).toBe(false);
      expect(isReservedPolicyName(kind, 'kcnp.x')).toBe(false);
    }
  });
});

describe('legacyPolicyName (model.md §11.3)', () => {
  it('drops one leading default. for default-tier policies without a recorded v3 name', () => {
    expect(legacyPolicyName('default.foo', undefined, false)).toBe('foo');
    expect(legacyPolicyName('default.foo', '', false)).toBe('foo');
    expect(legacyPolicyName('default.foo', 'default', false)).toBe('foo');
    expect(legacyPolicyName('default.default.foo', 'default', false)).toBe('default.foo');
  });

  it('keeps the stored name when the v3 name is recorded, the tier is another one, or nothing follows the prefix', () => {
    expect(legacyPolicyName('default.foo', 'default', true)).toBe('default.foo');
    expect(legacyPolicyName('default.foo', 'security', false)).toBe('default.foo');
    expect(legacyPolicyName('security.foo', 'security', false)).toBe('security.foo');
    expect(legacyPolicyName('knp.default.foo', '', false)).toBe('knp.default.foo');
    expect(legacyPolicyName('foo', '', false)).toBe('foo');
    expect(legacyPolicyName('default.', '', false)).toBe('default.');
  });

  it('never derives anything but a suffix of the stored name', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.constantFrom('', 'default', 'security')), fc.boolean(), (name, tier, annotated) => {
        const v3 = legacyPolicyName(name, tier ?? undefined, annotated);
        expect(name.endsWith(v3)).toBe(true);
        expect(v3 === name || `default.${v3}` === name).toBe(true);
      }),
    );
  });
});

describe('policyReadDefaults (model.md §9.4)', () => {
  it('reads a pre-3.29 policy with no tier as tier default with the tier label', () => {
    const stored = np({ selector: 'all()' }, { name: legacyPolicyName('default.foo', undefined, false), namespace: 'ns' });
    const out = policyReadDefaults(stored);
    expect(out.metadata.name).toBe('foo');
    expect(out.spec.tier).toBe('default');
    expect(out.metadata.labels).toEqual({ [TIER_LABEL]: 'default' });
    expect(stored.spec.tier).toBeUndefined();
  });

  it('adds a missing label from spec.tier (not always default, unlike Calico)', () => {
    expect(policyReadDefaults(gnp({ tier: 'security' })).metadata.labels).toEqual({ [TIER_LABEL]: 'security' });
  });

  it('keeps a label that is already present', () => {
    const out = policyReadDefaults(gnp({ tier: 'security' }, { name: 'x', labels: { [TIER_LABEL]: 'default', a: 'b' } }));
    expect(out.metadata.labels).toEqual({ [TIER_LABEL]: 'default', a: 'b' });
  });

  it('does not infer types or touch rules on read', () => {
    const stored = np({ tier: 'default', ingress: [{ action: 'Allow', protocol: '6' }] });
    const out = policyReadDefaults(stored);
    expect(out.spec).toEqual(stored.spec);
  });

  it('is pure and idempotent', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        const doc = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata, spec };
        const before = structuredClone(doc);
        const once = policyReadDefaults(doc);
        expect(doc).toEqual(before);
        expect(policyReadDefaults(once)).toEqual(once);
      }),
    );
  });
});
