/**
 * NetworkPolicy and GlobalNetworkPolicy invariants of model.md §13 through the full pipeline the
 * client runs, `validate(applyDefaults(doc))`: schema, metadata and semantic rules together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../src/model/defaults.js';
import { legacyPolicyName, policyReadDefaults } from '../../../src/model/policy-names.js';
import { TIER_LABEL } from '../../../src/model/policy-spec.js';
import { serializeResource, serializeResourceJSON } from '../../../src/model/serialize.js';
import type { NetworkPolicy } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';
import { gnp, np, pathsOf, pipelineErrors, validGlobalNetworkPolicyArb, validNetworkPolicyArb } from './helpers.js';
import { VIOLATIONS, withViolation } from './violations.js';

const R = 'spec.ingress[0]';

function paths(doc: unknown): string[] {
  return pathsOf(pipelineErrors(doc));
}

function ingress(rule: Record<string, unknown>): string[] {
  return paths(np({ ingress: [rule] }));
}

/** True when some error is at `path` or below it. */
function rejectsAt(doc: unknown, path: string): boolean {
  return pipelineErrors(doc).some((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`));
}

describe('the §9.8 example', () => {
  it('is valid and stored with tier default, types [Ingress] and the tier label', () => {
    const doc = np(
      {
        selector: 'app == "cart"',
        ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "frontend"' }, destination: { ports: [8080, '9000:9100', 'http'] } }],
      },
      { name: 'allow-frontend', namespace: 'shop' },
    );
    const stored = applyDefaults(doc);
    expect(validate(stored)).toEqual({ valid: true, errors: [] });
    expect(stored.spec.tier).toBe('default');
    expect(stored.spec.types).toEqual(['Ingress']);
    expect(stored.metadata.labels).toEqual({ [TIER_LABEL]: 'default' });
    expect(stored.spec.ingress?.[0]?.destination?.ports).toEqual([8080, '9000:9100', 'http']);
  });
});

describe('metadata of policies', () => {
  it('accepts a.b for both kinds and rejects pool.a.b', () => {
    expect(paths(np({}, { name: 'a.b', namespace: 'ns' }))).toEqual([]);
    expect(paths(gnp({}, { name: 'a.b' }))).toEqual([]);
    expect(paths(np({}, { name: 'pool.a.b', namespace: 'ns' }))).toEqual(['metadata.name']);
    expect(paths(gnp({}, { name: 'pool.a.b' }))).toEqual(['metadata.name']);
  });

  it('accepts knp.default.foo.bar as NetworkPolicy name syntax', () => {
    expect(paths(np({}, { name: 'knp.default.foo.bar', namespace: 'ns' }))).toEqual([]);
  });

  it('requires a namespace on a NetworkPolicy and forbids one on a GlobalNetworkPolicy', () => {
    expect(paths(np({}, { name: 'a' }))).toEqual(['metadata.namespace']);
    expect(paths(gnp({}, { name: 'a', namespace: 'ns' }))).toEqual(['metadata.namespace']);
  });

  it('accepts a 3.29-style document unchanged: name security.foo, tier security', () => {
    const doc = np({ tier: 'security', ingress: [{ action: 'Allow' }] }, { name: 'security.foo', namespace: 'ns' });
    const stored = applyDefaults(doc);
    expect(validate(stored).errors).toEqual([]);
    expect(stored.metadata.name).toBe('security.foo');
    expect(stored.spec.tier).toBe('security');
    expect(stored.metadata.labels?.[TIER_LABEL]).toBe('security');
  });

  it('reads a stored pre-3.29 policy default.foo without tier as foo in tier default, and it validates', () => {
    const stored = np({ selector: 'all()', types: ['Ingress'] }, { name: 'default.foo', namespace: 'ns' });
    const read = policyReadDefaults({ ...stored, metadata: { ...stored.metadata, name: legacyPolicyName('default.foo', stored.spec.tier, false) } });
    expect(read.metadata).toEqual({ name: 'foo', namespace: 'ns', labels: { [TIER_LABEL]: 'default' } });
    expect(read.spec.tier).toBe('default');
    expect(validate(read).errors).toEqual([]);
  });

  it('checks rule annotations like metadata annotations', () => {
    expect(ingress({ action: 'Allow', metadata: { annotations: { 'bad key': 'v' } } })).toEqual([`${R}.metadata.annotations["bad key"]`]);
    expect(ingress({ action: 'Allow', metadata: { annotations: { a: 'x'.repeat(262_143) } } })).toEqual([]);
    expect(ingress({ action: 'Allow', metadata: { annotations: { a: 'x'.repeat(262_144) } } })).toEqual([`${R}.metadata.annotations`]);
  });
});

describe('types and tier (model.md §13)', () => {
  it('infers types for the four combinations and keeps explicit types', () => {
    const rule = [{ action: 'Allow' }];
    const cases: [Record<string, unknown>, string[]][] = [
      [{}, ['Ingress']],
      [{ ingress: rule }, ['Ingress']],
      [{ egress: rule }, ['Egress']],
      [{ ingress: rule, egress: rule }, ['Ingress', 'Egress']],
      [{ types: ['Egress'], ingress: rule }, ['Egress']],
    ];
    for (const [spec, types] of cases) {
      const stored = applyDefaults(np(spec));
      expect(stored.spec.types).toEqual(types);
      expect(validate(stored).valid).toBe(true);
    }
  });

  it('rejects types [Ingress, Ingress] and [Foo]', () => {
    expect(pipelineErrors(np({ types: ['Ingress', 'Ingress'] }))).toEqual([{ path: 'spec.types[1]', type: 'duplicate', message: 'duplicates item 0' }]);
    expect(paths(np({ types: ['Foo'] }))).toEqual(['spec.types[0]']);
  });

  it('stores an absent tier as default and overwrites a conflicting tier label', () => {
    const stored = applyDefaults(np({}, { name: 'a', namespace: 'ns', labels: { [TIER_LABEL]: 'other' } }));
    expect(stored.spec.tier).toBe('default');
    expect(stored.metadata.labels).toEqual({ [TIER_LABEL]: 'default' });
    expect(validate(stored).valid).toBe(true);
  });

  it('rejects repeated performance hints', () => {
    expect(paths(np({ performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] }))).toEqual(['spec.performanceHints[1]']);
    expect(paths(np({ performanceHints: ['AssumeNeededOnEveryNode'] }))).toEqual([]);
  });
});

describe('rules (model.md §13)', () => {
  it('rejects action allow and a missing action', () => {
    expect(ingress({ action: 'allow' })).toEqual([`${R}.action`]);
    expect(rejectsAt(np({ ingress: [{ protocol: 'TCP' }] }), R)).toBe(true);
  });

  it('ports and protocols', () => {
    expect(ingress({ action: 'Allow', destination: { ports: [80] } })).toEqual([`${R}.destination.ports`]);
    expect(ingress({ action: 'Allow', destination: { ports: ['http'] } })).toEqual([]);
    expect(ingress({ action: 'Allow', protocol: 'ICMP', destination: { ports: ['http'] } })).toEqual([`${R}.destination.ports`]);
    expect(ingress({ action: 'Allow', protocol: 'UDPLite', destination: { ports: [53] } })).toEqual([`${R}.destination.ports`]);
    expect(ingress({ action: 'Allow', protocol: 132, destination: { ports: [3868] } })).toEqual([]);
  });

  it('protocol values', () => {
    for (const protocol of [0, 256, 'tcp']) expect(ingress({ action: 'Allow', protocol })).toEqual([`${R}.protocol`]);
    const stored = applyDefaults(np({ ingress: [{ action: 'Allow', protocol: '6' }] }));
    expect(stored.spec.ingress?.[0]?.protocol).toBe(6);
    expect(validate(stored).valid).toBe(true);
  });

  it('ICMP', () => {
    expect(ingress({ action: 'Allow', protocol: 'TCP', icmp: { type: 8 } })).toEqual([`${R}.icmp`]);
    expect(ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 8 } })).toEqual([]);
    expect(rejectsAt(np({ ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } }] }), `${R}.icmp`)).toBe(true);
    expect(rejectsAt(np({ ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } }] }), `${R}.icmp`)).toBe(true);
    expect(ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 255 } })).toEqual([]);
    expect(ingress({ action: 'Allow', protocol: 'ICMP', ipVersion: 6 })).toEqual([`${R}.protocol`]);
    expect(ingress({ action: 'Allow', protocol: 'ICMPv6', ipVersion: 4 })).toEqual([`${R}.protocol`]);
    expect(ingress({ action: 'Allow', notProtocol: 'ICMP', ipVersion: 6 })).toEqual([`${R}.notProtocol`]);
    expect(ingress({ action: 'Allow', notProtocol: 'ICMPv6', ipVersion: 4 })).toEqual([`${R}.notProtocol`]);
  });

  it('networks', () => {
    expect(ingress({ action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } })).toEqual([`${R}.destination.nets`]);
    expect(ingress({ action: 'Allow', ipVersion: 6, source: { nets: ['10.0.0.0/8'] } })).toEqual([`${R}.source.nets`]);
    expect(ingress({ action: 'Allow', source: { nets: ['10.0.0.1'] } })).toEqual([`${R}.source.nets[0]`]);
    expect(ingress({ action: 'Allow', source: { nets: ['10.0.0.1/8'] } })).toEqual([`${R}.source.nets[0]`]);
    expect(ingress({ action: 'Allow', source: { notNets: ['0.0.0.0/0'] } })).toEqual([`${R}.source.notNets[0]`]);
    expect(ingress({ action: 'Allow', source: { notNets: ['::/0'] } })).toEqual([`${R}.source.notNets[0]`]);
  });

  it('port values, and their stored and serialised forms', () => {
    for (const port of ['100:50', 0, '0:10', 65536]) {
      expect(ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: [port] } })).toEqual([`${R}.destination.ports[0]`]);
    }
    const doc = np({ ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['1:65535', '80:80', '1000:2000'] } }] });
    const stored = applyDefaults(doc);
    expect(validate(stored).valid).toBe(true);
    const serialised = serializeResource(doc);
    expect(serialised.spec.ingress?.[0]?.destination?.ports).toEqual(['1:65535', 80, '1000:2000']);
    expect(serializeResourceJSON(stored)).toBe(serializeResourceJSON(JSON.parse(serializeResourceJSON(stored))));
  });

  it('HTTP', () => {
    expect(ingress({ action: 'Deny', http: { methods: ['GET'] } })).toEqual([`${R}.http`]);
    expect(ingress({ action: 'Allow', protocol: 'UDP', http: { methods: ['GET'] } })).toEqual([`${R}.http`]);
    expect(paths(np({ egress: [{ action: 'Allow', http: { methods: ['GET'] } }] }))).toEqual(['spec.egress[0].http']);
    for (const path of [{ exact: '/a', prefix: '/b' }, {}, { exact: 'a' }, { prefix: '/a?b' }]) {
      expect(rejectsAt(np({ ingress: [{ action: 'Allow', http: { paths: [path] } }] }), `${R}.http.paths[0]`)).toBe(true);
    }
    expect(ingress({ action: 'Allow', http: { methods: ['GET', 'GET'] } })).toEqual([`${R}.http.methods[1]`]);
    expect(ingress({ action: 'Allow', http: { methods: ['GET', 'POST'], paths: [{ exact: '/a' }, { prefix: '/b/' }] } })).toEqual([]);
  });

  it('services', () => {
    for (const [field, value] of [
      ['selector', 'a == "b"'],
      ['notSelector', 'a == "b"'],
      ['namespaceSelector', 'a == "b"'],
      ['nets', ['10.0.0.0/8']],
      ['notNets', ['10.0.0.0/8']],
      ['serviceAccounts', { names: ['x'] }],
    ] as const) {
      expect(paths(np({ egress: [{ action: 'Allow', destination: { services: { name: 'api' }, [field]: value } }] }))).toEqual([`spec.egress[0].destination.${field}`]);
    }
    expect(rejectsAt(np({ egress: [{ action: 'Allow', destination: { services: { namespace: 'x' } } }] }), 'spec.egress[0].destination.services')).toBe(true);
    expect(paths(np({ egress: [{ action: 'Allow', protocol: 'TCP', destination: { services: { name: 'api' }, ports: [80] } }] }))).toEqual([
      'spec.egress[0].destination.ports',
    ]);
    expect(paths(np({ egress: [{ action: 'Allow', source: { services: { name: 'api' } } }] }))).toEqual(['spec.egress[0].source.services']);
    expect(paths(np({ ingress: [{ action: 'Allow', destination: { services: { name: 'api' } } }] }))).toEqual([`${R}.destination.services`]);
    expect(paths(gnp({ ingress: [{ action: 'Allow', source: { services: { name: 'api' } } }] }))).toEqual([`${R}.source.services.namespace`]);
    expect(paths(np({ ingress: [{ action: 'Allow', source: { services: { name: 'api' } } }] }))).toEqual([]);
  });

  it('selectors and global()', () => {
    expect(paths(np({ selector: 'global()' }))).toEqual(['spec.selector']);
    expect(paths(np({ serviceAccountSelector: 'has(a) && global()' }))).toEqual(['spec.serviceAccountSelector']);
    expect(paths(gnp({ namespaceSelector: 'global()' }))).toEqual(['spec.namespaceSelector']);
    expect(ingress({ action: 'Allow', source: { selector: 'global()' } })).toEqual([`${R}.source.selector`]);
    expect(ingress({ action: 'Allow', source: { namespaceSelector: 'global()' } })).toEqual([]);
    expect(ingress({ action: 'Allow', source: { namespaceSelector: 'global() && has(a)' } })).toEqual([`${R}.source.namespaceSelector`]);
    expect(ingress({ action: 'Allow', source: { namespaceSelector: '!global()' } })).toEqual([`${R}.source.namespaceSelector`]);
    expect(ingress({ action: 'Allow', source: { selector: 'a = "b"' } })).toEqual([`${R}.source.selector`]);
  });

  it('selectors longer than 1024 characters, in every field that caps them', () => {
    const long = `a == "${'x'.repeat(1020)}"`;
    const doc = gnp({
      selector: long,
      serviceAccountSelector: long,
      namespaceSelector: long,
      ingress: [{ action: 'Allow', source: { selector: long, notSelector: long, namespaceSelector: long, serviceAccounts: { selector: long } } }],
    });
    expect(paths(doc)).toEqual(
      ['spec.selector', 'spec.serviceAccountSelector', 'spec.namespaceSelector', `${R}.source.selector`, `${R}.source.notSelector`, `${R}.source.namespaceSelector`].sort(),
    );
  });

  it('list limits: 1025 rules, 257 nets, 51 ports, 21 HTTP paths', () => {
    const rules = Array.from({ length: 1025 }, () => ({ action: 'Allow' }));
    expect(rejectsAt(np({ ingress: rules }), 'spec.ingress')).toBe(true);
    expect(paths(np({ ingress: rules.slice(0, 1024) }))).toEqual([]);
    const nets = Array.from({ length: 257 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(rejectsAt(np({ ingress: [{ action: 'Allow', source: { nets } }] }), `${R}.source.nets`)).toBe(true);
    expect(paths(np({ ingress: [{ action: 'Allow', source: { nets: nets.slice(0, 256) } }] }))).toEqual([]);
    const ports = Array.from({ length: 51 }, (_, i) => i + 1);
    expect(rejectsAt(np({ ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports } }] }), `${R}.destination.ports`)).toBe(true);
    expect(paths(np({ ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ports.slice(0, 50) } }] }))).toEqual([]);
    const httpPaths = Array.from({ length: 21 }, (_, i) => ({ exact: `/p${i}` }));
    expect(rejectsAt(np({ ingress: [{ action: 'Allow', http: { paths: httpPaths } }] }), `${R}.http.paths`)).toBe(true);
    expect(paths(np({ ingress: [{ action: 'Allow', http: { paths: httpPaths.slice(0, 20) } }] }))).toEqual([]);
  });
});

describe('GlobalNetworkPolicy (model.md §10)', () => {
  const rules = [{ action: 'Allow' }];

  it('doNotTrack, preDNAT and applyOnForward', () => {
    expect(paths(gnp({ doNotTrack: true, preDNAT: true, applyOnForward: true, ingress: rules }))).toEqual(['spec.preDNAT']);
    expect(paths(gnp({ preDNAT: true, ingress: rules }))).toEqual(['spec.applyOnForward']);
    expect(paths(gnp({ doNotTrack: true, ingress: rules }))).toEqual(['spec.applyOnForward']);
    expect(paths(gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress'], egress: rules }))).toEqual(['spec.egress']);
    expect(paths(gnp({ preDNAT: true, applyOnForward: true, types: ['Ingress', 'Egress'] }))).toEqual(['spec.types']);
    expect(paths(gnp({ preDNAT: true, applyOnForward: true, ingress: rules }))).toEqual([]);
    expect(paths(gnp({ doNotTrack: true, applyOnForward: true, ingress: rules, egress: rules }))).toEqual([]);
  });
});

describe('properties through validate(applyDefaults(doc))', () => {
  it('random valid policies are valid, and validating the stored object again stays valid', () => {
    fc.assert(
      fc.property(fc.oneof(validNetworkPolicyArb, validGlobalNetworkPolicyArb), (doc) => {
        const stored = applyDefaults(doc);
        expect(validate(stored).errors).toEqual([]);
        expect(applyDefaults(stored)).toEqual(stored);
        expect(validate(JSON.parse(serializeResourceJSON(stored))).errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it.each(VIOLATIONS.map((v) => [v.name, v] as const))('one violation (%s) is reported at exactly its path', (_name, violation) => {
    const docArb = (violation.globalOnly ? validGlobalNetworkPolicyArb : fc.oneof(validNetworkPolicyArb, validGlobalNetworkPolicyArb)) as fc.Arbitrary<NetworkPolicy>;
    fc.assert(
      fc.property(docArb, fc.nat({ max: 4 }), (base, index) => {
        const { doc, path } = withViolation(base as unknown as { spec: Record<string, unknown> }, violation, index);
        expect(paths(doc)).toEqual([path]);
      }),
      { numRuns: 25 },
    );
  });
});
