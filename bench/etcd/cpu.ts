/**
 * Client CPU per single operation, raw etcd3 against the etcd backend, on a throwaway etcd.
 *
 * Wall-clock rates on a shared machine swing with other processes' load; the CPU this process
 * spends per operation barely does, so it shows where our path costs more than raw etcd3's.
 * Each side runs the same operations as `run.ts` (create, get, update) in alternating chunks,
 * sequentially and with 16 in flight; the median (and mean) chunk's CPU µs/op is printed per side.
 *
 * Run with `npx tsx bench/etcd/cpu.ts [side] [ops]`: `side` is `both` (default), `raw` or
 * `ours` — a single side is handy under `node --cpu-prof --import tsx bench/etcd/cpu.ts ours`.
 *
 * @module
 */
import { Etcd3 } from 'etcd3';
import { createEtcdBackend } from './built-backend.js';
import { startEtcd } from '../../test/support/etcd-process.js';
import { median } from './fixtures.js';
import { OPERATIONS, ourOpSide, rawOpSide, type Operation, type OpSide } from './op-sides.js';

const side = process.argv[2] ?? 'both';
const OPS = Number(process.argv[3] ?? 3000);
const CHUNK = 100;
type Side = 'raw' | 'ours';

async function main(): Promise<void> {
  const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 2 ** 30)] });
  const raw = new Etcd3({ hosts: etcd.endpoints, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
  const backend = await createEtcdBackend({ endpoints: etcd.endpoints });
  const sides: Side[] = side === 'both' ? ['raw', 'ours'] : [side as Side];
  const work: Record<Side, OpSide> = { raw: rawOpSide(raw, 'raw'), ours: ourOpSide(backend) };
  try {
    for (const s of sides) for (const op of OPERATIONS) await work[s].run(op, `warm-${s}`, 1000, 8);
    for (const concurrency of [1, 16]) {
      const samples: Record<Side, Record<Operation, number[]>> = {
        raw: { create: [], get: [], update: [] },
        ours: { create: [], get: [], update: [] },
      };
      for (let chunk = 0; chunk < OPS / CHUNK; chunk++) {
        const order = chunk % 2 === 0 ? sides : [...sides].reverse();
        for (const op of OPERATIONS) {
          for (const s of order) {
            const before = process.cpuUsage();
            await work[s].run(op, `c${concurrency}k${chunk}`, CHUNK, concurrency);
            const used = process.cpuUsage(before);
            samples[s][op].push((used.user + used.system) / CHUNK);
          }
        }
      }
      for (const op of OPERATIONS) {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const figures = sides.map((s) => `${s} ${median(samples[s][op]).toFixed(1)} (mean ${mean(samples[s][op]).toFixed(1)})`).join(', ');
        console.log(`${op} (${concurrency === 1 ? 'sequential' : `${concurrency} in flight`}): client CPU µs/op ${figures}`);
      }
    }
  } finally {
    await backend.close();
    raw.close();
    await etcd.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
