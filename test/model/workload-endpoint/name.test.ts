import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeWorkloadEndpointName,
  nameSegmentFields,
  parseWorkloadEndpointName,
  workloadEndpointName,
  workloadEndpointNamePrefix,
  type WorkloadEndpointIdentifiers,
} from '../../../src/model/workload-endpoint-name.js';

describe('workloadEndpointName (model.md §8.2)', () => {
  it.each([
    [{ node: 'a-b', orchestrator: 'k8s', pod: 'c-d', endpoint: 'eth0' }, 'a--b-k8s-c--d-eth0'],
    [{ node: 'node1', orchestrator: 'k8s', pod: 'frontend-5d8c', endpoint: 'eth0' }, 'node1-k8s-frontend--5d8c-eth0'],
    [{ node: 'host-a', orchestrator: 'cni', containerID: 'abc123', endpoint: 'eth0' }, 'host--a-cni-abc123-eth0'],
    [{ node: 'n1', orchestrator: 'libnetwork', endpoint: 'ep1' }, 'n1-libnetwork-libnetwork-ep1'],
    [{ node: 'compute-1', orchestrator: 'openstack', workload: 'vm1', endpoint: 'tap1234' }, 'compute--1-openstack-vm1-tap1234'],
    [{ node: 'worker-1', orchestrator: 'k8s', pod: 'cart-7f9', endpoint: 'eth0' }, 'worker--1-k8s-cart--7f9-eth0'],
  ])('%o → %s', (ids, name) => {
    expect(workloadEndpointName(ids)).toBe(name);
    expect(computeWorkloadEndpointName(ids)).toEqual({ ok: true, name });
    expect(parseWorkloadEndpointName(name)).toEqual(ids);
  });

  it('uses only the identifier the orchestrator needs', () => {
    // A k8s endpoint ignores workload/containerID; libnetwork needs none of pod/containerID/workload.
    expect(workloadEndpointName({ node: 'n', orchestrator: 'k8s', pod: 'p', endpoint: 'e', workload: 'w', containerID: 'c' })).toBe('n-k8s-p-e');
    expect(workloadEndpointName({ node: 'n', orchestrator: 'libnetwork', endpoint: 'e', pod: 'p' })).toBe('n-libnetwork-libnetwork-e');
    expect(nameSegmentFields('cni')).toEqual(['node', 'orchestrator', 'containerID', 'endpoint']);
    expect(nameSegmentFields('mesos')).toEqual(['node', 'orchestrator', 'workload', 'endpoint']);
  });

  it.each([
    [{ orchestrator: 'k8s', pod: 'p', endpoint: 'e' }, ['node']],
    [{ node: 'n', pod: 'p', endpoint: 'e' }, ['orchestrator']],
    [{ node: 'n', orchestrator: 'k8s', pod: 'p' }, ['endpoint']],
    [{ node: 'n', orchestrator: 'k8s', endpoint: 'e' }, ['pod']],
    [{ node: 'n', orchestrator: 'cni', endpoint: 'e' }, ['containerID']],
    [{ node: 'n', orchestrator: 'openstack', endpoint: 'e' }, ['workload']],
    [{}, ['node', 'orchestrator', 'endpoint']],
  ] as const)('reports every missing identifier: %o → %o', (ids, fields) => {
    const result = computeWorkloadEndpointName(ids);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(fields);
    expect(result.problems.every((p) => p.type === 'required')).toBe(true);
    expect(workloadEndpointName(ids)).toBe('');
  });

  it.each(['-a', 'a-', '-'])('rejects an identifier starting or ending with "-": %s', (bad) => {
    for (const field of ['node', 'pod', 'endpoint'] as const) {
      const ids: Partial<WorkloadEndpointIdentifiers> = { node: 'n', orchestrator: 'k8s', pod: 'p', endpoint: 'e', [field]: bad };
      const result = computeWorkloadEndpointName(ids);
      expect(result).toMatchObject({ ok: false, problems: [{ field, type: 'invalid' }] });
    }
  });
});

