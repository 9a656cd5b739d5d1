/**
 * Pod → WorkloadEndpoint conversion, row by row of backends spec §3.8.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubePod } from '../../../src/backends/k8s/kube-types.js';
import { defaultInterfacePrefix, isFinishedPod, isWorkloadEndpointPod, podInterfaceName, podToWorkloadEndpoint } from '../../../src/backends/k8s/pod-conversion.js';
import { ValidationError, isParseError, isValidationError, type ParseError } from '../../../src/errors.js';
import { validate } from '../../../src/model/validate.js';
import { parseWorkloadEndpointName } from '../../../src/model/workload-endpoint-name.js';
import { thrownBy } from '../../support/thrown.js';

const UID = 'c0ffee00-1111-4222-8333-444455556666';

function pod(overrides: { metadata?: KubePod['metadata']; spec?: KubePod['spec']; status?: KubePod['status'] } = {}): KubePod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'shop', uid: UID, resourceVersion: '4711', creationTimestamp: '2025-03-01T09:00:00Z', ...overrides.metadata },
    spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [{ name: 'c' }], ...overrides.spec },
    status: { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], ...overrides.status },
  };
}

function convert(p: KubePod) {
  const wep = podToWorkloadEndpoint(p, { interfacePrefix: 'cali' });
  if (!wep) throw new Error('expected an endpoint');
  return wep;
}

function parseFailure(p: KubePod): ParseError {
  return thrownBy(() => podToWorkloadEndpoint(p, { interfacePrefix: 'cali' }), isParseError, 'ParseError');
}

describe('which Pods are endpoints', () => {
  it('refuses an unscheduled Pod with a ValidationError on spec.nodeName, as Calico does', () => {
    for (const nodeName of [undefined, '']) {
      const e = thrownBy(() => podToWorkloadEndpoint(pod({ spec: { nodeName } })), isValidationError, 'ValidationError');
      expect(e.errors).toEqual([expect.objectContaining({ path: 'spec.nodeName', type: 'required' })]);
      expect(e.identifier).toEqual({ kind: 'Pod', namespace: 'shop', name: 'web-0' });
    }
    // Unscheduled and host-network: still unscheduled.
    expect(() => podToWorkloadEndpoint(pod({ spec: { nodeName: '', hostNetwork: true } }))).toThrow(ValidationError);
  });

  it('has no endpoint for a host-network Pod', () => {
    expect(podToWorkloadEndpoint(pod({ spec: { hostNetwork: true } }))).toBeUndefined();
    expect(isWorkloadEndpointPod(pod({ spec: { hostNetwork: true } }))).toBe(false);
    expect(isWorkloadEndpointPod(pod({ spec: { nodeName: '' } }))).toBe(false);
    expect(isWorkloadEndpointPod(pod({ status: { phase: 'Succeeded' } }))).toBe(true);
  });

  it.each(['Succeeded', 'Failed', 'Completed'])('shows a Pod in phase %s with no addresses', (phase) => {
    const wep = convert(pod({ status: { phase } }));
    expect(wep.spec.ipNetworks).toEqual([]);
    expect(wep.metadata.name).toBe('node--1-k8s-web--0-eth0');
  });

  it('shows a terminating Pod whose CNI annotation was blanked with no addresses, and keeps the others', () => {
    const deleting = { deletionTimestamp: '2025-03-01T10:00:00Z' };
    expect(convert(pod({ metadata: { ...deleting, annotations: { 'cni.projectcalico.org/podIP': '' } } })).spec.ipNetworks).toEqual([]);
    expect(convert(pod({ metadata: { ...deleting, annotations: { 'vpc.amazonaws.com/pod-ips': '' } } })).spec.ipNetworks).toEqual([]);
    expect(convert(pod({ metadata: { ...deleting, annotations: { 'cni.projectcalico.org/podIP': '10.244.1.7/32' } } })).spec.ipNetworks).toEqual(['10.244.1.7/32']);
    expect(isFinishedPod(pod({ metadata: { annotations: { 'cni.projectcalico.org/podIP': '' } } }))).toBe(false);
  });
});

describe('conversion', () => {
  it('fills the identity, metadata, profiles and interface name', () => {
    const wep = convert(
      pod({
        metadata: { labels: { app: 'web', 'projectcalico.org/namespace': 'spoofed' }, generateName: 'web-', annotations: { 'cni.projectcalico.org/containerID': 'abc123', 'k8s.v1.cni.cncf.io/network-status': '[]', other: 'x' } },
        spec: { serviceAccountName: 'web-sa' },
      }),
    );
    expect(wep).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'WorkloadEndpoint',
      metadata: {
        name: 'node--1-k8s-web--0-eth0',
        namespace: 'shop',
        uid: UID,
        creationTimestamp: '2025-03-01T09:00:00Z',
        generateName: 'web-',
        resourceVersion: '4711',
        labels: { app: 'web', 'projectcalico.org/namespace': 'shop', 'projectcalico.org/orchestrator': 'k8s', 'projectcalico.org/serviceaccount': 'web-sa' },
        annotations: { 'k8s.v1.cni.cncf.io/network-status': '[]' },
      },
      spec: {
        orchestrator: 'k8s',
        node: 'node-1',
        pod: 'web-0',
        endpoint: 'eth0',
        containerID: 'abc123',
        interfaceName: podInterfaceName('shop', 'web-0', 'cali'),
        serviceAccountName: 'web-sa',
        profiles: ['kns.shop', 'ksa.shop.web-sa'],
        ipNetworks: ['10.244.1.7/32'],
      },
    });
    expect(parseWorkloadEndpointName(wep.metadata.name ?? '')).toEqual({ node: 'node-1', orchestrator: 'k8s', pod: 'web-0', endpoint: 'eth0' });
  });

  it('computes interface names as Calico does, with the FELIX_INTERFACEPREFIX rule', () => {
    expect(podInterfaceName('shop', 'cart-7f9', 'cali')).toBe('cali1b51ef4b22d');
    expect(podInterfaceName('default', 'nginx', 'cali')).toBe('calic440f455693');
    expect(defaultInterfacePrefix({})).toBe('cali');
    expect(defaultInterfacePrefix({ FELIX_INTERFACEPREFIX: 'tap,cali' })).toBe('tap');
    expect(podToWorkloadEndpoint(pod(), { interfacePrefix: 'veth' })?.spec.interfaceName).toBe(`veth${podInterfaceName('shop', 'web-0', '')}`);
  });

  it('omits the service account profile and label when there is none, and the label for long names', () => {
    const none = convert(pod({ spec: { serviceAccountName: '' } }));
    expect(none.spec.profiles).toEqual(['kns.shop']);
    expect(none.spec.serviceAccountName).toBeUndefined();
    expect(none.metadata.labels?.['projectcalico.org/serviceaccount']).toBeUndefined();
    const long = 'a'.repeat(63);
    const wep = convert(pod({ spec: { serviceAccountName: long } }));
    expect(wep.spec.profiles).toEqual(['kns.shop', `ksa.shop.${long}`]);
    expect(wep.metadata.labels?.['projectcalico.org/serviceaccount']).toBeUndefined();
  });

  it.each<[string, KubePod['status'], Record<string, string>, string[]]>([
    ['status.podIPs first', { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], podIP: '10.0.0.9' }, { 'cni.projectcalico.org/podIPs': '10.9.9.9/32' }, ['10.0.0.5/32', 'fd00::5/128']],
    ['then status.podIP', { podIPs: [], podIP: '10.0.0.9' }, { 'cni.projectcalico.org/podIPs': '10.9.9.9/32' }, ['10.0.0.9/32']],
    ['then the podIPs annotation', { podIPs: [], podIP: '' }, { 'cni.projectcalico.org/podIPs': '10.9.9.9/32,fd00::9/128', 'cni.projectcalico.org/podIP': '10.8.8.8/32' }, ['10.9.9.9/32', 'fd00::9/128']],
    ['then the podIP annotation', { podIPs: [], podIP: '' }, { 'cni.projectcalico.org/podIP': '10.8.8.8/32', 'vpc.amazonaws.com/pod-ips': '10.7.7.7' }, ['10.8.8.8/32']],
    ['then the AWS annotation', { podIPs: [], podIP: '' }, { 'vpc.amazonaws.com/pod-ips': '10.7.7.7,10.7.7.8' }, ['10.7.7.7/32', '10.7.7.8/32']],
    ['none', { podIPs: [], podIP: '' }, {}, []],
    ['a CIDR is kept as a masked network', { podIPs: [{ ip: '10.0.0.5/24' }] }, {}, ['10.0.0.0/24']],
    ['IPv6 is normalised', { podIPs: [{ ip: 'FD00:0:0::0005' }] }, {}, ['fd00::5/128']],
  ])('addresses: %s', (_name, status, annotations, expected) => {
    expect(convert(pod({ status, metadata: { annotations } })).spec.ipNetworks).toEqual(expected);
  });

  it('rejects an unparsable address with a ParseError naming the Pod, not the value', () => {
    const err = parseFailure(pod({ status: { podIPs: [{ ip: '10.0.0.300' }] } }));
    expect(err.key).toBe('/api/v1/namespaces/shop/pods/web-0');
    expect(err.message).not.toContain('10.0.0.300');
  });

  it('maps floating IPs to the Pod IP of the same family', () => {
    const wep = convert(pod({ status: { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] }, metadata: { annotations: { 'cni.projectcalico.org/floatingIPs': '["1.2.3.4","2001:db8::1","5.6.7.8"]' } } }));
    expect(wep.spec.ipNATs).toEqual([
      { internalIP: '10.0.0.5', externalIP: '1.2.3.4' },
      { internalIP: 'fd00::5', externalIP: '2001:db8::1' },
      { internalIP: '10.0.0.5', externalIP: '5.6.7.8' },
    ]);
    const v4only = convert(pod({ metadata: { annotations: { 'cni.projectcalico.org/floatingIPs': '["2001:db8::1"]' } } }));
    expect(v4only.spec.ipNATs).toBeUndefined();
    const finished = convert(pod({ status: { phase: 'Succeeded' }, metadata: { annotations: { 'cni.projectcalico.org/floatingIPs': '["1.2.3.4"]' } } }));
    expect(finished.spec.ipNATs).toBeUndefined();
  });

  it('rejects floating IPs on a Pod whose IP is a wider network, and malformed JSON', () => {
    expect(parseFailure(pod({ status: { podIPs: [{ ip: '10.0.0.0/24' }] }, metadata: { annotations: { 'cni.projectcalico.org/floatingIPs': '["1.2.3.4"]' } } })).key).toBe('/api/v1/namespaces/shop/pods/web-0');
    expect(parseFailure(pod({ metadata: { annotations: { 'cni.projectcalico.org/floatingIPs': '1.2.3.4' } } })).message).toContain('floatingIPs');
  });

  it('normalises allowed source prefixes and rejects bad ones', () => {
    const wep = convert(pod({ metadata: { annotations: { 'cni.projectcalico.org/allowedSourcePrefixes': '["10.1.2.3/16","fd00::1/64"]' } } }));
    expect(wep.spec.allowSpoofedSourcePrefixes).toEqual(['10.1.0.0/16', 'fd00::/64']);
    expect(parseFailure(pod({ metadata: { annotations: { 'cni.projectcalico.org/allowedSourcePrefixes': '["10.1.2.3"]' } } })).message).toContain('allowedSourcePrefixes');
  });

  it('maps named and host ports of containers and init containers', () => {
    const wep = convert(
      pod({
        spec: {
          containers: [
            {
              ports: [
                { name: 'http', containerPort: 8080 },
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { containerPort: 9000 },
                { containerPort: 443, hostPort: 8443, hostIP: '10.0.0.1', protocol: 'TCP' },
                { name: 'sctp', containerPort: 3868, protocol: 'SCTP' },
                { name: 'odd', containerPort: 1, protocol: 'ICMP' },
                { name: 'zero', containerPort: 0 },
              ],
            },
          ],
          initContainers: [{ ports: [{ name: 'init', containerPort: 7000 }] }],
        },
      }),
    );
    expect(wep.spec.ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 8080 },
      { name: 'dns', protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 443, hostPort: 8443, hostIP: '10.0.0.1' },
      { name: 'sctp', protocol: 'SCTP', port: 3868 },
      { name: 'init', protocol: 'TCP', port: 7000 },
    ]);
  });

  it('reads QoS controls and reports problems without dropping the endpoint', () => {
    const warnings: string[] = [];
    const wep = podToWorkloadEndpoint(pod({ metadata: { annotations: { 'kubernetes.io/egress-bandwidth': '1M', 'qos.projectcalico.org/ingressBandwidth': 'lots' } } }), { interfacePrefix: 'cali', onWarning: (m) => warnings.push(m) });
    expect(wep?.spec.qosControls).toEqual({ egressBandwidth: 1_000_000, egressBurst: 4294967296 });
    expect(warnings).toEqual(['/api/v1/namespaces/shop/pods/web-0: qos.projectcalico.org/ingressBandwidth: not a quantity']);
  });

  it('accepts client-node typed Pods, whose timestamps are Dates', () => {
    const typed = pod({ metadata: { creationTimestamp: new Date('2025-03-01T09:00:00.000Z') } });
    expect(convert(typed).metadata.creationTimestamp).toBe('2025-03-01T09:00:00Z');
  });

  it('never sets a MAC address', () => {
    expect(convert(pod({ metadata: { annotations: { 'cni.projectcalico.org/hwAddr': 'aa:bb:cc:dd:ee:ff' } } })).spec.mac).toBeUndefined();
  });
});

describe('property: every converted Pod is a valid WorkloadEndpoint', () => {
  const dns = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
  it('passes the model validation and its name parses back to the Pod', () => {
    fc.assert(
      fc.property(dns, dns, dns, fc.option(dns, { nil: undefined }), fc.array(ipv4, { maxLength: 1 }), fc.constantFrom('Running', 'Pending', 'Succeeded'), (ns, name, node, sa, ips, phase) => {
        const wep = convert(pod({ metadata: { name, namespace: ns }, spec: { nodeName: node, serviceAccountName: sa }, status: { phase, podIPs: ips.map((ip) => ({ ip })), podIP: '' } }));
        const result = validate(wep);
        expect(result.errors).toEqual([]);
        expect(parseWorkloadEndpointName(wep.metadata.name ?? '')).toEqual({ node, orchestrator: 'k8s', pod: name, endpoint: 'eth0' });
        expect(wep.spec.ipNetworks).toEqual(phase === 'Succeeded' ? [] : ips.map((ip) => `${ip}/32`));
      }),
      { numRuns: 200 },
    );
  });
});
