/**
 * ajv-level validation: the error paths, types and messages the schema layer produces.
 */
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { SCHEMA_FORMATS } from '../../../src/model/schema-formats.js';
import { keyPath, pointerToPath } from '../../../src/model/schema-path.js';
import { schemaValidatorFor, validateSchema } from '../../../src/model/schema-validator.js';
import { validDocs } from '../validate/fixtures.js';

const at = (errors: FieldError[], path: string) => errors.filter((e) => e.path === path);

function policyWith(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ns' }, spec };
}

function ruleErrors(rule: Record<string, unknown>): FieldError[] {
  return validateSchema('NetworkPolicy', policyWith({ ingress: [rule] }));
}

describe('field paths', () => {
  it('turns JSON pointers into dotted paths with array indexes', () => {
    const doc = { spec: { ingress: [{ destination: { ports: [1, 2] } }] } };
    expect(pointerToPath('/spec/ingress/0/destination/ports/1', doc)).toBe('spec.ingress[0].destination.ports[1]');
    expect(pointerToPath('', doc)).toBe('');
    expect(pointerToPath('/spec', doc, 'extra')).toBe('spec.extra');
  });

  it('keeps map keys as keys, quoting the ones that are not identifiers', () => {
    const doc = { metadata: { labels: { '0': 'a', 'example.com/app': 'b', 'a~b': 'c' } } };
    expect(pointerToPath('/metadata/labels/0', doc)).toBe('metadata.labels["0"]');
    expect(pointerToPath('/metadata/labels/example.com~1app', doc)).toBe('metadata.labels["example.com/app"]');
    expect(pointerToPath('/metadata/labels/a~0b', doc)).toBe('metadata.labels["a~b"]');
    expect(keyPath('metadata.labels', 'app')).toBe('metadata.labels.app');
    expect(keyPath('', 'spec')).toBe('spec');
  });
});

