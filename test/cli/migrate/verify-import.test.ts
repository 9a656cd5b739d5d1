import { describe, expect, it } from 'vitest';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { firstImportDifference } from '../../../src/cli/migrate/verify-import.js';

const V3 = 'projectcalico.org/v3';
const obj = (kind: string, spec: object, metadata: object = {}): ResourceObject => ({ apiVersion: V3, kind, metadata: { name: 'x', ...metadata }, spec }) as ResourceObject;

describe('firstImportDifference', () => {
  it('ignores defaults the target filled in for modelled kinds', () => {
    expect(firstImportDifference(obj('IPPool', { cidr: '10.0.0.0/16' }), obj('IPPool', { cidr: '10.0.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()' }))).toBeUndefined();
    // and the other way round: a default written in the file and left out by the target
    expect(firstImportDifference(obj('Tier', { order: 5, defaultAction: 'Deny' }), obj('Tier', { order: 5 }))).toBeUndefined();
  });

  it('compares in Calico normal form (ports, protocols)', () => {
    const want = obj('GlobalNetworkPolicy', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['80:80'] } }] });
    const have = obj('GlobalNetworkPolicy', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }] });
    expect(firstImportDifference(want, have)).toBeUndefined();
  });

  it('allows added fields but reports the first lost or changed one', () => {
    expect(firstImportDifference(obj('BGPPeer', { peerIP: '10.0.0.1' }), obj('BGPPeer', { peerIP: '10.0.0.1', keepOriginalNextHop: false }))).toBeUndefined();
    expect(firstImportDifference(obj('BGPPeer', { peerIP: '10.0.0.1', asNumber: 1 }), obj('BGPPeer', { peerIP: '10.0.0.1' }))).toBe('spec.asNumber');
    expect(firstImportDifference(obj('GlobalNetworkSet', { nets: ['a', 'b'] }), obj('GlobalNetworkSet', { nets: ['a'] }))).toBe('spec.nets');
    expect(firstImportDifference(obj('HostEndpoint', { ports: [{ port: 1 }] }), obj('HostEndpoint', { ports: [{ port: 2 }] }))).toBe('spec.ports[0].port');
  });

  it('reports a lost label or annotation', () => {
    expect(firstImportDifference(obj('BGPPeer', {}, { labels: { a: '1' } }), obj('BGPPeer', {}, { labels: { a: '1', b: '2' } }))).toBeUndefined();
    expect(firstImportDifference(obj('BGPPeer', {}, { labels: { a: '1' } }), obj('BGPPeer', {}))).toBe('metadata.labels.a');
    expect(firstImportDifference(obj('BGPPeer', {}, { annotations: { n: 'v' } }), obj('BGPPeer', {}, { annotations: { n: 'w' } }))).toBe('metadata.annotations.n');
  });
});
