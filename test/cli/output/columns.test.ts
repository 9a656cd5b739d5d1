import { describe, expect, it } from 'vitest';
import { cellValue, checkCustomColumns, kindColumns } from '../../../src/cli/output/columns.js';
import { OutputFormatError } from '../../../src/cli/output/output-format.js';
import { renderOutput } from '../../../src/cli/output/render.js';
import { obj } from './fixtures.js';

const ctx = { defaultASNumber: '64512' };

describe('kindColumns', () => {
  it('has the §8.1 ps and wide columns', () => {
    expect(kindColumns('Node')).toMatchObject({ ps: ['NAME'], wide: ['NAME', 'ASN', 'IPV4', 'IPV6'] });
    expect(kindColumns('IPPool').wide).toEqual(['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR', 'ASSIGNMENTMODE']);
    expect(kindColumns('WorkloadEndpoint').ps).toEqual(['WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE']);
    expect(kindColumns('NetworkPolicy')).toMatchObject({ ps: ['NAME', 'TIER'], wide: ['NAME', 'TIER', 'ORDER', 'SELECTOR'] });
    expect(kindColumns('Profile').wide).toEqual(['NAME', 'LABELS']);
    expect(kindColumns('Tier')).toMatchObject({ ps: ['NAME', 'ORDER'], wide: ['NAME', 'ORDER'] });
  });

  it('lists the valid custom columns: wide order, then NAMESPACE, then ORCHESTRATOR', () => {
    expect(kindColumns('WorkloadEndpoint').valid).toEqual(['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS', 'NAMESPACE', 'ORCHESTRATOR']);
    expect(kindColumns('NetworkPolicy').valid).toEqual(['NAME', 'TIER', 'ORDER', 'SELECTOR', 'NAMESPACE']);
    expect(kindColumns('GlobalNetworkPolicy').valid).toEqual(['NAME', 'TIER', 'ORDER', 'SELECTOR']);
  });

  it('refuses kinds without a table', () => {
    expect(() => kindColumns('BGPPeer')).toThrow('no table columns are defined for kind BGPPeer');
  });
});

