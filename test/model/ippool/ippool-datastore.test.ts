import { describe, expect, it } from 'vitest';
import { applyIPPoolDefaults, checkIPPoolAgainstExisting, checkIPPoolUpdate } from '../../../src/model/ippool.js';
import type { IPPool, IPPoolSpec } from '../../../src/model/types.generated.js';

function pool(name: string, spec: Partial<IPPoolSpec>): IPPool {
  return applyIPPoolDefaults({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: { cidr: '', ...spec } });
}

describe('checkIPPoolAgainstExisting (create: no overlap, model.md §6.2)', () => {
  const existing = [pool('a', { cidr: '10.1.0.0/16' }), pool('b', { cidr: 'fd00:1::/64' })];

  it.each(['10.1.0.0/16', '10.1.4.0/24', '10.0.0.0/8', '10.1.255.0/24', 'fd00::/16', 'fd00:1::/96'])('rejects %s (overlaps)', (cidr) => {
    const errors = checkIPPoolAgainstExisting(pool('new', { cidr }), existing);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'spec.cidr', type: 'invalid', value: cidr });
    // Names the other pool, not its stored CIDR.
    expect(errors[0]?.message).toMatch(/IPPool\((a|b)\)/);
    expect(errors[0]?.message).not.toContain('10.1.0.0');
  });

  it.each(['10.2.0.0/16', '10.0.0.0/16', '10.0.255.0/24', 'fd00:2::/64', '11.0.0.0/8'])('accepts %s (adjacent or disjoint)', (cidr) => {
    expect(checkIPPoolAgainstExisting(pool('new', { cidr }), existing)).toEqual([]);
  });

  it('reports every overlapping pool', () => {
    const errors = checkIPPoolAgainstExisting(pool('big', { cidr: '10.0.0.0/8' }), [pool('x', { cidr: '10.1.0.0/16' }), pool('y', { cidr: '10.2.0.0/16' })]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('IPPool(x)'), expect.stringContaining('IPPool(y)')]);
  });

  it('skips the pool with the same name and pools whose CIDR does not parse', () => {
    expect(checkIPPoolAgainstExisting(pool('a', { cidr: '10.1.0.0/16' }), existing)).toEqual([]);
    expect(checkIPPoolAgainstExisting(pool('n', { cidr: '10.1.0.0/16' }), [pool('bad', { cidr: 'garbage' })])).toEqual([]);
  });

  it('compares different spellings of the same network', () => {
    expect(checkIPPoolAgainstExisting(pool('n', { cidr: 'FD00:1:0::/64' }), existing)).toHaveLength(1);
    // A stored pool written with host bits (bypassing validation) still overlaps.
    const legacy = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'legacy' }, spec: { cidr: '10.9.0.1/16' } } as IPPool;
    expect(checkIPPoolAgainstExisting(pool('n', { cidr: '10.9.128.0/24' }), [legacy])).toHaveLength(1);
  });

  it('does nothing when the new CIDR does not parse', () => {
    expect(checkIPPoolAgainstExisting(pool('n', { cidr: '10.1.0.0' }), existing)).toEqual([]);
  });
});

describe('checkIPPoolUpdate (update: immutable fields, model.md §6.2)', () => {
  const stored = pool('p', { cidr: 'fd00:10::/48' });

  it('accepts an unchanged pool and other mutable changes', () => {
    expect(checkIPPoolUpdate(pool('p', { cidr: 'fd00:10::/48', natOutgoing: true, disabled: true, vxlanMode: 'Always' }), stored)).toEqual([]);
  });

  it('accepts another spelling of the same network, which defaulting stores canonically', () => {
    const next = pool('p', { cidr: 'FD00:10:0::/48' });
    expect(next.spec.cidr).toBe('fd00:10::/48');
    expect(checkIPPoolUpdate(next, stored)).toEqual([]);
    expect(checkIPPoolUpdate({ ...next, spec: { ...next.spec, cidr: 'FD00:10:0:0::/48' } }, stored)).toEqual([]);
  });

  it.each(['fd00:11::/48', 'fd00:10::/47', 'fd00:10::/64', '10.0.0.0/16'])('rejects a change of network to %s', (cidr) => {
    const errors = checkIPPoolUpdate(pool('p', { cidr, blockSize: 122 }), stored);
    expect(errors).toContainEqual(expect.objectContaining({ path: 'spec.cidr', type: 'immutable' }));
  });

  it('rejects a change of blockSize, comparing defaulted values', () => {
    expect(checkIPPoolUpdate(pool('p', { cidr: 'fd00:10::/48', blockSize: 120 }), stored)).toEqual([
      expect.objectContaining({ path: 'spec.blockSize', type: 'immutable', value: 120 }),
    ]);
    // A stored pool without blockSize (older Calico) equals the defaulted 122.
    const old = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: 'fd00:10::/48' } } as IPPool;
    expect(checkIPPoolUpdate(pool('p', { cidr: 'fd00:10::/48' }), old)).toEqual([]);
  });

  it('keeps a LoadBalancer pool LoadBalancer-only', () => {
    const lb = pool('lb', { cidr: '10.5.0.0/16', allowedUses: ['LoadBalancer'] });
    expect(checkIPPoolUpdate(pool('lb', { cidr: '10.5.0.0/16', allowedUses: ['Workload'] }), lb)).toEqual([
      expect.objectContaining({ path: 'spec.allowedUses', type: 'forbidden', message: expect.stringContaining('LoadBalancer') }),
    ]);
    // Absent allowedUses defaults to [Workload, Tunnel]: also a change away from LoadBalancer.
    expect(checkIPPoolUpdate(pool('lb', { cidr: '10.5.0.0/16' }), lb)).toHaveLength(1);
    expect(checkIPPoolUpdate(pool('lb', { cidr: '10.5.0.0/16', allowedUses: ['LoadBalancer'] }), lb)).toEqual([]);
    // The other direction is not restricted by this rule.
    expect(checkIPPoolUpdate(lb, pool('lb', { cidr: '10.5.0.0/16', allowedUses: ['Workload'] }))).toEqual([]);
  });

  it('reports every immutable field at once', () => {
    const errors = checkIPPoolUpdate(pool('p', { cidr: '10.0.0.0/16', blockSize: 24 }), stored);
    expect(errors.map((e) => e.path)).toEqual(['spec.cidr', 'spec.blockSize']);
  });
});
