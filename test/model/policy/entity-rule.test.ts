/**
 * Entity rules and selector fields at function level (model.md §9.6, selectors.md §1 and §9.2):
 * services exclusivity and direction, where global() may appear, selector syntax and length.
 */
import { describe, expect, it } from 'vitest';
import { checkEntityRule } from '../../../src/model/entity-rule.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { checkSelectorField } from '../../../src/model/policy-selectors.js';
import { checkErrors, egressRule, gnp, ingressRule, np, pathsOf } from './helpers.js';

const longSelector = `a == "${'x'.repeat(1020)}"`;

describe('services exclusivity (model.md §9.6)', () => {
  it.each(['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'serviceAccounts'])('rejects services together with %s, on that field', (field) => {
    const values: Record<string, unknown> = {
      selector: 'app == "a"',
      notSelector: 'app == "b"',
      namespaceSelector: 'team == "x"',
      nets: ['10.0.0.0/8'],
      notNets: ['10.1.0.0/16'],
      serviceAccounts: { names: ['sa'] },
    };
    const errors = checkErrors(egressRule({ action: 'Allow', destination: { services: { name: 'api' }, [field]: values[field] } }));
    expect(pathsOf(errors)).toEqual([`spec.egress[0].destination.${field}`]);
    expect(errors[0]?.type).toBe('forbidden');
  });

  it('ignores empty selectors and lists next to services, as Calico does', () => {
    expect(pathsOf(checkErrors(egressRule({ action: 'Allow', destination: { services: { name: 'api' }, selector: '', nets: [], notSelector: '' } })))).toEqual([]);
  });

  it('requires a service name', () => {
    expect(pathsOf(checkErrors(egressRule({ action: 'Allow', destination: { services: { namespace: 'x' } } })))).toEqual(['spec.egress[0].destination.services.name']);
    expect(pathsOf(checkErrors(ingressRule({ action: 'Allow', source: { services: { name: '' } } })))).toEqual(['spec.ingress[0].source.services.name']);
  });
});

describe('services direction (model.md §9.6)', () => {
  it('rejects source.services in an egress rule and destination.services in an ingress rule', () => {
    expect(pathsOf(checkErrors(np({ egress: [{ action: 'Allow' }, { action: 'Allow' }, { action: 'Allow', source: { services: { name: 'api' } } }] })))).toEqual([
      'spec.egress[2].source.services',
    ]);
    expect(pathsOf(checkErrors(ingressRule({ action: 'Allow', destination: { services: { name: 'api' } } })))).toEqual(['spec.ingress[0].destination.services']);
  });

  it('accepts source.services in ingress and destination.services in egress, without a namespace in a NetworkPolicy', () => {
    expect(checkErrors(ingressRule({ action: 'Allow', source: { services: { name: 'api' } } }))).toEqual([]);
    expect(checkErrors(egressRule({ action: 'Allow', destination: { services: { name: 'api' } } }))).toEqual([]);
  });

  it('requires services.namespace in a GlobalNetworkPolicy wherever services are allowed', () => {
    expect(pathsOf(checkErrors(gnp({ ingress: [{ action: 'Allow', source: { services: { name: 'api' } } }] })))).toEqual(['spec.ingress[0].source.services.namespace']);
    expect(pathsOf(checkErrors(gnp({ egress: [{ action: 'Allow', destination: { services: { name: 'api', namespace: '' } } }] })))).toEqual([
      'spec.egress[0].destination.services.namespace',
    ]);
    expect(checkErrors(gnp({ egress: [{ action: 'Allow', destination: { services: { name: 'api', namespace: 'prod' } } }] }))).toEqual([]);
  });
});

