/**
 * Property tests of the policy checks: random valid policies pass, and one cross-field violation
 * (model.md §9.5 rules 1–9, §9.6 services, §10) slipped into a random valid policy is reported at
 * exactly its path, at function level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../../../src/model/types.generated.js';
import { checkErrors, gnp, np, pathsOf, validGlobalNetworkPolicyArb, validNetworkPolicyArb, validRuleArb } from './helpers.js';
import { VIOLATIONS, withViolation, type Loose } from './violations.js';

describe('random valid policies pass the checks', () => {
  it('valid random NetworkPolicies report nothing', () => {
    fc.assert(
      fc.property(validNetworkPolicyArb, (doc) => {
        expect(checkErrors(doc)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('valid random GlobalNetworkPolicies report nothing', () => {
    fc.assert(
      fc.property(validGlobalNetworkPolicyArb, (doc) => {
        expect(checkErrors(doc)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid random ingress or egress rule passes on its own in both kinds', () => {
    fc.assert(
      fc.property(validRuleArb('ingress', true), validRuleArb('egress', true), (ingress, egress) => {
        expect(checkErrors(np({ ingress: [ingress], egress: [egress] }))).toEqual([]);
        expect(checkErrors(gnp({ ingress: [ingress], egress: [egress] }))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('one violation is reported at exactly its path', () => {
  it.each(VIOLATIONS.map((v) => [v.name, v] as const))('%s', (_name, violation) => {
    const docArb: fc.Arbitrary<{ spec: Loose; kind: string }> = violation.globalOnly
      ? (validGlobalNetworkPolicyArb as fc.Arbitrary<never>)
      : (fc.oneof(validNetworkPolicyArb, validGlobalNetworkPolicyArb) as fc.Arbitrary<never>);
    fc.assert(
      fc.property(docArb, fc.nat({ max: 4 }), (base, index) => {
        const { doc, path } = withViolation(base, violation, index);
        const errors = checkErrors(doc as unknown as NetworkPolicy);
        expect(pathsOf(errors)).toEqual([path]);
      }),
      { numRuns: 40 },
    );
  });
});
