/**
 * Rule checks at function level (model.md §9.5 cross-field rules 1–9, §9.7 HTTP, §5.3/§5.4
 * protocols and ports): defaults then `checkNetworkPolicy`, with the exact paths reported.
 */
import { describe, expect, it } from 'vitest';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { checkHTTPMatch, checkRule } from '../../../src/model/rule.js';
import { checkErrors, egressRule, ingressRule, np, pathsOf } from './helpers.js';

const R = 'spec.ingress[0]';

function ingressPaths(rule: Record<string, unknown>): string[] {
  return pathsOf(checkErrors(ingressRule(rule)));
}

describe('action', () => {
  it('requires an action and rejects lower case', () => {
    expect(ingressPaths({ protocol: 'TCP' })).toEqual([`${R}.action`]);
    expect(ingressPaths({ action: 'allow' })).toEqual([`${R}.action`]);
    expect(checkErrors(ingressRule({ action: 'allow' }))[0]?.type).toBe('notSupported');
    for (const action of ['Allow', 'Deny', 'Log', 'Pass']) expect(ingressPaths({ action })).toEqual([]);
  });
});

describe('protocols (model.md §5.3)', () => {
  it('rejects 0, 256, "tcp" and non-integers; accepts names, numbers and decimal strings', () => {
    for (const protocol of [0, 256, 'tcp', 1.5, -1, 'Icmp']) {
      expect(ingressPaths({ action: 'Allow', protocol })).toEqual([`${R}.protocol`]);
      expect(ingressPaths({ action: 'Allow', notProtocol: protocol })).toEqual([`${R}.notProtocol`]);
    }
    for (const protocol of [1, 255, '6', 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite']) {
      expect(ingressPaths({ action: 'Allow', protocol })).toEqual([]);
    }
  });
});

describe('ports and protocols (rules 1 and 2)', () => {
  it('rejects numeric ports and ranges without a protocol, on the field that has them', () => {
    expect(ingressPaths({ action: 'Allow', destination: { ports: [80] } })).toEqual([`${R}.destination.ports`]);
    expect(ingressPaths({ action: 'Allow', source: { notPorts: ['1000:2000'] } })).toEqual([`${R}.source.notPorts`]);
    expect(ingressPaths({ action: 'Allow', source: { ports: ['http', 443] }, destination: { notPorts: [22] } })).toEqual([
      `${R}.destination.notPorts`,
      `${R}.source.ports`,
    ]);
  });

  it('accepts named ports without a protocol', () => {
    expect(ingressPaths({ action: 'Allow', destination: { ports: ['http'], notPorts: ['metrics'] } })).toEqual([]);
  });

  it('rejects any port, even named, with ICMP or UDPLite; accepts ports with 132', () => {
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', destination: { ports: ['http'] } })).toEqual([`${R}.destination.ports`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'UDPLite', source: { ports: [53] } })).toEqual([`${R}.source.ports`]);
    expect(ingressPaths({ action: 'Allow', protocol: 136, source: { notPorts: [53] } })).toEqual([`${R}.source.notPorts`]);
    expect(ingressPaths({ action: 'Allow', protocol: 132, destination: { ports: [3868] } })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', protocol: '17', destination: { ports: ['53', '1:65535'] } })).toEqual([]);
  });

  it('rejects invalid ports at their index', () => {
    expect(ingressPaths({ action: 'Allow', protocol: 'TCP', destination: { ports: ['100:50', 0, '0:10', 65536, 80, 'HTTP', 'my_port', '100-200'] } })).toEqual(
      [0, 1, 2, 3, 5, 6, 7].map((i) => `${R}.destination.ports[${i}]`).sort(),
    );
  });
});

describe('ICMP (rules 3 and 4)', () => {
  it('requires an ICMP protocol for icmp', () => {
    expect(ingressPaths({ action: 'Allow', protocol: 'TCP', icmp: { type: 8 } })).toEqual([`${R}.icmp`]);
    expect(ingressPaths({ action: 'Allow', icmp: { type: 8 } })).toEqual([`${R}.icmp`]);
    for (const protocol of ['ICMP', 'ICMPv6', 1, 58, '1']) expect(ingressPaths({ action: 'Allow', protocol, icmp: { type: 8 } })).toEqual([]);
  });

  it('checks type and code ranges and that a code has a type', () => {
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } })).toEqual([`${R}.icmp`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } })).toEqual([`${R}.icmp.type`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 256 } })).toEqual([`${R}.icmp.code`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', icmp: { type: 3, code: 255 } })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', notICMP: { code: 1 } })).toEqual([`${R}.notICMP`]);
    expect(ingressPaths({ action: 'Allow', notICMP: { type: 0, code: 0 } })).toEqual([]);
  });

  it('requires ICMP with ipVersion 4 and ICMPv6 with ipVersion 6, for protocol and notProtocol', () => {
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', ipVersion: 6 })).toEqual([`${R}.protocol`]);
    expect(ingressPaths({ action: 'Allow', protocol: 1, ipVersion: 6 })).toEqual([`${R}.protocol`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMPv6', ipVersion: 4 })).toEqual([`${R}.protocol`]);
    expect(ingressPaths({ action: 'Allow', notProtocol: 'ICMP', ipVersion: 6 })).toEqual([`${R}.notProtocol`]);
    expect(ingressPaths({ action: 'Allow', notProtocol: '58', ipVersion: 4 })).toEqual([`${R}.notProtocol`]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMP', ipVersion: 4 })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMPv6', ipVersion: 6 })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', protocol: 'ICMPv6' })).toEqual([]);
  });
});