describe('validateSchema', () => {
  it('accepts the sample document of every kind', () => {
    for (const [kind, doc] of Object.entries(validDocs())) {
      expect(validateSchema(kind as keyof ReturnType<typeof validDocs>, doc), kind).toEqual([]);
    }
  });

  it('compiles each kind once and reuses the function', () => {
    expect(schemaValidatorFor('Tier')).toBe(schemaValidatorFor('Tier'));
    expect(schemaValidatorFor('Tier')).not.toBe(schemaValidatorFor('IPPool'));
  });

  it('reports a missing required field at its own path', () => {
    const errors = validateSchema('IPPool', { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: {} });
    expect(errors).toEqual([{ path: 'spec.cidr', type: 'required', message: 'is required' }]);
    expect(ruleErrors({})).toEqual([{ path: 'spec.ingress[0].action', type: 'required', message: 'is required' }]);
  });

  it('reports unknown fields anywhere, including the legacy IPPool fields', () => {
    const pool = validDocs().IPPool as unknown as { spec: Record<string, unknown>; metadata: Record<string, unknown>; extra?: string };
    pool.spec.ipip = { enabled: true };
    pool.spec['nat-outgoing'] = true;
    pool.metadata.bogus = 1;
    pool.extra = 'x';
    const errors = validateSchema('IPPool', pool);
    expect(errors.map((e) => [e.path, e.type, e.message])).toEqual([
      ['extra', 'forbidden', 'unknown field'],
      ['metadata.bogus', 'forbidden', 'unknown field'],
      ['spec.ipip', 'forbidden', 'unknown field'],
      ['spec["nat-outgoing"]', 'forbidden', 'unknown field'],
    ]);
    const rule = ruleErrors({ action: 'Allow', source: { nets: ['10.0.0.0/8'], sel: 'x' } });
    expect(rule).toEqual([{ path: 'spec.ingress[0].source.sel', type: 'forbidden', message: 'unknown field' }]);
  });

  it('collapses the alternatives of number-or-string values into one error per field', () => {
    const errors = ruleErrors({ action: 'Allow', protocol: 'tcp', notProtocol: 0, destination: { ports: [0, 'HTTP', 65536, '1:2', 'http'] } });
    expect(errors.map((e) => e.path)).toEqual([
      'spec.ingress[0].protocol',
      'spec.ingress[0].notProtocol',
      'spec.ingress[0].destination.ports[0]',
      'spec.ingress[0].destination.ports[1]',
      'spec.ingress[0].destination.ports[2]',
    ]);
    expect(at(errors, 'spec.ingress[0].protocol')[0]).toMatchObject({ type: 'invalid', value: 'tcp' });
    expect(at(errors, 'spec.ingress[0].protocol')[0]!.message).toContain('TCP, UDP, ICMP');
    expect(errors.every((e) => !/anyOf|schema|instance/i.test(e.message))).toBe(true);
  });

  it('accepts the protocols and ports Calico accepts', () => {
    for (const protocol of [1, 6, 255, '6', '255', 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite']) {
      expect(ruleErrors({ action: 'Allow', protocol }), String(protocol)).toEqual([]);
    }
    for (const protocol of [0, 256, -1, 1.5, '0', '256', 'tcp', 'Tcp', '']) {
      expect(ruleErrors({ action: 'Allow', protocol }), String(protocol)).toHaveLength(1);
    }
    expect(ruleErrors({ action: 'Allow', protocol: 'TCP', destination: { ports: [1, 65535, '80', '1:65535', 'http', 'my-port'] } })).toEqual([]);
  });

  it('needs an ICMP type before a code, and bounds both', () => {
    expect(ruleErrors({ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } })).toEqual([
      { path: 'spec.ingress[0].icmp', type: 'invalid', message: 'code can only be set together with type' },
    ]);
    expect(ruleErrors({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 255 } })).toEqual([]);
    expect(ruleErrors({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } })).toEqual([
      { path: 'spec.ingress[0].icmp.type', type: 'invalid', message: 'must be at most 254', value: 255 },
    ]);
    expect(ruleErrors({ action: 'Allow', notICMP: { code: 1 } }).map((e) => e.path)).toEqual(['spec.ingress[0].notICMP']);
  });

  it('checks HTTP paths: exactly one of exact/prefix, a leading slash, no ? # or space', () => {
    const http = { paths: [{ exact: '/a', prefix: '/b' }, {}, { exact: 'a' }, { prefix: '/a?b' }, { prefix: '/ok' }], methods: ['GET', 'GET'] };
    const errors = ruleErrors({ action: 'Allow', http });
    expect(errors.map((e) => [e.path, e.type])).toEqual([
      ['spec.ingress[0].http.methods[1]', 'duplicate'],
      ['spec.ingress[0].http.paths[0]', 'invalid'],
      ['spec.ingress[0].http.paths[1]', 'invalid'],
      ['spec.ingress[0].http.paths[2].exact', 'invalid'],
      ['spec.ingress[0].http.paths[3].prefix', 'invalid'],
    ]);
  });

  it('enforces the list caps as tooMany errors', () => {
    const rules = Array.from({ length: 1025 }, () => ({ action: 'Allow' }));
    expect(validateSchema('NetworkPolicy', policyWith({ ingress: rules }))).toEqual([
      { path: 'spec.ingress', type: 'tooMany', message: 'must have at most 1024 items' },
    ]);
    expect(validateSchema('NetworkPolicy', policyWith({ ingress: rules.slice(0, 1024) }))).toEqual([]);
    const nets = Array.from({ length: 257 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    expect(ruleErrors({ action: 'Allow', source: { nets } }).map((e) => [e.path, e.type])).toEqual([['spec.ingress[0].source.nets', 'tooMany']]);
    const ports = Array.from({ length: 51 }, (_, i) => i + 1);
    expect(ruleErrors({ action: 'Allow', protocol: 'TCP', destination: { ports } }).map((e) => e.type)).toEqual(['tooMany']);
    const paths = Array.from({ length: 21 }, (_, i) => ({ exact: `/p${i}` }));
    expect(ruleErrors({ action: 'Allow', http: { paths } }).map((e) => e.type)).toEqual(['tooMany']);
    const pool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', allowedUses: Array(11).fill('Workload') } };
    expect(validateSchema('IPPool', pool).map((e) => [e.path, e.type])).toContainEqual(['spec.allowedUses', 'tooMany']);
  });

  it('reports duplicates at the later index', () => {
    const errors = validateSchema('NetworkPolicy', policyWith({ types: ['Ingress', 'Ingress'], performanceHints: ['AssumeNeededOnEveryNode', 'AssumeNeededOnEveryNode'] }));
    expect(errors).toEqual([
      { path: 'spec.types[1]', type: 'duplicate', message: 'duplicates item 0' },
      { path: 'spec.performanceHints[1]', type: 'duplicate', message: 'duplicates item 0' },
    ]);
    expect(validateSchema('NetworkPolicy', policyWith({ types: ['Foo'] }))).toEqual([
      { path: 'spec.types[0]', type: 'notSupported', message: 'must be one of Ingress, Egress', value: 'Foo' },
    ]);
  });

  it('rejects case variants of enums (v1 spellings)', () => {
    const pool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', ipipMode: 'always', vxlanMode: 'cross-subnet', assignmentMode: '' } };
    expect(validateSchema('IPPool', pool).map((e) => [e.path, e.type])).toEqual([
      ['spec.ipipMode', 'notSupported'],
      ['spec.vxlanMode', 'notSupported'],
      ['spec.assignmentMode', 'notSupported'],
    ]);
    expect(ruleErrors({ action: 'allow' })).toEqual([
      { path: 'spec.ingress[0].action', type: 'notSupported', message: 'must be one of Allow, Deny, Log, Pass', value: 'allow' },
    ]);
  });

  it('checks Node formats and refuses an empty bgp block', () => {
    const node = (spec: Record<string, unknown>, status?: Record<string, unknown>) => ({ apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n' }, spec, ...(status ? { status } : {}) });
    expect(validateSchema('Node', node({ bgp: {} }))).toEqual([{ path: 'spec.bgp', type: 'invalid', message: 'must set at least one field' }]);
    expect(validateSchema('Node', node({ bgp: { ipv4Address: '10.0.0.5/24' } }))).toEqual([]);
    expect(validateSchema('Node', node({ bgp: { ipv4Address: 'fd00::1/64' } })).map((e) => e.path)).toEqual(['spec.bgp.ipv4Address']);
    expect(validateSchema('Node', node({ bgp: { ipv4IPIPTunnelAddr: '10.0.0.1/32' } })).map((e) => e.path)).toEqual(['spec.bgp.ipv4IPIPTunnelAddr']);
    expect(validateSchema('Node', node({ bgp: { routeReflectorClusterID: '224.0.0.1', asNumber: '1.10' } }))).toEqual([]);
    expect(validateSchema('Node', node({ bgp: { asNumber: 4294967296 } })).map((e) => e.path)).toEqual(['spec.bgp.asNumber']);
    expect(validateSchema('Node', node({ vxlanTunnelMACAddr: 'zz:00:00:00:00:00' }))[0]).toMatchObject({ path: 'spec.vxlanTunnelMACAddr', message: 'must be a MAC address' });
    expect(validateSchema('Node', node({}, { wireguardPublicKey: 'not-a-key' })).map((e) => e.path)).toEqual(['status.wireguardPublicKey']);
    expect(validateSchema('Node', node({}, { wireguardPublicKey: `${'A'.repeat(43)}=` }))).toEqual([]);
    expect(validateSchema('Node', node({ addresses: [{ address: '10.0.0.5/24', type: 'Other' }] })).map((e) => [e.path, e.type])).toEqual([
      ['spec.addresses[0].type', 'notSupported'],
    ]);
  });

  it('reports an empty string that fails a format or pattern as required', () => {
    const wep = validDocs().WorkloadEndpoint;
    wep.spec.interfaceName = '';
    wep.spec.pod = '';
    expect(validateSchema('WorkloadEndpoint', wep)).toEqual([
      { path: 'spec.pod', type: 'required', message: 'must not be empty', value: '' },
      { path: 'spec.interfaceName', type: 'required', message: 'must not be empty', value: '' },
    ]);
  });

  it('reports type errors in plain words and reports non-objects at the root', () => {
    expect(validateSchema('Tier', 5)).toEqual([{ path: '', type: 'invalid', message: 'must be an object', value: 5 }]);
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't', labels: { a: 1 } }, spec: { order: 'first' } };
    expect(validateSchema('Tier', tier)).toEqual([
      { path: 'metadata.labels.a', type: 'invalid', message: 'must be a string', value: 1 },
      { path: 'spec.order', type: 'invalid', message: 'must be a number', value: 'first' },
    ]);
    const nan = { ...tier, metadata: { name: 't' }, spec: { order: Number.NaN } };
    expect(validateSchema('Tier', nan).map((e) => e.path)).toEqual(['spec.order']);
  });

  it('never echoes long values', () => {
    const long = 'x'.repeat(2000);
    const errors = ruleErrors({ action: 'Allow', source: { selector: long } });
    expect(errors).toEqual([{ path: 'spec.ingress[0].source.selector', type: 'tooLong', message: 'must be at most 1024 characters' }]);
  });
});

