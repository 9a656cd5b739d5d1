/**
 * Start-up time of the built CLI (`node dist/cli.js --help`, `version --client`, and a `get` on the
 * memory datastore) against bare `node -e ''` on the same machine, in one run. The target
 * is `--help` within 300 ms.
 *
 * Run: `npm run build && npm run bench:cli`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);

const RUNS = 15;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(args: string[], env: Record<string, string> = {}): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const bare = time(['-e', '']);
const rows: Array<[string, number]> = [
  ['--help', time([cli, '--help'])],
  ['version --client', time([cli, 'version', '--client'])],
  ['get ippools (memory)', time([cli, 'get', 'ippools'], { DATASTORE_TYPE: 'memory', CALICO_DATASTORE_DEFAULT_CONFIG: '/nonexistent' })],
];
console.log(`bare node -e '': ${bare.toFixed(1)} ms (median of ${RUNS})`);
console.log('| command | median ms | × bare node | target |');
console.log('|---|---|---|---|');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / bare).toFixed(2)} | ${name === '--help' ? (ms <= 300 ? '≤ 300 ms ok' : '≤ 300 ms MISSED') : '—'} |`);