describe('checkCustomColumns', () => {
  it('accepts known names and reports the first unknown one with the valid list', () => {
    expect(() => checkCustomColumns('Node', ['NAME', 'ASN'])).not.toThrow();
    let error: unknown;
    try {
      checkCustomColumns('Node', ['NAME', 'name', 'X']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputFormatError);
    expect((error as Error).message).toBe('unknown heading name, valid values are: NAME, ASN, IPV4, IPV6');
    expect(() => checkCustomColumns('Node', ['NAMESPACE'])).toThrow('unknown heading NAMESPACE');
  });
});

describe('cellValue', () => {
  it('Node ASN: empty without bgp, default in parentheses, explicit number, asdot converted', () => {
    expect(cellValue('ASN', obj('Node', { name: 'n' }, {}), ctx)).toBe('');
    expect(cellValue('ASN', obj('Node', { name: 'n' }, { bgp: { ipv4Address: '10.0.0.11/24' } }), ctx)).toBe('(64512)');
    expect(cellValue('ASN', obj('Node', { name: 'n' }, { bgp: {} }), { defaultASNumber: 'unknown' })).toBe('(unknown)');
    expect(cellValue('ASN', obj('Node', { name: 'n' }, { bgp: { asNumber: 65001 } }), ctx)).toBe('65001');
    expect(cellValue('ASN', obj('Node', { name: 'n' }, { bgp: { asNumber: 0 } }), ctx)).toBe('0');
    expect(cellValue('ASN', obj('Node', { name: 'n' }, { bgp: { asNumber: '1.10' } }), ctx)).toBe('65546');
  });

  it('Node IPV4/IPV6 with prefix, empty when absent', () => {
    const node = obj('Node', { name: 'n' }, { bgp: { ipv4Address: '10.0.0.11/24' } });
    expect(cellValue('IPV4', node, ctx)).toBe('10.0.0.11/24');
    expect(cellValue('IPV6', node, ctx)).toBe('');
    expect(cellValue('IPV4', obj('Node', { name: 'n' }), ctx)).toBe('');
  });

  it('IPPool: booleans, Never for empty modes, <nil> for an absent assignment mode', () => {
    const bare = obj('IPPool', { name: 'p' }, { cidr: '10.0.0.0/16' });
    expect(['NAT', 'DISABLED', 'DISABLEBGPEXPORT', 'IPIPMODE', 'VXLANMODE', 'ASSIGNMENTMODE', 'SELECTOR'].map((c) => cellValue(c, bare, ctx))).toEqual([
      'false', 'false', 'false', 'Never', 'Never', '<nil>', '',
    ]);
    const full = obj('IPPool', { name: 'p' }, {
      cidr: '10.0.0.0/16', natOutgoing: true, disabled: true, disableBGPExport: true, ipipMode: 'CrossSubnet', vxlanMode: '', assignmentMode: 'Manual', nodeSelector: 'all()',
    });
    expect(['NAT', 'DISABLED', 'DISABLEBGPEXPORT', 'IPIPMODE', 'VXLANMODE', 'ASSIGNMENTMODE', 'SELECTOR'].map((c) => cellValue(c, full, ctx))).toEqual([
      'true', 'true', 'true', 'CrossSubnet', 'Never', 'Manual', 'all()',
    ]);
  });

  it('WorkloadEndpoint: workload or pod, joined networks/profiles, NATS pairs', () => {
    const wep = obj('WorkloadEndpoint', { name: 'w', namespace: 'ns' }, {
      pod: 'pod1', node: 'node1', interfaceName: 'cali0', orchestrator: 'k8s',
      ipNetworks: ['10.0.0.1/32', 'fd00::1/128'], profiles: ['kns.ns', 'ksa.ns.default'],
      ipNATs: [{ internalIP: '10.0.0.1', externalIP: '172.16.0.1' }, { internalIP: 'fd00::1', externalIP: 'fd01::1' }],
    });
    expect(cellValue('WORKLOAD', wep, ctx)).toBe('pod1');
    expect(cellValue('WORKLOAD', obj('WorkloadEndpoint', { name: 'w' }, { workload: 'vm1', pod: 'pod1' }), ctx)).toBe('vm1');
    expect(cellValue('NETWORKS', wep, ctx)).toBe('10.0.0.1/32,fd00::1/128');
    expect(cellValue('PROFILES', wep, ctx)).toBe('kns.ns,ksa.ns.default');
    expect(cellValue('NATS', wep, ctx)).toBe('{10.0.0.1 172.16.0.1},{fd00::1 fd01::1}');
    expect(cellValue('NATS', obj('WorkloadEndpoint', { name: 'w' }, {}), ctx)).toBe('');
    expect([cellValue('NODE', wep, ctx), cellValue('INTERFACE', wep, ctx), cellValue('ORCHESTRATOR', wep, ctx), cellValue('NAMESPACE', wep, ctx)]).toEqual(['node1', 'cali0', 'k8s', 'ns']);
  });

  it('policies and tiers: order via Go %v, <nil> when absent; policy SELECTOR is spec.selector', () => {
    const gnp = obj('GlobalNetworkPolicy', { name: 'g' }, { tier: 'security', order: 1500000, selector: 'role == "db"' });
    expect([cellValue('TIER', gnp, ctx), cellValue('ORDER', gnp, ctx), cellValue('SELECTOR', gnp, ctx)]).toEqual(['security', '1.5e+06', 'role == "db"']);
    expect(cellValue('ORDER', obj('NetworkPolicy', { name: 'p', namespace: 'a' }, { tier: 'default' }), ctx)).toBe('<nil>');
    expect(cellValue('ORDER', obj('Tier', { name: 't' }, { order: 0.5 }), ctx)).toBe('0.5');
  });

  it('Profile LABELS: sorted key=value pairs', () => {
    const profile = obj('Profile', { name: 'kns.shop' }, { labelsToApply: { 'projectcalico.org/name': 'shop', app: 'web', Zone: 'a' } });
    expect(cellValue('LABELS', profile, ctx)).toBe('Zone=a,app=web,projectcalico.org/name=shop');
    expect(cellValue('LABELS', obj('Profile', { name: 'p' }, {}), ctx)).toBe('');
  });

  it('rejects a column the object kind does not have', () => {
    expect(() => cellValue('CIDR', obj('Node', { name: 'n' }), ctx)).toThrow('unknown heading CIDR, valid values are: NAME, ASN, IPV4, IPV6');
  });
});

describe('wide tables', () => {
  it('Node -o wide shows the default AS number passed by the caller', () => {
    const nodes = [
      obj('Node', { name: 'node1' }, { bgp: { ipv4Address: '10.0.0.11/24' } }),
      obj('Node', { name: 'node2' }, { bgp: { asNumber: 65001, ipv4Address: '10.0.0.12/24', ipv6Address: 'fd00::12/64' } }),
      obj('Node', { name: 'node3' }, {}),
    ];
    const text = renderOutput({ format: { type: 'wide' }, kind: 'Node', namespaced: false, showNamespace: false, units: [{ list: { items: nodes, resourceVersion: '1' } }], defaultASNumber: '64512' });
    expect(text).toBe(
      'NAME    ASN       IPV4           IPV6          \n' +
      'node1   (64512)   10.0.0.11/24                 \n' +
      'node2   65001     10.0.0.12/24   fd00::12/64   \n' +
      'node3                                          \n' +
      '\n',
    );
  });

  it('WorkloadEndpoint -o wide', () => {
    const wep = obj('WorkloadEndpoint', { name: 'node1-k8s-pod1-eth0', namespace: 'shop' }, {
      pod: 'pod1', node: 'node1', interfaceName: 'cali1', ipNetworks: ['10.0.0.5/32'], profiles: ['kns.shop'], ipNATs: [{ internalIP: '10.0.0.5', externalIP: '1.2.3.4' }],
    });
    const text = renderOutput({ format: { type: 'wide' }, kind: 'WorkloadEndpoint', namespaced: true, showNamespace: false, units: [{ object: wep }] });
    expect(text).toBe(
      'NAME                  WORKLOAD   NODE    NETWORKS      INTERFACE   PROFILES   NATS                 \n' +
      'node1-k8s-pod1-eth0   pod1       node1   10.0.0.5/32   cali1       kns.shop   {10.0.0.5 1.2.3.4}   \n' +
      '\n',
    );
  });
});