describe('networks (rules 5, 6 and 7)', () => {
  it('rejects a rule that mixes IPv4 and IPv6, on the field that makes it inconsistent', () => {
    expect(ingressPaths({ action: 'Allow', source: { nets: ['10.0.0.0/8'] }, destination: { nets: ['fd00::/8'] } })).toEqual([`${R}.destination.nets`]);
    expect(ingressPaths({ action: 'Allow', source: { nets: ['10.0.0.0/8', 'fd00::/8'] } })).toEqual([`${R}.source.nets`]);
    expect(ingressPaths({ action: 'Allow', source: { notNets: ['fd00::/8'] }, destination: { notNets: ['10.0.0.0/8'] } })).toEqual([
      `${R}.destination.notNets`,
    ]);
  });

  it('rejects networks of the other family than ipVersion', () => {
    expect(ingressPaths({ action: 'Allow', ipVersion: 6, source: { nets: ['10.0.0.0/8'] } })).toEqual([`${R}.source.nets`]);
    expect(ingressPaths({ action: 'Allow', ipVersion: 4, destination: { notNets: ['fd00::/8'] } })).toEqual([`${R}.destination.notNets`]);
    expect(ingressPaths({ action: 'Allow', ipVersion: 4, source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['192.168.0.0/16'] } })).toEqual([]);
  });

  it('treats an IPv4-mapped IPv6 network as IPv4, like Go', () => {
    expect(ingressPaths({ action: 'Allow', ipVersion: 4, source: { nets: ['::ffff:10.0.0.0/104'] } })).toEqual([]);
  });

  it('requires an explicit prefix and zero host bits, per entry', () => {
    expect(ingressPaths({ action: 'Allow', source: { nets: ['10.0.0.1'] } })).toEqual([`${R}.source.nets[0]`]);
    expect(ingressPaths({ action: 'Allow', source: { nets: ['10.0.0.0/8', '10.0.0.1/8'] } })).toEqual([`${R}.source.nets[1]`]);
    expect(ingressPaths({ action: 'Allow', destination: { notNets: ['garbage'] } })).toEqual([`${R}.destination.notNets[0]`]);
    expect(ingressPaths({ action: 'Allow', destination: { nets: ['10.0.0.1/32'] } })).toEqual([]);
  });

  it('rejects a catch-all in notNets but accepts it in nets', () => {
    for (const net of ['0.0.0.0/0', '::/0', '0:0:0:0:0:0:0:0/0', '::0/0']) {
      expect(ingressPaths({ action: 'Allow', source: { notNets: [net] } })).toEqual([`${R}.source.notNets[0]`]);
    }
    expect(ingressPaths({ action: 'Allow', source: { nets: ['0.0.0.0/0'] } })).toEqual([]);
  });
});

