/**
 * Policy-level checks at function level (model.md §9.1, §9.7, §10): types and performanceHints,
 * http in egress rules, and the GlobalNetworkPolicy doNotTrack / preDNAT / applyOnForward rules.
 */
import { describe, expect, it } from 'vitest';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { checkGlobalNetworkPolicy } from '../../../src/model/global-network-policy.js';
import { checkNetworkPolicy } from '../../../src/model/network-policy.js';
import type { GlobalNetworkPolicy, NetworkPolicy } from '../../../src/model/types.generated.js';
import { checkErrors, gnp, np, pathsOf } from './helpers.js';

describe('types and performanceHints', () => {
  it('rejects repeated and unknown types', () => {
    const dup = checkErrors(np({ types: ['Ingress', 'Ingress'] }));
    expect(dup).toEqual([{ path: 'spec.types[1]', type: 'duplicate', message: 'duplicates item 0' }]);
    expect(pathsOf(checkErrors(np({ types: ['Foo'] })))).toEqual(['spec.types[0]']);
    expect(pathsOf(checkErrors(gnp({ types: ['Ingress', 'ingress'] })))).toEqual(['spec.types[1]']);
    expect(checkErrors(np({ types: ['Egress', 'Ingress'] }))).toEqual([]);
  });

  it('rejects repeated performance hints', () => {
    expect(pathsOf(checkErrors(np({ performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] })))).toEqual(['spec.performanceHints[1]']);
    expect(pathsOf(checkErrors(gnp({ performanceHints: ['Sometimes'] })))).toEqual(['spec.performanceHints[0]']);
    expect(checkErrors(gnp({ performanceHints: ['AssumeNeededOnEveryNode'] }))).toEqual([]);
  });

  it('accepts a policy whose types lack a direction it has rules for (Calico does not reject it)', () => {
    expect(checkErrors(np({ types: ['Ingress'], egress: [{ action: 'Deny' }] }))).toEqual([]);
  });
});

describe('http in egress rules (model.md §9.7)', () => {
  it('rejects http in an egress rule, for both kinds', () => {
    const rule = { action: 'Allow', http: { methods: ['GET'] } };
    expect(pathsOf(checkErrors(np({ egress: [{ action: 'Deny' }, rule] })))).toEqual(['spec.egress[1].http']);
    expect(pathsOf(checkErrors(gnp({ egress: [rule] })))).toEqual(['spec.egress[0].http']);
    expect(checkErrors(np({ ingress: [rule] }))).toEqual([]);
  });
});

describe('GlobalNetworkPolicy doNotTrack, preDNAT and applyOnForward (model.md §10)', () => {
  const ingress = [{ action: 'Allow' }];

  it('rejects doNotTrack together with preDNAT', () => {
    expect(pathsOf(checkErrors(gnp({ doNotTrack: true, preDNAT: true, applyOnForward: true, ingress })))).toEqual(['spec.preDNAT']);
  });

  it('requires applyOnForward with doNotTrack or preDNAT', () => {
    expect(pathsOf(checkErrors(gnp({ doNotTrack: true, ingress })))).toEqual(['spec.applyOnForward']);
    expect(pathsOf(checkErrors(gnp({ preDNAT: true, applyOnForward: false, ingress })))).toEqual(['spec.applyOnForward']);
    expect(checkErrors(gnp({ doNotTrack: true, applyOnForward: true, ingress }))).toEqual([]);
    expect(checkErrors(gnp({ preDNAT: true, applyOnForward: true, ingress }))).toEqual([]);
    expect(checkErrors(gnp({ applyOnForward: true, ingress }))).toEqual([]);
  });

  it('rejects a preDNAT policy with egress rules or an Egress type', () => {
    expect(pathsOf(checkErrors(gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress'], egress: [{ action: 'Deny' }] })))).toEqual(['spec.egress']);
    expect(pathsOf(checkErrors(gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress', 'Egress'], ingress })))).toEqual(['spec.types']);
    // With inferred types, egress rules also make the type Egress.
    expect(pathsOf(checkErrors(gnp({ preDNAT: true, applyOnForward: true, egress: [{ action: 'Deny' }] })))).toEqual(['spec.egress', 'spec.types']);
  });

  it('treats false like absent', () => {
    expect(checkErrors(gnp({ doNotTrack: false, preDNAT: false, applyOnForward: false, egress: [{ action: 'Deny' }] }))).toEqual([]);
  });
});

describe('checks never throw', () => {
  it('accepts any value and reports nothing for shapes it cannot read', () => {
    const values: unknown[] = [null, undefined, 1, 'x', [], {}, { spec: null }, { spec: [] }, { spec: { ingress: 'x', egress: {}, types: 'x', performanceHints: 5 } }];
    for (const value of values) {
      const { errors, report } = collectFieldErrors();
      expect(() => checkNetworkPolicy(value as NetworkPolicy, report)).not.toThrow();
      expect(() => checkGlobalNetworkPolicy(value as GlobalNetworkPolicy, report)).not.toThrow();
      expect(errors).toEqual([]);
    }
  });

  it('rejects a non-finite order (reachable only from code, not JSON)', () => {
    expect(pathsOf(checkErrors(np({ order: Number.POSITIVE_INFINITY })))).toEqual(['spec.order']);
    expect(checkErrors(np({ order: -0.5 }))).toEqual([]);
  });
});