describe('global() in selector fields (selectors.md §9.2)', () => {
  it('rejects global() in the policy selector and serviceAccountSelector, and GNP namespaceSelector', () => {
    expect(pathsOf(checkErrors(np({ selector: 'global()' })))).toEqual(['spec.selector']);
    expect(pathsOf(checkErrors(np({ serviceAccountSelector: 'role == "x" && global()' })))).toEqual(['spec.serviceAccountSelector']);
    expect(pathsOf(checkErrors(gnp({ namespaceSelector: 'global()' })))).toEqual(['spec.namespaceSelector']);
    expect(pathsOf(checkErrors(np({ selector: 'app == "global(x)"' })))).toEqual(['spec.selector']);
  });

  it('rejects global() in an entity selector', () => {
    expect(pathsOf(checkErrors(ingressRule({ action: 'Allow', source: { selector: 'global()' } })))).toEqual(['spec.ingress[0].source.selector']);
  });

  it('accepts global() as a whole entity namespaceSelector, and in notSelector', () => {
    for (const namespaceSelector of ['global()', ' global( ) ', 'global( )']) {
      expect(checkErrors(ingressRule({ action: 'Allow', source: { namespaceSelector } }))).toEqual([]);
    }
    expect(checkErrors(ingressRule({ action: 'Allow', source: { notSelector: 'global()' } }))).toEqual([]);
  });

  it('rejects global() combined with anything in an entity namespaceSelector', () => {
    for (const namespaceSelector of ['global() && has(a)', '!global()', '(global())', 'global() || has(a)', 'has(a) && global()']) {
      expect(pathsOf(checkErrors(egressRule({ action: 'Allow', destination: { namespaceSelector } })))).toEqual(['spec.egress[0].destination.namespaceSelector']);
    }
  });
});

describe('selector syntax and length', () => {
  it('rejects invalid selectors in every field, with the position', () => {
    const bad = 'a = "b"';
    const errors = checkErrors(
      gnp({
        selector: bad,
        serviceAccountSelector: bad,
        namespaceSelector: bad,
        ingress: [{ action: 'Allow', source: { selector: bad, notSelector: bad, namespaceSelector: bad, serviceAccounts: { selector: bad } } }],
      }),
    );
    expect(pathsOf(errors)).toEqual(
      [
        'spec.selector',
        'spec.serviceAccountSelector',
        'spec.namespaceSelector',
        'spec.ingress[0].source.selector',
        'spec.ingress[0].source.notSelector',
        'spec.ingress[0].source.namespaceSelector',
        'spec.ingress[0].source.serviceAccounts.selector',
      ].sort(),
    );
    expect(errors.every((e) => e.type === 'invalid' && /position \d+/.test(e.message))).toBe(true);
  });

  it('rejects a selector ending with a newline (YAML block scalar)', () => {
    expect(pathsOf(checkErrors(np({ selector: 'app == "web"\n' })))).toEqual(['spec.selector']);
  });

  it('caps selectors at 1024 characters, except serviceAccounts.selector', () => {
    expect(longSelector.length).toBeGreaterThan(1024);
    const errors = checkErrors(
      gnp({
        selector: longSelector,
        serviceAccountSelector: longSelector,
        namespaceSelector: longSelector,
        ingress: [{ action: 'Allow', source: { selector: longSelector, notSelector: longSelector, namespaceSelector: longSelector, serviceAccounts: { selector: longSelector } } }],
      }),
    );
    expect(pathsOf(errors)).toEqual(
      [
        'spec.selector',
        'spec.serviceAccountSelector',
        'spec.namespaceSelector',
        'spec.ingress[0].source.selector',
        'spec.ingress[0].source.notSelector',
        'spec.ingress[0].source.namespaceSelector',
      ].sort(),
    );
    expect(errors.every((e) => e.type === 'tooLong')).toBe(true);
    const exactly1024 = `a == "${'x'.repeat(1024 - 7)}"`;
    expect(exactly1024.length).toBe(1024);
    expect(checkErrors(np({ selector: exactly1024 }))).toEqual([]);
  });

  it('never puts a long selector value into an error', () => {
    const { errors, report } = collectFieldErrors();
    checkSelectorField(`${'a'.repeat(600)} = "b"`, 'p', { global: 'allowed' }, report);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.value).toBeUndefined();
  });
});

describe('checkEntityRule robustness', () => {
  it('never throws on values of the wrong type', () => {
    for (const entity of [null, 'x', 3, [], { nets: 'x', ports: 5, services: [], serviceAccounts: 'x' }]) {
      const { errors, report } = collectFieldErrors();
      expect(() => checkEntityRule(entity, 'e', report)).not.toThrow();
      expect(errors).toEqual([]);
    }
  });
});