describe('HTTP (rule 8, §9.7)', () => {
  it('allows http only on Allow rules with TCP or no protocol', () => {
    const http = { methods: ['GET'], paths: [{ exact: '/' }] };
    expect(ingressPaths({ action: 'Allow', http })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', protocol: 'TCP', http })).toEqual([]);
    expect(ingressPaths({ action: 'Allow', protocol: '6', http })).toEqual([]);
    expect(ingressPaths({ action: 'Deny', http })).toEqual([`${R}.http`]);
    expect(checkErrors(ingressRule({ action: 'Deny', http }))[0]?.type).toBe('forbidden');
    expect(ingressPaths({ action: 'Allow', protocol: 'UDP', http })).toEqual([`${R}.http`]);
  });

  it('checks paths: exactly one of exact and prefix, leading /, no ?, # or space, at most 1024 characters', () => {
    const at = (i: number, field?: string) => `${R}.http.paths[${i}]${field ? `.${field}` : ''}`;
    const paths = [{ exact: '/a', prefix: '/b' }, {}, { exact: 'a' }, { prefix: '/a?b' }, { exact: '/a#b' }, { prefix: '/a b' }, { exact: `/${'a'.repeat(1024)}` }, { prefix: '/ok' }];
    expect(ingressPaths({ action: 'Allow', http: { paths } })).toEqual(
      [at(0), at(1), at(2, 'exact'), at(3, 'prefix'), at(4, 'exact'), at(5, 'prefix'), at(6, 'exact')].sort(),
    );
  });

  it('reports an empty exact or prefix on its field and leaves values of other types to the schema', () => {
    expect(ingressPaths({ action: 'Allow', http: { paths: [{ exact: '' }, { prefix: '' }, { exact: 5 }] } })).toEqual([
      `${R}.http.paths[0].exact`,
      `${R}.http.paths[1].prefix`,
    ]);
  });

  it('rejects duplicate methods', () => {
    expect(ingressPaths({ action: 'Allow', http: { methods: ['GET', 'PUT', 'GET', 'PUT'] } })).toEqual([`${R}.http.methods[2]`, `${R}.http.methods[3]`]);
    const { errors, report } = collectFieldErrors();
    checkHTTPMatch({ methods: ['GET', 'GET'] }, 'x.http', report);
    expect(errors).toEqual([{ path: 'x.http.methods[1]', type: 'duplicate', message: 'duplicates item 0' }]);
  });
});

describe('services and ports (rule 9)', () => {
  it('rejects destination ports and notPorts with destination.services', () => {
    expect(pathsOf(checkErrors(egressRule({ action: 'Allow', protocol: 'TCP', destination: { services: { name: 'api' }, ports: [80], notPorts: [81] } })))).toEqual([
      'spec.egress[0].destination.notPorts',
      'spec.egress[0].destination.ports',
    ]);
    expect(pathsOf(checkErrors(egressRule({ action: 'Allow', destination: { services: { name: 'api', namespace: 'x' } } })))).toEqual([]);
  });
});

describe('rule annotations', () => {
  it('checks rule annotations with the metadata rules', () => {
    const big = 'v'.repeat(262_144);
    expect(ingressPaths({ action: 'Allow', metadata: { annotations: { '-bad': 'x' } } })).toEqual([`${R}.metadata.annotations["-bad"]`]);
    expect(ingressPaths({ action: 'Allow', metadata: { annotations: { k: big } } })).toEqual([`${R}.metadata.annotations`]);
    expect(ingressPaths({ action: 'Allow', metadata: { annotations: { 'Example.com/Owner': 'me' } } })).toEqual([]);
  });
});

describe('checkRule robustness', () => {
  it('never throws on values of the wrong type', () => {
    const values = [null, 1, 'x', [], {}, { action: 5 }, { action: 'Allow', source: 'x', destination: [], http: 1, icmp: 'x', metadata: 1 }];
    for (const rule of values) {
      const { report } = collectFieldErrors();
      expect(() => checkRule(rule, 'r', report)).not.toThrow();
    }
    const { errors, report } = collectFieldErrors();
    checkRule({ action: 'Allow', source: { nets: [1, null], ports: [{}], selector: 5 }, destination: { services: 'x' } }, 'r', report);
    expect(errors).toEqual([]);
  });

  it('reports every failing field of a rule, not only the first', () => {
    const errors = checkErrors(
      np({
        ingress: [
          {
            action: 'Deny',
            protocol: 'ICMP',
            ipVersion: 6,
            icmp: { type: 8 },
            http: { methods: ['GET'] },
            source: { nets: ['10.0.0.1'], ports: [80] },
          },
        ],
      }),
    );
    expect(pathsOf(errors)).toEqual([`${R}.http`, `${R}.protocol`, `${R}.source.nets[0]`, `${R}.source.ports`]);
  });
});
