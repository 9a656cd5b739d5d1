import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../src/errors.js';
import { collectFieldErrors } from '../../../src/model/field-report.js';
import { applyIPPoolDefaults, checkIPPool, parsePoolCIDR } from '../../../src/model/ippool.js';
import type { IPPool, IPPoolSpec } from '../../../src/model/types.generated.js';

function pool(spec: Partial<IPPoolSpec> & Record<string, unknown>, name = 'pool-a'): IPPool {
  return { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name }, spec: spec as IPPoolSpec };
}

/** Defaults then checks, as the client does. */
function errorsOf(spec: Partial<IPPoolSpec> & Record<string, unknown>): FieldError[] {
  const { errors, report } = collectFieldErrors();
  checkIPPool(applyIPPoolDefaults(pool(spec)), report);
  return errors;
}

function paths(errors: readonly FieldError[]): string[] {
  return errors.map((e) => e.path);
}

describe('applyIPPoolDefaults (model.md §6.1)', () => {
  it('fills every default of §6.5', () => {
    const input = pool({ cidr: 'FD00:10:0::/48', vxlanMode: 'CrossSubnet', natOutgoing: true }, 'pool-v6');
    const before = structuredClone(input);
    const out = applyIPPoolDefaults(input);
    expect(out.spec).toEqual({
      cidr: 'fd00:10::/48',
      blockSize: 122,
      ipipMode: 'Never',
      vxlanMode: 'CrossSubnet',
      natOutgoing: true,
      nodeSelector: 'all()',
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
    });
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
  });

  it.each([
    ['10.0.0.0/16', undefined, 26],
    ['10.0.0.0/16', 0, 26],
    ['fd00::/64', undefined, 122],
    ['fd00::/64', 0, 122],
    ['10.0.0.0/16', 28, 28],
  ])('blockSize for %s given %s is %d', (cidr, blockSize, expected) => {
    expect(applyIPPoolDefaults(pool({ cidr, ...(blockSize === undefined ? {} : { blockSize }) })).spec.blockSize).toBe(expected);
  });

  it('canonicalises the CIDR text', () => {
    expect(applyIPPoolDefaults(pool({ cidr: 'FD00:0:0::/64' })).spec.cidr).toBe('fd00::/64');
    // RFC 5952: the longest run of zero groups is compressed, the leftmost one on a tie.
    expect(applyIPPoolDefaults(pool({ cidr: '2001:DB8:0:0:1:0:0:0/112' })).spec.cidr).toBe('2001:db8:0:0:1::/112');
    expect(applyIPPoolDefaults(pool({ cidr: '2001:DB8:0:0:1:0:0:1/128' })).spec.cidr).toBe('2001:db8::1:0:0:1/128');
    expect(applyIPPoolDefaults(pool({ cidr: '2001:db8:0:1:0:1:0:0/128' })).spec.cidr).toBe('2001:db8:0:1:0:1::/128');
    // Go reads an IPv4-mapped network with a prefix of at least 96 as the IPv4 network.
    expect(applyIPPoolDefaults(pool({ cidr: '::ffff:10.0.0.0/104' })).spec).toMatchObject({ cidr: '10.0.0.0/8', blockSize: 26 });
  });

  it('leaves a CIDR with host bits as written so that the check reports it', () => {
    expect(applyIPPoolDefaults(pool({ cidr: '10.0.0.1/24' })).spec.cidr).toBe('10.0.0.1/24');
  });

  it('treats empty strings and empty lists as absent, but keeps an explicit empty assignmentMode', () => {
    const out = applyIPPoolDefaults(pool({ cidr: '10.0.0.0/16', ipipMode: '' as never, vxlanMode: '' as never, nodeSelector: '', allowedUses: [], assignmentMode: '' as never }));
    expect(out.spec).toMatchObject({ ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: '' });
  });

  it('keeps values the caller set', () => {
    const spec = { cidr: '10.1.0.0/16', blockSize: 24, ipipMode: 'CrossSubnet', vxlanMode: 'Never', nodeSelector: 'has(x)', allowedUses: ['Workload'], assignmentMode: 'Manual' } as const;
    expect(applyIPPoolDefaults(pool({ ...spec, allowedUses: [...spec.allowedUses] })).spec).toEqual({ ...spec, allowedUses: ['Workload'] });
  });

  it('does not fail on documents without a usable spec', () => {
    expect(applyIPPoolDefaults({ kind: 'IPPool' })).toEqual({ kind: 'IPPool' });
    expect(applyIPPoolDefaults(null)).toBeNull();
    expect(applyIPPoolDefaults({ spec: { cidr: 'garbage' } })).toEqual({
      spec: { cidr: 'garbage', ipipMode: 'Never', vxlanMode: 'Never', nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' },
    });
  });
});

describe('parsePoolCIDR', () => {
  it('needs an explicit prefix', () => {
    expect(parsePoolCIDR('10.0.0.0')).toMatchObject({ ok: false, reason: expect.stringContaining('prefix length') });
    expect(parsePoolCIDR('garbage')).toMatchObject({ ok: false, reason: expect.stringContaining('valid subnet') });
    expect(parsePoolCIDR('010.0.0.0/8')).toMatchObject({ ok: false });
    expect(parsePoolCIDR('10.0.0.0/33')).toMatchObject({ ok: false });
    expect(parsePoolCIDR('')).toMatchObject({ ok: false });
    expect(parsePoolCIDR('10.0.0.0/24')).toMatchObject({ ok: true, value: { text: '10.0.0.0/24' } });
  });
});

describe('checkIPPool: CIDR', () => {
  it('accepts 10.0.0.0/24', () => {
    expect(errorsOf({ cidr: '10.0.0.0/24' })).toEqual([]);
  });

  it.each([
    ['10.0.0.1/24', 'strictly masked'],
    ['10.1.2.0/16', 'strictly masked'],
    ['10.0.0.0', 'prefix length'],
    ['not-a-cidr', 'valid subnet'],
  ])('rejects %s', (cidr, reason) => {
    const errors = errorsOf({ cidr });
    expect(errors).toContainEqual(expect.objectContaining({ path: 'spec.cidr', type: 'invalid', message: expect.stringContaining(reason), value: cidr }));
  });

  it.each(['169.254.0.0/16', '169.254.10.0/24', '169.0.0.0/8', '0.0.0.0/0', 'fe80::/64', 'fe80::/10', 'fe00::/7', '::/0'])(
    'rejects %s (overlaps the link-local range)',
    (cidr) => {
      expect(errorsOf({ cidr, disabled: true })).toEqual([expect.objectContaining({ path: 'spec.cidr', message: expect.stringContaining('link-local') })]);
    },
  );

  it('accepts pools next to the link-local range', () => {
    expect(errorsOf({ cidr: '169.255.0.0/16' })).toEqual([]);
    expect(errorsOf({ cidr: 'fec0::/64' })).toEqual([]);
  });

  it('skips the checks that need the CIDR when it does not parse', () => {
    const errors = errorsOf({ cidr: 'garbage', blockSize: 5, ipipMode: 'Always' });
    expect(paths(errors)).toEqual(['spec.cidr']);
  });
});

describe('checkIPPool: blockSize', () => {
  it.each([19, 33, 116])('rejects blockSize %d on an IPv4 pool', (blockSize) => {
    expect(errorsOf({ cidr: '10.0.0.0/8', blockSize })).toContainEqual(expect.objectContaining({ path: 'spec.blockSize', type: 'invalid' }));
  });

  it.each([115, 32, 129])('rejects blockSize %d on an IPv6 pool', (blockSize) => {
    const errors = errorsOf({ cidr: 'fd00::/64', blockSize });
    // 129 is outside the schema range: the schema reports it, the semantic check leaves it alone.
    if (blockSize <= 128) expect(errors).toContainEqual(expect.objectContaining({ path: 'spec.blockSize', type: 'invalid' }));
    else expect(errors).toEqual([]);
  });

  it.each([
    ['10.0.0.0/8', 20],
    ['10.0.0.0/8', 32],
    ['fd00::/64', 116],
    ['fd00::/64', 128],
  ])('accepts %s with blockSize %d', (cidr, blockSize) => {
    expect(errorsOf({ cidr, blockSize })).toEqual([]);
  });

  it('needs room for one block unless disabled', () => {
    expect(errorsOf({ cidr: '10.0.0.0/27' })).toEqual([expect.objectContaining({ path: 'spec.cidr', message: expect.stringContaining('too small') })]);
    expect(errorsOf({ cidr: '10.0.0.0/27', blockSize: 28 })).toEqual([]);
    expect(errorsOf({ cidr: '10.0.0.0/27', disabled: true })).toEqual([]);
    expect(errorsOf({ cidr: '10.0.0.0/26' })).toEqual([]);
    expect(errorsOf({ cidr: 'fd00::/123' })).toHaveLength(1);
  });
});

describe('checkIPPool: encapsulation', () => {
  it.each([
    ['Always', 'Always'],
    ['Always', 'CrossSubnet'],
    ['CrossSubnet', 'Always'],
    ['CrossSubnet', 'CrossSubnet'],
  ] as const)('rejects ipipMode %s with vxlanMode %s', (ipipMode, vxlanMode) => {
    expect(errorsOf({ cidr: '10.0.0.0/16', ipipMode, vxlanMode })).toEqual([
      expect.objectContaining({ path: 'spec.vxlanMode', type: 'forbidden', message: expect.stringContaining('both') }),
    ]);
  });

  it('accepts one enabled mode', () => {
    expect(errorsOf({ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Never' })).toEqual([]);
    expect(errorsOf({ cidr: '10.0.0.0/16', ipipMode: 'Never', vxlanMode: 'CrossSubnet' })).toEqual([]);
  });

  it('rejects IPIP on IPv6 but not VXLAN', () => {
    expect(errorsOf({ cidr: 'fd00::/64', ipipMode: 'CrossSubnet' })).toEqual([
      expect.objectContaining({ path: 'spec.ipipMode', type: 'forbidden', message: expect.stringContaining('IPv6') }),
    ]);
    expect(errorsOf({ cidr: 'fd00::/64', vxlanMode: 'Always' })).toEqual([]);
  });
});

describe('checkIPPool: allowedUses and LoadBalancer', () => {
  it('accepts LoadBalancer alone', () => {
    expect(errorsOf({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'] })).toEqual([]);
  });

  it.each([[['LoadBalancer', 'Workload']], [['Tunnel', 'LoadBalancer']]] as const)('rejects %o', (uses) => {
    expect(errorsOf({ cidr: '10.0.0.0/16', allowedUses: [...uses] })).toEqual([expect.objectContaining({ path: 'spec.allowedUses', type: 'forbidden' })]);
  });

  it.each([
    [{ vxlanMode: 'Always' }, 'spec.vxlanMode'],
    [{ ipipMode: 'CrossSubnet' }, 'spec.ipipMode'],
    [{ disableBGPExport: true }, 'spec.disableBGPExport'],
    [{ nodeSelector: 'has(x)' }, 'spec.nodeSelector'],
    [{ nodeSelector: 'all( )' }, 'spec.nodeSelector'],
    [{ nodeSelector: '(all())' }, 'spec.nodeSelector'],
  ] as const)('rejects a LoadBalancer pool with %o', (extra, path) => {
    expect(errorsOf({ cidr: '10.0.0.0/16', allowedUses: ['LoadBalancer'], ...extra })).toEqual([expect.objectContaining({ path })]);
  });

  it('rejects a namespaceSelector while Tunnel is allowed, including through the default', () => {
    expect(errorsOf({ cidr: '10.0.0.0/16', namespaceSelector: 'team == "a"' })).toEqual([
      expect.objectContaining({ path: 'spec.namespaceSelector', type: 'forbidden' }),
    ]);
    expect(errorsOf({ cidr: '10.0.0.0/16', namespaceSelector: 'team == "a"', allowedUses: ['Workload', 'Tunnel'] })).toHaveLength(1);
    expect(errorsOf({ cidr: '10.0.0.0/16', namespaceSelector: 'team == "a"', allowedUses: ['Workload'] })).toEqual([]);
  });
});

describe('checkIPPool: selectors', () => {
  it.each([
    ['nodeSelector', 'global()'],
    ['namespaceSelector', 'global()'],
    ['nodeSelector', 'a == "global("'],
    ['nodeSelector', 'has(a) && global()'],
  ] as const)('rejects %s %j (global( substring)', (field, selector) => {
    const extra = field === 'namespaceSelector' ? { allowedUses: ['Workload' as const] } : {};
    expect(errorsOf({ cidr: '10.0.0.0/16', ...extra, [field]: selector })).toEqual([
      expect.objectContaining({ path: `spec.${field}`, type: 'invalid', message: expect.stringContaining('global()') }),
    ]);
  });

  it('rejects a selector that does not parse, naming the position', () => {
    expect(errorsOf({ cidr: '10.0.0.0/16', nodeSelector: 'has(' })).toEqual([
      expect.objectContaining({ path: 'spec.nodeSelector', type: 'invalid', message: expect.stringMatching(/invalid selector.*position \d+/) }),
    ]);
    expect(errorsOf({ cidr: '10.0.0.0/16', allowedUses: ['Workload'], namespaceSelector: 'a ==' })).toEqual([
      expect.objectContaining({ path: 'spec.namespaceSelector' }),
    ]);
  });

  it('caps selectors at 1024 characters', () => {
    const pad = (n: number): string => `a == "${'x'.repeat(n - 7)}"`;
    expect(pad(1024)).toHaveLength(1024);
    expect(errorsOf({ cidr: '10.0.0.0/16', nodeSelector: pad(1024) })).toEqual([]);
    expect(errorsOf({ cidr: '10.0.0.0/16', nodeSelector: pad(1025) })).toEqual([expect.objectContaining({ path: 'spec.nodeSelector', type: 'tooLong' })]);
  });

  it('accepts valid selectors', () => {
    expect(errorsOf({ cidr: '10.0.0.0/16', nodeSelector: 'zone in {"a", "b"} && !has(edge)' })).toEqual([]);
    expect(errorsOf({ cidr: '10.0.0.0/16', allowedUses: ['Workload'], namespaceSelector: 'all()' })).toEqual([]);
  });
});

describe('checkIPPool: defensive', () => {
  it.each([
    { spec: null },
    { spec: 'x' },
    { spec: [] },
    {},
    { spec: { cidr: 42, blockSize: 'x', allowedUses: 'LoadBalancer', nodeSelector: 7, namespaceSelector: {} } },
    { spec: { cidr: '10.0.0.0/16', allowedUses: [null, 3, 'LoadBalancer'], blockSize: 1.5 } },
  ])('never throws on %o', (doc) => {
    const { report } = collectFieldErrors();
    expect(() => checkIPPool(doc as never, report)).not.toThrow();
    expect(() => applyIPPoolDefaults(doc)).not.toThrow();
  });

  it('collects every failing field', () => {
    const errors = errorsOf({ cidr: 'fd00::1/64', blockSize: 100, ipipMode: 'Always', vxlanMode: 'Always', nodeSelector: 'global()' });
    expect(paths(errors).sort()).toEqual(['spec.blockSize', 'spec.cidr', 'spec.ipipMode', 'spec.nodeSelector', 'spec.vxlanMode']);
  });
});