describe('formats', () => {
  const cases: Record<string, { ok: string[]; bad: string[] }> = {
    cidr: { ok: ['10.0.0.0/24', '10.0.0.1/24', 'fd00::/64', '0.0.0.0/0'], bad: ['10.0.0.0', '10.0.0.0/33', '010.0.0.0/8', 'x', ''] },
    'calico-net': { ok: ['10.0.0.0/24', '10.0.0.1', 'fd00::1/128'], bad: ['10.0.0.1/24', 'fd00::1/64', ''] },
    'calico-cidr': { ok: ['10.0.0.1/24', '10.0.0.1', 'fd00::1/64'], bad: ['10.0.0.1/40', 'fe80::1%eth0', ''] },
    'calico-cidrv4': { ok: ['10.0.0.5/24', '10.0.0.5'], bad: ['fd00::1/64'] },
    'calico-cidrv6': { ok: ['fd00::1/64'], bad: ['10.0.0.5/24'] },
    'calico-ip': { ok: ['10.0.0.1', '::1'], bad: ['10.0.0.0/32', ''] },
    ipv4: { ok: ['10.0.0.1', '::ffff:10.0.0.1'], bad: ['fd00::1', '10.0.0.1/32', '01.0.0.1'] },
    ipv6: { ok: ['fd00::1'], bad: ['::ffff:10.0.0.1', '10.0.0.1'] },
    mac: { ok: ['66:cf:23:df:22:07', '66-CF-23-DF-22-07', '0000.5e00.5301'], bad: ['zz:00:00:00:00:00', '66:cf:23:df:22'] },
  };
  for (const [name, { ok, bad }] of Object.entries(cases)) {
    it(`${name} follows Go's parsing rules`, () => {
      const format = SCHEMA_FORMATS[name]!;
      for (const s of ok) expect(format.validate(s), s).toBe(true);
      for (const s of bad) expect(format.validate(s), s).toBe(false);
    });
  }
});
