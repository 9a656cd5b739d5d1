/**
 * Client CPU per single operation, split by whose code ran: the backend's layer against raw
 * etcd3's, on a throwaway etcd.
 *
 * `run.ts` measures throughput, which on a shared machine swings with each gRPC connection's speed
 * (±5% per row even over hundreds of trials). This measures the cost that the library adds, and
 * nothing else. Each of `ROUNDS` child processes runs raw etcd3, the backend and a control raw
 * client under `--cpu-prof`, in chunks with the sides in rotating order, and records when each
 * chunk ran. The parent charges every sample to its chunk's side and splits it into the side's own
 * layer and the code all sides share (see `cpu-split.ts`). The layer figure is the one that tells
 * the library from raw etcd3; the shared one varies with the connection, as the control shows.
 *
 * Run with `npm run bench:etcd:cpu` (builds first), or `npx tsx bench/etcd/cpu.ts [rounds]` after
 * `npm run build`: about 2 minutes for the default 3 rounds.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEtcdBackend } from './built-backend.js';
import { splitProfile, type CpuProfile, type Split, type Window } from './cpu-split.js';
import { startEtcd } from '../../test/support/etcd-process.js';
import { OPERATIONS, ourOpSide, rawClient, rawOpSide, rotated, SIDES, type OpSide, type Side } from './op-sides.js';

/** Chunks per side, operation and concurrency in each child (after two unrecorded warm-up chunks). */
const CHUNKS = 20;
const MODES = [
  { label: 'sequential', concurrency: 1, ops: 100 },
  { label: '16 in flight', concurrency: 16, ops: 400 },
] as const;

/** The profiled child: runs the chunks and writes their windows (on the profile's clock) to `out`. */
async function child(endpoint: string, out: string): Promise<void> {
  const tag = String(process.pid);
  const sides: Record<Side, OpSide> = {
    raw: rawOpSide(rawClient([endpoint]), `raw${tag}`),
    ours: ourOpSide(await createEtcdBackend({ endpoints: [endpoint] })),
    control: rawOpSide(rawClient([endpoint]), `control${tag}`),
  };
  const windows: Window[] = [];
  const now = () => Number(process.hrtime.bigint() / 1000n);
  try {
    for (let chunk = 0; chunk < CHUNKS + 2; chunk++) {
      for (const mode of MODES) {
        for (const op of OPERATIONS) {
          for (const side of rotated(chunk)) {
            const start = now();
            await sides[side].run(op, `${tag}k${chunk}c${mode.concurrency}`, mode.ops, mode.concurrency);
            if (chunk >= 2) windows.push([start, now(), side, `${op} (${mode.label})`, mode.ops]);
          }
        }
      }
    }
  } finally {
    for (const side of SIDES) await sides[side].close();
  }
  writeFileSync(out, JSON.stringify(windows));
}

async function parent(rounds: number): Promise<void> {
  const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 2 ** 30)] });
  const dir = mkdtempSync(join(tmpdir(), 'bench-cpu-'));
  const totals = new Map<string, Split>();
  const packageDir = new URL('../../dist/', import.meta.url).href;
  try {
    for (let round = 0; round < rounds; round++) {
      const profiles = join(dir, `round${round}`);
      const windows = join(dir, `windows${round}.json`);
      execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', `--cpu-prof-dir=${profiles}`, '--import', 'tsx', fileURLToPath(import.meta.url), '--child', etcd.endpoints[0] as string, windows], { stdio: 'inherit' });
      const profile = JSON.parse(readFileSync(join(profiles, readdirSync(profiles)[0] as string), 'utf8')) as CpuProfile;
      splitProfile(profile, JSON.parse(readFileSync(windows, 'utf8')) as Window[], packageDir, totals);
      process.stderr.write(`[bench:etcd cpu] round ${round + 1}/${rounds} done\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await etcd.stop();
  }
  const perOp = (s: Split | undefined, part: 'layer' | 'shared' | 'total') => (s ? (part === 'total' ? s.layer + s.shared : s[part]) / s.ops : NaN);
  console.log('\nSampled client CPU, µs per operation: own layer (shared code) per side; layer difference backend − raw\n');
  console.log('operation | raw etcd3 | backend | control | layer: backend − raw | as % of raw total');
  for (const mode of MODES) {
    for (const op of OPERATIONS) {
      const name = `${op} (${mode.label})`;
      const [raw, ours, control] = SIDES.map((side) => totals.get(`${name} ${side}`));
      const cell = (s: Split | undefined) => `${perOp(s, 'layer').toFixed(1)} (${perOp(s, 'shared').toFixed(1)})`;
      const diff = perOp(ours, 'layer') - perOp(raw, 'layer');
      console.log(`${name} | ${cell(raw)} | ${cell(ours)} | ${cell(control)} | ${diff.toFixed(1)} | ${((100 * diff) / perOp(raw, 'total')).toFixed(1)}%`);
    }
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string);
} else {
  await parent(Number(process.argv[2] ?? 3));
}
