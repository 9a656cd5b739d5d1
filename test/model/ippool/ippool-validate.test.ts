/**
 * IPPool invariants of model.md §13 through the full pipeline the client runs:
 * `validate(applyDefaults(doc))`, plus property tests over random valid pools.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { applyDefaults } from '../../../src/model/defaults.js';
import { LINK_LOCAL, networksOverlap, parseIPNetwork } from '../../../src/model/net.js';
import type { IPPool } from '../../../src/model/types.generated.js';
import { validate } from '../../../src/model/validate.js';

function doc(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'pool-a' }): IPPool {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata, spec } as unknown as IPPool;
}

function run(spec: Record<string, unknown>, metadata?: Record<string, unknown>): { valid: boolean; errors: FieldError[]; stored: IPPool } {
  const stored = applyDefaults(doc(spec, metadata));
  return { ...validate(stored), stored };
}

function errorPaths(spec: Record<string, unknown>, metadata?: Record<string, unknown>): string[] {
  return [...new Set(run(spec, metadata).errors.map((e) => e.path))].sort();
}

describe('IPPool through validate(applyDefaults(doc))', () => {
  it('stores the §6.5 example with every default', () => {
    const result = run({ cidr: 'FD00:10:0::/48', vxlanMode: 'CrossSubnet', natOutgoing: true }, { name: 'pool-v6' });
    expect(result.errors).toEqual([]);
    expect(result.stored.spec).toEqual({
      cidr: 'fd00:10::/48',
      blockSize: 122,
      ipipMode: 'Never',
      vxlanMode: 'CrossSubnet',
      natOutgoing: true,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    });
  });

  it('checks blockSize by family after defaulting', () => {
    for (const blockSize of [19, 33, 116, 200]) expect(errorPaths({ cidr: '10.0.0.0/8', blockSize })).toEqual(['spec.blockSize']);
    for (const blockSize of [115, 129, 32]) expect(errorPaths({ cidr: 'fd00::/16', blockSize })).toEqual(['spec.blockSize']);
    // A block size below the pool's prefix length also leaves no room for a block.
    expect(errorPaths({ cidr: 'fd00::/64', blockSize: 32 })).toEqual(['spec.blockSize', 'spec.cidr']);
    expect(run({ cidr: '10.0.0.0/16', blockSize: 0 }).stored.spec.blockSize).toBe(26);
    expect(run({ cidr: 'fd00::/64' }).stored.spec.blockSize).toBe(122);
  });

  it.each([
    ['10.0.0.1/24', false],
    ['10.0.0.0', false],
    ['10.0.0.0/24', true],
    ['169.254.0.0/16', false],
    ['169.254.10.0/24', false],
    ['0.0.0.0/0', false],
    ['fe80::/64', false],
    ['::/0', false],
  ])('CIDR %s valid: %s', (cidr, valid) => {
    const result = run({ cidr, disabled: true });
    expect(result.valid).toBe(valid);
    if (!valid) expect(result.errors.map((e) => e.path)).toEqual(['spec.cidr']);
  });

  it('stores FD00:0:0::/64 as fd00::/64', () => {
    expect(run({ cidr: 'FD00:0:0::/64' }).stored.spec.cidr).toBe('fd00::/64');
  });

  it('needs room for a block unless disabled', () => {
    expect(run({ cidr: '10.0.0.0/27' }).valid).toBe(false);
    expect(run({ cidr: '10.0.0.0/27', blockSize: 28 }).valid).toBe(true);
    expect(run({ cidr: '10.0.0.0/27', disabled: true }).valid).toBe(true);
  });

  it('checks the encapsulation modes', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' })).toEqual(['spec.vxlanMode']);
    expect(errorPaths({ cidr: '10.0.0.0/16', ipipMode: 'CrossSubnet', vxlanMode: 'CrossSubnet' })).toEqual(['spec.vxlanMode']);
    expect(run({ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Never' }).valid).toBe(true);
    expect(errorPaths({ cidr: 'fd00::/64', ipipMode: 'CrossSubnet' })).toEqual(['spec.ipipMode']);
    expect(run({ cidr: 'fd00::/64', vxlanMode: 'Always' }).valid).toBe(true);
    expect(errorPaths({ cidr: '10.0.0.0/16', ipipMode: 'always' })).toEqual(['spec.ipipMode']);
    expect(errorPaths({ cidr: '10.0.0.0/16', vxlanMode: 'cross-subnet' })).toEqual(['spec.vxlanMode']);
  });

  it('returns absent fields with their defaults', () => {
    expect(run({ cidr: '10.0.0.0/16' }).stored.spec).toMatchObject({
      ipipMode: 'Never',
      vxlanMode: 'Never',
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    });
  });

  it('checks LoadBalancer pools', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer', 'Workload'] })).toEqual(['spec.allowedUses']);
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'], vxlanMode: 'Always' })).toEqual(['spec.vxlanMode']);
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'], disableBGPExport: true })).toEqual(['spec.disableBGPExport']);
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'], nodeSelector: 'has(x)' })).toEqual(['spec.nodeSelector']);
    expect(run({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] }).valid).toBe(true);
  });

  it('checks the allowedUses list itself (schema)', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['Garbage'] })).toEqual(['spec.allowedUses[0]']);
    expect(run({ cidr: '10.0.0.0/16', allowedUses: ['Workload', 'Workload'] }).valid).toBe(false);
    expect(run({ cidr: '10.0.0.0/16', allowedUses: Array.from({ length: 11 }, () => 'Workload') }).valid).toBe(false);
  });

  it('needs allowedUses without Tunnel for a namespaceSelector', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', namespaceSelector: 'team == "a"' })).toEqual(['spec.namespaceSelector']);
    expect(run({ cidr: '10.0.0.0/16', namespaceSelector: 'team == "a"', allowedUses: ['Workload'] }).valid).toBe(true);
  });

  it('checks the selectors', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', nodeSelector: 'global()' })).toEqual(['spec.nodeSelector']);
    expect(errorPaths({ cidr: '10.0.0.0/16', allowedUses: ['Workload'], namespaceSelector: 'global()' })).toEqual(['spec.namespaceSelector']);
    expect(errorPaths({ cidr: '10.0.0.0/16', nodeSelector: 'a ==' })).toEqual(['spec.nodeSelector']);
    expect(errorPaths({ cidr: '10.0.0.0/16', nodeSelector: `a == "${'x'.repeat(1020)}"` })).toEqual(['spec.nodeSelector']);
  });

  it('checks assignmentMode', () => {
    expect(errorPaths({ cidr: '10.0.0.0/16', assignmentMode: '' })).toEqual(['spec.assignmentMode']);
    expect(run({ cidr: '10.0.0.0/16', assignmentMode: 'Manual' }).valid).toBe(true);
  });

  it('checks the name and refuses a namespace', () => {
    for (const name of ['Pool1', 'pool_1', '-pool', 'pool-', 'a'.repeat(254)]) expect(errorPaths({ cidr: '10.0.0.0/16' }, { name })).toEqual(['metadata.name']);
    expect(run({ cidr: '10.0.0.0/16' }, { name: 'pool.a.b' }).valid).toBe(true);
    expect(errorPaths({ cidr: '10.0.0.0/16' }, { name: 'p', namespace: 'default' })).toEqual(['metadata.namespace']);
  });

  it('rejects the removed legacy fields as unknown', () => {
    expect(run({ cidr: '10.0.0.0/16', ipip: { enabled: true } }).valid).toBe(false);
    expect(run({ cidr: '10.0.0.0/16', 'nat-outgoing': true }).valid).toBe(false);
  });

  it('lists every failing field with its path', () => {
    expect(errorPaths({ cidr: 'fd00::1/64', blockSize: 100, ipipMode: 'Always', vxlanMode: 'Always', nodeSelector: 'global()' }, { name: 'Bad' })).toEqual([
      'metadata.name',
      'spec.blockSize',
      'spec.cidr',
      'spec.ipipMode',
      'spec.nodeSelector',
      'spec.vxlanMode',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Random valid pools

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);

function networkText(bytes: number[], prefix: number, family: 4 | 6): string | undefined {
  const raw = family === 4 ? bytes.slice(0, 4).join('.') : Array.from({ length: 8 }, (_, i) => (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16)).join(':');
  const net = parseIPNetwork(`${raw}/${prefix}`);
  if (!net || networksOverlap(net, LINK_LOCAL[family])) return undefined;
  return net.text;
}

const cidrAndBlock = fc
  .record({
    family: fc.constantFrom(4 as const, 6 as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
    blockOffset: fc.integer({ min: 0, max: 12 }),
    prefixOffset: fc.integer({ min: 0, max: 24 }),
    explicitBlock: fc.boolean(),
    upper: fc.boolean(),
  })
  .map(({ family, bytes, blockOffset, prefixOffset, explicitBlock, upper }) => {
    const blockSize = explicitBlock ? (family === 4 ? 20 : 116) + blockOffset : family === 4 ? 26 : 122;
    const prefix = Math.max(1, blockSize - prefixOffset);
    const text = networkText(bytes, prefix, family);
    return text === undefined ? undefined : { cidr: upper ? text.toUpperCase() : text, ...(explicitBlock ? { blockSize } : {}), family };
  })
  .filter((x): x is NonNullable<typeof x> => x !== undefined);

const selector = fc.constantFrom('', 'all()', 'has(zone)', 'zone == "a"', 'rack in {"r1", "r2"} && !has(edge)');

const validPoolSpec = fc
  .record({
    net: cidrAndBlock,
    encap: fc.constantFrom<[string | undefined, string | undefined]>([undefined, undefined], ['Never', 'Never'], ['Always', 'Never'], ['CrossSubnet', undefined], [undefined, 'Always'], ['Never', 'CrossSubnet']),
    uses: fc.constantFrom<string[] | undefined>(undefined, [], ['Workload'], ['Tunnel'], ['Workload', 'Tunnel'], ['Tunnel', 'Workload'], ['LoadBalancer']),
    nodeSelector: selector,
    namespaceSelector: selector,
    natOutgoing: fc.boolean(),
    disabled: fc.boolean(),
    disableBGPExport: fc.boolean(),
    assignmentMode: fc.constantFrom(undefined, 'Automatic', 'Manual'),
  })
  .map((r) => {
    const lb = r.uses?.includes('LoadBalancer') ?? false;
    const tunnel = r.uses === undefined || r.uses.length === 0 || r.uses.includes('Tunnel');
    const [ipipMode, vxlanMode] = lb ? ['Never', 'Never'] : r.net.family === 6 ? [undefined, r.encap[1]] : r.encap;
    const spec: Record<string, unknown> = { cidr: r.net.cidr };
    if (r.net.blockSize !== undefined) spec.blockSize = r.net.blockSize;
    if (ipipMode !== undefined) spec.ipipMode = ipipMode;
    if (vxlanMode !== undefined) spec.vxlanMode = vxlanMode;
    if (r.uses !== undefined) spec.allowedUses = r.uses;
    if (!lb && r.nodeSelector !== '') spec.nodeSelector = r.nodeSelector;
    if (!tunnel && r.namespaceSelector !== '') spec.namespaceSelector = r.namespaceSelector;
    if (r.natOutgoing) spec.natOutgoing = true;
    if (r.disabled) spec.disabled = true;
    if (r.disableBGPExport && !lb) spec.disableBGPExport = true;
    if (r.assignmentMode !== undefined) spec.assignmentMode = r.assignmentMode;
    return spec;
  });

describe('IPPool properties', () => {
  it('random valid pools pass validate(applyDefaults(doc))', () => {
    fc.assert(
      fc.property(label, validPoolSpec, (name, spec) => {
        const result = run(spec, { name });
        expect(result.errors).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it('defaults are idempotent and never touch the input', () => {
    fc.assert(
      fc.property(label, validPoolSpec, (name, spec) => {
        const input = doc(spec, { name });
        const before = structuredClone(input);
        const once = applyDefaults(input);
        expect(applyDefaults(once)).toEqual(once);
        expect(input).toEqual(before);
      }),
      { numRuns: 1000 },
    );
  });

  it('the stored CIDR is canonical: re-parsing it gives the same text', () => {
    fc.assert(
      fc.property(label, validPoolSpec, (name, spec) => {
        const cidr = run(spec, { name }).stored.spec.cidr;
        expect(parseIPNetwork(cidr)?.text).toBe(cidr);
        expect(cidr).toBe(cidr.toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it('a valid pool with IPIP and VXLAN both enabled is rejected at spec.vxlanMode only', () => {
    fc.assert(
      fc.property(label, validPoolSpec, fc.constantFrom('Always', 'CrossSubnet'), fc.constantFrom('Always', 'CrossSubnet'), (name, spec, ipip, vxlan) => {
        fc.pre(parseIPNetwork(String(spec.cidr))?.family === 4 && !(spec.allowedUses as string[] | undefined)?.includes('LoadBalancer'));
        const errors = run({ ...spec, ipipMode: ipip, vxlanMode: vxlan }, { name }).errors;
        expect(errors.map((e) => e.path)).toEqual(['spec.vxlanMode']);
      }),
      { numRuns: 300 },
    );
  });
});
