/**
 * Shared pieces of the etcd benchmarks: realistic objects and simple timing helpers.
 *
 * @module
 */
import type { ResourceObject } from '../../src/backends/backend.js';

/** The v3 key prefix, spelled out (the bench compares against raw etcd3 using the same keys). */
export const PREFIX = '/calico/resources/v3/projectcalico.org/';

/**
 * An IPPool of about 600 bytes of JSON, like the ones Calico stores.
 *
 * @param name Object name.
 * @param i A number that varies the content.
 * @return The object.
 */
export function pool(name: string, i: number): ResourceObject {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'IPPool',
    metadata: {
      name,
      uid: `5c1f8a2e-${String(i).padStart(4, '0')}-4b7d-9e21-3f0a6c9d8b7e`,
      creationTimestamp: '2025-03-01T09:00:00Z',
      labels: { env: i % 2 === 0 ? 'prod' : 'dev', team: `team-${i % 17}`, 'projectcalico.org/owner': 'bench' },
      annotations: { 'bench.example.com/note': 'an annotation of moderate length to reach a realistic object size' },
    },
    spec: {
      cidr: `10.${(i >> 8) & 255}.${i & 255}.0/24`,
      vxlanMode: 'Always',
      ipipMode: 'Never',
      natOutgoing: true,
      blockSize: 26,
      nodeSelector: "all() && !has(node-role.kubernetes.io/control-plane) && zone in {'a','b','c'}",
      allowedUses: ['Workload', 'Tunnel'],
      assignmentMode: 'Automatic',
      disableBGPExport: false,
    },
  };
}

/**
 * Runs `op` `count` times with `concurrency` in flight and returns the elapsed milliseconds.
 *
 * @param count Operations.
 * @param concurrency Operations in flight.
 * @param op The operation (receives its index).
 * @return Elapsed time in ms.
 */
export async function timed(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
  return performance.now() - started;
}

/** Median of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
