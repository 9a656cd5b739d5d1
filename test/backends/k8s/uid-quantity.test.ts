/**
 * The uid transform (backends spec §3.2.3), Kubernetes quantities and the QoS annotations of
 * Pods (backends spec §3.8, Calico's `handleQoSControlsAnnotations`), and the client-side rate
 * limiter (`k8sClientQPS` / `k8sClientBurst`).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isValidationError } from '../../../src/errors.js';
import { qosControlsFromAnnotations } from '../../../src/backends/k8s/qos.js';
import { quantityValue } from '../../../src/backends/k8s/quantity.js';
import { createRateLimiter } from '../../../src/backends/k8s/transport.js';
import { convertUID, tryConvertUID } from '../../../src/backends/k8s/uid.js';

const bytesOf = (uid: string): number[] => (uid.replaceAll('-', '').match(/../g) ?? []).map((h) => parseInt(h, 16));
const reverse8 = (b: number): number => parseInt(b.toString(2).padStart(8, '0').split('').reverse().join(''), 2);

describe('convertUID', () => {
  it('maps the spec example both ways', () => {
    expect(convertUID('0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b')).toBe('50d1f670-3cb4-4efa-9ad8-34bc72fa56de');
    expect(convertUID('50d1f670-3cb4-4efa-9ad8-34bc72fa56de')).toBe('0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b');
  });

  it('reverses the bits of every byte except the version and variant bytes, and is its own inverse', () => {
    fc.assert(
      fc.property(fc.uuid(), (uid) => {
        const out = convertUID(uid);
        const before = bytesOf(uid);
        const after = bytesOf(out);
        for (let i = 0; i < 16; i++) expect(after[i]).toBe(i === 6 || i === 8 ? before[i] : reverse8(before[i] as number));
        expect(convertUID(out)).toBe(uid.toLowerCase());
        expect(out).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }),
    );
  });

  it('accepts the other UUID spellings Go accepts and normalises them', () => {
    const canonical = convertUID('0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b');
    expect(convertUID('0A8B6F0E-3C2D-4E5F-9A1B-2C3D4E5F6A7B')).toBe(canonical);
    expect(convertUID('0a8b6f0e3c2d4e5f9a1b2c3d4e5f6a7b')).toBe(canonical);
    expect(convertUID('{0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b}')).toBe(canonical);
    expect(convertUID('urn:uuid:0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7b')).toBe(canonical);
  });

  it.each(['', 'not-a-uid', '0a8b6f0e-3c2d-4e5f-9a1b-2c3d4e5f6a7', '0a8b6f0e_3c2d_4e5f_9a1b_2c3d4e5f6a7b', 'g'.repeat(32)])('rejects %j', (uid) => {
    expect(tryConvertUID(uid)).toBeUndefined();
    let caught: unknown;
    try {
      convertUID(uid, 'metadata.ownerReferences[0].uid');
    } catch (e) {
      caught = e;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { errors: { path: string }[] }).errors[0]?.path).toBe('metadata.ownerReferences[0].uid');
  });
});

describe('quantityValue', () => {
  it.each([
    ['0', 0n],
    ['10', 10n],
    ['10M', 10_000_000n],
    ['1k', 1000n],
    ['1.01k', 1010n],
    ['1.5Ki', 1536n],
    ['4Gi', 4294967296n],
    ['1e3', 1000n],
    ['2E2', 200n],
    ['1P', 10n ** 15n],
    ['100m', 1n],
    ['0.1', 1n],
    ['.5', 1n],
    ['-5', -5n],
    ['-1.5', -2n],
  ])('%s → %s', (text, value) => {
    expect(quantityValue(text)).toBe(value);
  });

  it.each(['', 'abc', '10 M', '1K', 'k', '1Kb', '1e', '--1', '1.2.3'])('rejects %j', (text) => {
    expect(quantityValue(text)).toBeUndefined();
  });

  it('reads plain integers exactly and rounds fractions up', () => {
    fc.assert(fc.property(fc.nat(), (n) => quantityValue(String(n)) === BigInt(n)));
    fc.assert(fc.property(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 999 }), (n, f) => quantityValue(`${n}.${String(f).padStart(3, '0')}`) === BigInt(n + 1)));
  });
});

describe('qosControlsFromAnnotations', () => {
  it('reads the Kubernetes bandwidth annotations and defaults the burst', () => {
    expect(qosControlsFromAnnotations({ 'kubernetes.io/ingress-bandwidth': '10M', 'kubernetes.io/egress-bandwidth': '1G' })).toEqual({
      qosControls: { ingressBandwidth: 10_000_000, ingressBurst: 4294967296, egressBandwidth: 1_000_000_000, egressBurst: 4294967296 },
      problems: [],
    });
  });

  it('lets the Calico annotations override the Kubernetes ones', () => {
    const { qosControls } = qosControlsFromAnnotations({ 'kubernetes.io/ingress-bandwidth': '10M', 'qos.projectcalico.org/ingressBandwidth': '20M', 'qos.projectcalico.org/ingressBurst': '5M' });
    expect(qosControls).toEqual({ ingressBandwidth: 20_000_000, ingressBurst: 5_000_000 });
  });

  it('clamps out-of-range values and reports them', () => {
    const r = qosControlsFromAnnotations({ 'qos.projectcalico.org/egressBandwidth': '10', 'qos.projectcalico.org/ingressPacketRate': '1M' });
    expect(r.qosControls).toEqual({ egressBandwidth: 1000, egressBurst: 4294967296, ingressPacketRate: 10_000, ingressPacketBurst: 5 });
    expect(r.problems).toHaveLength(2);
    expect(r.problems.join()).toContain('qos.projectcalico.org/egressBandwidth');
  });

  it('drops settings whose prerequisite is missing', () => {
    const r = qosControlsFromAnnotations({
      'qos.projectcalico.org/ingressBurst': '5M',
      'qos.projectcalico.org/egressBandwidth': '10M',
      'qos.projectcalico.org/egressPeakrate': '5M',
      'qos.projectcalico.org/egressMinburst': '2k',
      'qos.projectcalico.org/ingressPacketBurst': '10',
    });
    expect(r.qosControls).toEqual({ egressBandwidth: 10_000_000, egressBurst: 4294967296 });
    expect(r.problems).toHaveLength(4);
  });

  it('keeps a valid peak rate and minimum burst, connections and DSCP', () => {
    const r = qosControlsFromAnnotations({
      'qos.projectcalico.org/ingressBandwidth': '10M',
      'qos.projectcalico.org/ingressPeakrate': '20M',
      'qos.projectcalico.org/ingressMinburst': '1500',
      'qos.projectcalico.org/egressMaxConnections': '100',
      'qos.projectcalico.org/dscp': 'af11',
    });
    expect(r).toEqual({
      qosControls: { ingressBandwidth: 10_000_000, ingressBurst: 4294967296, ingressPeakrate: 20_000_000, ingressMinburst: 1500, egressMaxConnections: 100, dscp: 'AF11' },
      problems: [],
    });
  });

  it('reports unparsable values and an invalid DSCP without failing', () => {
    const r = qosControlsFromAnnotations({ 'qos.projectcalico.org/ingressBandwidth': 'fast', 'qos.projectcalico.org/dscp': '64' });
    expect(r.qosControls).toBeUndefined();
    expect(r.problems).toEqual(['qos.projectcalico.org/ingressBandwidth: not a quantity', 'qos.projectcalico.org/dscp: not a DSCP value']);
  });

  it('has nothing to say about a Pod without QoS annotations', () => {
    expect(qosControlsFromAnnotations({ app: 'web' })).toEqual({ qosControls: undefined, problems: [] });
  });
});

describe('createRateLimiter', () => {
  it('lets a burst through, then one request per 1/qps seconds, in order', async () => {
    vi.useFakeTimers();
    try {
      const take = createRateLimiter(10, 2);
      const done: number[] = [];
      for (const i of [1, 2, 3, 4]) void take().then(() => done.push(i));
      await vi.advanceTimersByTimeAsync(0);
      expect(done).toEqual([1, 2]);
      await vi.advanceTimersByTimeAsync(100);
      expect(done).toEqual([1, 2, 3]);
      await vi.advanceTimersByTimeAsync(100);
      expect(done).toEqual([1, 2, 3, 4]);
    } finally {
      vi.useRealTimers();
    }
  });
});