describe('parseWorkloadEndpointName', () => {
  it.each([
    '',
    'n-k8s-p',
    'n-k8s-p-e-x',
    'n1-libnetwork-other-ep1',
    '-n-k8s-p-e',
    'n-k8s-p-e-',
    'n-k8s--p-e',
    'n---k8s-p-e',
  ])('rejects %j', (name) => {
    expect(parseWorkloadEndpointName(name)).toBeUndefined();
  });

  it('keeps doubled dashes inside a segment', () => {
    expect(parseWorkloadEndpointName('a----b-k8s-p-e')).toEqual({ node: 'a--b', orchestrator: 'k8s', pod: 'p', endpoint: 'e' });
    expect(workloadEndpointName({ node: 'a--b', orchestrator: 'k8s', pod: 'p', endpoint: 'e' })).toBe('a----b-k8s-p-e');
  });
});

describe('workloadEndpointNamePrefix', () => {
  it('is the escaped known segments, each followed by "-"', () => {
    expect(workloadEndpointNamePrefix({ node: 'node1' })).toBe('node1-');
    expect(workloadEndpointNamePrefix({ node: 'node-1', orchestrator: 'k8s' })).toBe('node--1-k8s-');
    expect(workloadEndpointNamePrefix({ node: 'n', orchestrator: 'k8s', pod: 'p-q' })).toBe('n-k8s-p--q-');
    expect(workloadEndpointNamePrefix({ node: 'n', orchestrator: 'libnetwork' })).toBe('n-libnetwork-libnetwork-');
    expect(workloadEndpointNamePrefix({ node: 'n', orchestrator: 'k8s', pod: 'p', endpoint: 'e' })).toBe('n-k8s-p-e');
  });

  it('has no prefix without a node or with an unusable identifier', () => {
    expect(workloadEndpointNamePrefix({})).toBeUndefined();
    expect(workloadEndpointNamePrefix({ orchestrator: 'k8s' })).toBeUndefined();
    expect(workloadEndpointNamePrefix({ node: 'n-' })).toBeUndefined();
  });

  it('can match endpoints of another node, so callers re-check spec.node', () => {
    const prefix = workloadEndpointNamePrefix({ node: 'node1' }) ?? '';
    const other = workloadEndpointName({ node: 'node1-x', orchestrator: 'k8s', pod: 'web', endpoint: 'eth0' });
    expect(other).toBe('node1--x-k8s-web-eth0');
    expect(other.startsWith(prefix)).toBe(true);
    expect(parseWorkloadEndpointName(other)?.node).toBe('node1-x');
  });
});

/** A lowercase DNS-1123 subdomain-style name (Calico's `name` format). */
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?$/);
const specName = fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const containerID = fc.stringMatching(/^[a-zA-Z0-9]([-a-zA-Z0-9]{0,20}[a-zA-Z0-9])?$/);

const validIdentifiers: fc.Arbitrary<WorkloadEndpointIdentifiers> = fc.oneof(
  fc.record({ node: specName, orchestrator: fc.constant('k8s'), pod: specName, endpoint: specName }),
  fc.record({ node: specName, orchestrator: fc.constant('cni'), containerID, endpoint: specName }),
  fc.record({ node: specName, orchestrator: fc.constant('libnetwork'), endpoint: specName }),
  fc
    .record({ node: specName, orchestrator: specName, workload: specName, endpoint: specName })
    .filter((ids) => !['k8s', 'cni', 'libnetwork'].includes(ids.orchestrator)),
);

describe('properties', () => {
  it('parse ∘ compute is the identity on valid identifiers', () => {
    fc.assert(
      fc.property(validIdentifiers, (ids) => {
        const name = workloadEndpointName(ids);
        expect(name).not.toBe('');
        expect(parseWorkloadEndpointName(name)).toEqual(ids);
      }),
      { numRuns: 2000 },
    );
  });

  it('compute ∘ parse is the identity on every name that parses', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{0,24}$/), (name) => {
        const ids = parseWorkloadEndpointName(name);
        if (ids) expect(workloadEndpointName(ids)).toBe(name);
      }),
      { numRuns: 5000 },
    );
  });

  it('the node prefix of a name is a prefix of it', () => {
    fc.assert(
      fc.property(validIdentifiers, (ids) => {
        const name = workloadEndpointName(ids);
        expect(name.startsWith(workloadEndpointNamePrefix({ node: ids.node }) ?? '\u0000')).toBe(true);
        expect(name.startsWith(workloadEndpointNamePrefix({ node: ids.node, orchestrator: ids.orchestrator }) ?? '\u0000')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
