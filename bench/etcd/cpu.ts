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
import type { Backend } from '../../src/backends/backend.js';
import { createEtcdBackend } from './built-backend.js';
import { startEtcd } from '../../test/support/etcd-process.js';
import { median, pool, PREFIX, timed } from './fixtures.js';

const side = process.argv[2] ?? 'both';
const OPS = Number(process.argv[3] ?? 3000);
const CHUNK = 100;
const OPERATIONS = ['create', 'get', 'update'] as const;
type Operation = (typeof OPERATIONS)[number];
type Side = 'raw' | 'ours';

/** One side's three operations over keys tagged with `tag`. */
interface SideWork {
  run(op: Operation, tag: string, count: number, concurrency: number): Promise<void>;
}

function rawWork(raw: Etcd3): SideWork {
  const revs = new Map<string, string>();
  const key = (tag: string, i: number) => `${PREFIX}ippools/raw-${tag}-${i}`;
  const ops = {
    create: (tag: string, i: number) =>
      raw
        .if(key(tag, i), 'Version', '==', 0)
        .then(raw.put(key(tag, i)).value(JSON.stringify(pool(key(tag, i), i))))
        .else(raw.get(key(tag, i)))
        .commit()
        .then((r) => void revs.set(key(tag, i), r.header.revision)),
    get: (tag: string, i: number) => raw.get(key(tag, i)).exec().then((r) => JSON.parse((r.kvs[0]?.value ?? Buffer.from('null')).toString()) as unknown),
    update: (tag: string, i: number) =>
      raw
        .if(key(tag, i), 'Mod', '==', revs.get(key(tag, i)) as string)
        .then(raw.put(key(tag, i)).value(JSON.stringify(pool(key(tag, i), i + 1))))
        .else(raw.get(key(tag, i)))
        .commit()
        .then((r) => {
          if (!r.succeeded) throw new Error('raw CAS failed');
        }),
  };
  return { run: async (op, tag, count, concurrency) => void (await timed(count, concurrency, (i) => ops[op](tag, i))) };
}

function ourWork(backend: Backend): SideWork {
  const revisions = new Map<string, string>();
  const name = (tag: string, i: number) => `ours-${tag}-${i}`;
  const ops = {
    create: (tag: string, i: number) =>
      backend.create({ key: { kind: 'IPPool', name: name(tag, i) }, value: pool(name(tag, i), i) }).then((kv) => void revisions.set(name(tag, i), kv.revision)),
    get: (tag: string, i: number) => backend.get({ kind: 'IPPool', name: name(tag, i) }),
    update: (tag: string, i: number) => backend.update({ key: { kind: 'IPPool', name: name(tag, i) }, value: pool(name(tag, i), i + 1), revision: revisions.get(name(tag, i)) as string }),
  };
  return { run: async (op, tag, count, concurrency) => void (await timed(count, concurrency, (i) => ops[op](tag, i))) };
}

async function main(): Promise<void> {
  const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 2 ** 30)] });
  const raw = new Etcd3({ hosts: etcd.endpoints, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024 } });
  const backend = await createEtcdBackend({ endpoints: etcd.endpoints });
  const sides: Side[] = side === 'both' ? ['raw', 'ours'] : [side as Side];
  const work: Record<Side, SideWork> = { raw: rawWork(raw), ours: ourWork(backend) };
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
