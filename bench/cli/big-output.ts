/**
 * Time and peak memory of `get ippools` over many pools, per output format, on a throwaway etcd.
 * Every format is run against the same datastore in one run, so the ratios to the table are
 * comparable; each run's output is hashed, so two builds can be checked for byte-identical output.
 *
 * Run: `npm run build && npm run bench:cli:output` (50,000 pools, 3 runs per format).
 * `POOLS=<n>` and `RUNS=<n>` change the size; `CLI=<path to cli.js>` measures another build (for
 * example one built from an older commit) against the same datastore shape.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../test/support/etcd-process.js';

const cli = process.env.CLI ?? fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
const child = fileURLToPath(new URL('./rss-child.mjs', import.meta.url));
const POOLS = Number(process.env.POOLS ?? 50_000);
const RUNS = Number(process.env.RUNS ?? 3);
const FORMATS = ['ps', 'wide', 'yaml', 'json'] as const;
const PREFIX = '/calico/resources/v3/projectcalico.org/ippools/';

/** One stored pool as Calico stores it: a /24 each, in 10.0.0.0/8. */
function poolValue(i: number): string {
  const name = `pool-${String(i).padStart(6, '0')}`;
  return JSON.stringify({
    kind: 'IPPool',
    apiVersion: 'projectcalico.org/v3',
    metadata: { name, uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, creationTimestamp: '2025-03-01T09:00:00Z', labels: { env: i % 2 ? 'prod' : 'dev' } },
    spec: { cidr: `10.${(i >> 8) & 255}.${i & 255}.0/24`, blockSize: 26, ipipMode: 'Never', vxlanMode: 'Always', natOutgoing: true, nodeSelector: 'all()', allowedUses: ['Workload', 'Tunnel'], assignmentMode: 'Automatic' },
  });
}

async function seed(endpoints: string[]): Promise<void> {
  const etcd = new Etcd3({ hosts: endpoints });
  try {
    for (let start = 0; start < POOLS; start += 100) {
      const ops = [];
      for (let i = start; i < Math.min(POOLS, start + 100); i++) ops.push({ request_put: { key: Buffer.from(`${PREFIX}pool-${String(i).padStart(6, '0')}`), value: Buffer.from(poolValue(i)) } });
      await etcd.kv.txn({ compare: [], success: ops, failure: [] });
    }
  } finally {
    etcd.close();
  }
}

interface Sample {
  ms: number;
  rssMiB: number;
  bytes: number;
  sha256: string;
}

function runOnce(args: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(process.execPath, [child, cli, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let bytes = 0;
    let stderr = '';
    let report = '';
    p.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    p.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    (p.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => (report += chunk.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      const { maxRSS } = JSON.parse(report) as { maxRSS: number };
      resolve({ ms, rssMiB: maxRSS / 1024, bytes, sha256: hash.digest('hex') });
    });
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 1024 ** 3)] });
try {
  await seed(etcd.endpoints);
  const env = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(','), CALICO_DATASTORE_DEFAULT_CONFIG: '/nonexistent' };
  const results = new Map<string, Sample[]>();
  // Formats interleaved per round, so a slow moment of a shared machine is spread over all of them.
  for (let round = 0; round < RUNS; round++) {
    for (const format of FORMATS) {
      const sample = await runOnce(['get', 'ippools', '-o', format], env);
      results.set(format, [...(results.get(format) ?? []), sample]);
    }
  }
  const table = results.get('ps') as Sample[];
  const tableMs = median(table.map((s) => s.ms));
  const tableRss = median(table.map((s) => s.rssMiB));
  console.log(`get ippools over ${POOLS} pools on etcd, median of ${RUNS} runs (${cli})`);
  console.log('| -o | time ms | × table | peak RSS MiB | × table | output bytes | sha256 (first 16) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const format of FORMATS) {
    const samples = results.get(format) as Sample[];
    const ms = median(samples.map((s) => s.ms));
    const rss = median(samples.map((s) => s.rssMiB));
    const hashes = new Set(samples.map((s) => s.sha256));
    if (hashes.size !== 1) throw new Error(`-o ${format} printed different output in different runs`);
    const first = samples[0] as Sample;
    console.log(`| ${format} | ${ms.toFixed(0)} | ${(ms / tableMs).toFixed(2)} | ${rss.toFixed(0)} | ${(rss / tableRss).toFixed(2)} | ${first.bytes} | ${first.sha256.slice(0, 16)} |`);
  }
} finally {
  await etcd.stop();
}
