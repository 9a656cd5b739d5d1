/**
 * Policy write defaults (model.md §9.3, §9.4, §5.3, §5.4): tier, `types` inference, the tier label
 * and the stored form of protocols and ports, for both policy kinds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyGlobalNetworkPolicyDefaults } from '../../../src/model/global-network-policy.js';
import { applyNetworkPolicyDefaults } from '../../../src/model/network-policy.js';
import { inferPolicyTypes, TIER_LABEL } from '../../../src/model/policy-spec.js';
import { gnp, np, validGlobalNetworkPolicyArb, validNetworkPolicyArb } from './helpers.js';

const allow = { action: 'Allow' };

describe('types inference (model.md §9.3)', () => {
  it.each([
    ['no rules', undefined, undefined, ['Ingress']],
    ['ingress only', [allow], undefined, ['Ingress']],
    ['egress only', undefined, [allow], ['Egress']],
    ['both', [allow], [allow], ['Ingress', 'Egress']],
    ['empty lists', [], [], ['Ingress']],
    ['empty ingress, egress rules', [], [allow], ['Egress']],
  ])('%s → %j', (_name, ingress, egress, expected) => {
    const spec: Record<string, unknown> = {};
    if (ingress) spec.ingress = ingress;
    if (egress) spec.egress = egress;
    expect(applyNetworkPolicyDefaults(np(spec)).spec.types).toEqual(expected);
    expect(applyGlobalNetworkPolicyDefaults(gnp(spec)).spec.types).toEqual(expected);
    expect(inferPolicyTypes(spec.ingress, spec.egress)).toEqual(expected);
  });

  it('keeps explicit types as given, order preserved', () => {
    expect(applyNetworkPolicyDefaults(np({ types: ['Egress', 'Ingress'], ingress: [allow] })).spec.types).toEqual(['Egress', 'Ingress']);
    expect(applyNetworkPolicyDefaults(np({ types: ['Egress'], ingress: [allow] })).spec.types).toEqual(['Egress']);
  });

  it('infers types when the list is empty', () => {
    expect(applyNetworkPolicyDefaults(np({ types: [], egress: [allow] })).spec.types).toEqual(['Egress']);
  });
});

describe('tier and tier label (model.md §9.4)', () => {
  it('stores an absent or empty tier as default, with the label', () => {
    for (const spec of [{}, { tier: '' }, { tier: null }]) {
      const out = applyNetworkPolicyDefaults(np(spec));
      expect(out.spec.tier).toBe('default');
      expect(out.metadata.labels).toEqual({ [TIER_LABEL]: 'default' });
    }
  });

  it('labels a policy with its tier and overwrites a conflicting label, keeping other labels', () => {
    const out = applyGlobalNetworkPolicyDefaults(gnp({ tier: 'security' }, { name: 'security.block', labels: { [TIER_LABEL]: 'other', app: 'x' } }));
    expect(out.spec.tier).toBe('security');
    expect(out.metadata.labels).toEqual({ [TIER_LABEL]: 'security', app: 'x' });
  });

  it('leaves a 3.29-style name and tier unchanged', () => {
    const out = applyNetworkPolicyDefaults(np({ tier: 'security' }, { name: 'security.foo', namespace: 'ns' }));
    expect(out.metadata.name).toBe('security.foo');
    expect(out.spec.tier).toBe('security');
  });
});

describe('stored form of protocols and ports (model.md §5.3, §5.4)', () => {
  it('turns decimal protocol strings into numbers and single-port ranges into numbers', () => {
    const out = applyNetworkPolicyDefaults(
      np({
        ingress: [
          {
            action: 'Allow',
            protocol: '6',
            notProtocol: '17',
            source: { ports: ['80:80', '443', 'http', '1000:2000', 22] },
            destination: { notPorts: ['9000:9100', '053'] },
          },
        ],
        egress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: ['8080:8080'] } }],
      }),
    );
    const [rule] = out.spec.ingress ?? [];
    expect(rule?.protocol).toBe(6);
    expect(rule?.notProtocol).toBe(17);
    expect(rule?.source?.ports).toEqual([80, 443, 'http', '1000:2000', 22]);
    expect(rule?.destination?.notPorts).toEqual(['9000:9100', 53]);
    expect(out.spec.egress?.[0]?.protocol).toBe('TCP');
    expect(out.spec.egress?.[0]?.destination?.ports).toEqual([8080]);
  });

  it('leaves values that do not parse for validation to report', () => {
    const out = applyNetworkPolicyDefaults(np({ ingress: [{ action: 'Allow', protocol: 'tcp', destination: { ports: ['100:50', 0, 'HTTP'] } }] }));
    expect(out.spec.ingress?.[0]?.protocol).toBe('tcp');
    expect(out.spec.ingress?.[0]?.destination?.ports).toEqual(['100:50', 0, 'HTTP']);
  });
});

describe('defaults are pure and idempotent', () => {
  it('stores the §9.8 example with tier default, types [Ingress] and the tier label', () => {
    const input = np(
      {
        selector: 'app == "cart"',
        ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "frontend"' }, destination: { ports: [8080, '9000:9100', 'http'] } }],
      },
      { name: 'allow-frontend', namespace: 'shop' },
    );
    const before = structuredClone(input);
    const out = applyNetworkPolicyDefaults(input);
    expect(input).toEqual(before);
    expect(out).toEqual({
      ...before,
      metadata: { name: 'allow-frontend', namespace: 'shop', labels: { [TIER_LABEL]: 'default' } },
      spec: { ...before.spec, tier: 'default', types: ['Ingress'] },
    });
  });

  it('never modifies its input and returns a new object', () => {
    fc.assert(
      fc.property(fc.oneof(validNetworkPolicyArb, validGlobalNetworkPolicyArb), (doc) => {
        const before = structuredClone(doc);
        const out = doc.kind === 'NetworkPolicy' ? applyNetworkPolicyDefaults(doc) : applyGlobalNetworkPolicyDefaults(doc);
        expect(doc).toEqual(before);
        expect(out).not.toBe(doc);
        expect(out.spec).not.toBe(doc.spec);
      }),
    );
  });

  it('applying the defaults twice gives the result of applying them once', () => {
    fc.assert(
      fc.property(validNetworkPolicyArb, (doc) => {
        const once = applyNetworkPolicyDefaults(doc);
        expect(applyNetworkPolicyDefaults(once)).toEqual(once);
        expect(once.metadata.labels?.[TIER_LABEL]).toBe(once.spec.tier);
        expect(once.spec.types?.length).toBeGreaterThan(0);
      }),
    );
    fc.assert(
      fc.property(validGlobalNetworkPolicyArb, (doc) => {
        const once = applyGlobalNetworkPolicyDefaults(doc);
        expect(applyGlobalNetworkPolicyDefaults(once)).toEqual(once);
      }),
    );
  });

  it('is idempotent on arbitrary JSON specs too', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        const doc = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata, spec };
        const once = applyNetworkPolicyDefaults(doc);
        expect(applyNetworkPolicyDefaults(once)).toEqual(once);
      }),
    );
  });
});
