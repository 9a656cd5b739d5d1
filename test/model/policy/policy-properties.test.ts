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

/** Replaces the value at a random path of `doc` with `replacement`. */
function mutateAt(doc: unknown, choices: readonly number[], replacement: unknown): unknown {
  const copy = structuredClone(doc);
  let node: unknown = copy;
  for (const choice of choices) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[choice % keys.length] as string;
    const child = (node as Record<string, unknown>)[key];
    if (child === null || typeof child !== 'object' || choice % 3 === 0) {
      (node as Record<string, unknown>)[key] = replacement;
      return copy;
    }
    node = child;
  }
  return copy;
}

describe('the checks never throw', () => {
  it('on valid policies with any subtree replaced by any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(validNetworkPolicyArb, validGlobalNetworkPolicyArb), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), fc.jsonValue(), (doc, choices, replacement) => {
        const mutated = mutateAt(doc, choices, replacement) as NetworkPolicy;
        expect(() => checkErrors(mutated)).not.toThrow();
        expect(() => checkErrors({ ...mutated, kind: 'GlobalNetworkPolicy' } as unknown as NetworkPolicy)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('on any JSON spec and metadata', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (metadata, spec) => {
        expect(() => checkErrors(np(spec as Loose, metadata as Loose))).not.toThrow();
        expect(() => checkErrors(gnp(spec as Loose, metadata as Loose))).not.toThrow();
      }),
    );
  });
});
