/**
 * `get KIND` prints a long list as it reads it, page by page, and the text is the same as the
 * whole list rendered at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdBackend } from '../../src/backends/etcdv2/index.js';
import type { Backend, ResourceObject } from '../../src/backends/backend.js';
import { renderOutput } from '../../src/cli/output/render.js';
import { createClient } from '../../src/client.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { runCliInProcess, type CliResult } from './support/run-cli.js';

const POOLS = 1234; // three pages of 500

let etcd: EtcdHandle;
let backend: Backend;
beforeAll(async () => {
  etcd = await startEtcd();
  backend = await createEtcdBackend({ endpoints: etcd.endpoints });
  for (let start = 0; start < POOLS; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, POOLS - start) }, (_, j) => {
        const i = start + j;
        const name = `pool-${String(i).padStart(5, '0')}`;
        const value: ResourceObject = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name, uid: `u-${i}`, creationTimestamp: '2025-03-01T09:00:00Z', labels: { n: String(i) } }, spec: { cidr: `10.${i >> 8}.${i & 255}.0/24`, nodeSelector: 'all()', ...(i % 7 === 0 ? { description: 'a pool with spaces and "quotes"' } : {}) } };
        return backend.create({ key: { kind: 'IPPool', name }, value });
      }),
    );
  }
}, 120_000);
afterAll(async () => {
  await backend?.close();
  await etcd?.stop();
});

async function get(args: string[]): Promise<CliResult & { flushes: number }> {
  let flushes = 0;
  const env = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(',') };
  const result = await runCliInProcess(args, env, {
    flush: async () => {
      flushes += 1;
    },
  });
  return { ...result, flushes };
}

describe(`get ippools over ${POOLS} pools`, () => {
  it('prints YAML, JSON and tables page by page, identical to the whole list rendered at once', async () => {
    const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: etcd.endpoints, initialize: false });
    const list = await client.ipPools.list();
    await client.close();
    expect(list.items).toHaveLength(POOLS);
    for (const type of ['yaml', 'json', 'ps', 'wide'] as const) {
      const r = await get(['get', 'ippools', '-o', type]);
      expect(r.code, type).toBe(0);
      expect(r.stderr, type).toBe('');
      const whole = renderOutput({ format: { type }, kind: 'IPPool', namespaced: false, showNamespace: false, units: [{ list: { items: list.items, resourceVersion: list.resourceVersion } }] });
      expect(r.stdout === whole, type).toBe(true);
      // Documents wait for the reader after each page; tables are printed once complete.
      expect(r.flushes, type).toBe(type === 'yaml' || type === 'json' ? 3 : 0);
    }
  });
});
