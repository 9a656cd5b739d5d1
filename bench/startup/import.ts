/**
 * What importing the built library costs, in one run on this machine: fresh processes that
 * import the root entry (CommonJS `require`, ESM `import`) or `require('rxjs')`, timed against a
 * bare `node -e ''`. The commands run in turn, round after round (bare, rxjs, CJS, ESM, bare, …),
 * so a machine that speeds up or slows down moves them alike; each figure is the median over the
 * rounds of (command − bare node of the same round). The goal is ≤ 150 ms over bare node.
 *
 *   npm run bench:import                  (builds first; ROUNDS=30 by default)
 *   IMPORT_DIST=/path/to/dist npx tsx bench/startup/import.ts   (another build, e.g. before a change)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.IMPORT_DIST ?? join(ROOT, 'dist');
const ROUNDS = Number(process.env.ROUNDS ?? 30);
for (const f of ['index.cjs', 'index.js']) if (!existsSync(join(dist, f))) throw new Error(`${join(dist, f)} is missing: run npm run build first`);
// rxjs as the library resolves it (it is a peer dependency).
const rxjs = join(ROOT, 'node_modules/rxjs/dist/cjs/index.js');

const commands: Record<string, string[]> = {
  bare: ['-e', ''],
  "require('rxjs')": ['-e', `require(${JSON.stringify(rxjs)})`],
  'CJS require(root)': ['-e', `require(${JSON.stringify(join(dist, 'index.cjs'))})`],
  'ESM import(root)': ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)})`],
};

function once(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const names = Object.keys(commands);
const over: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const bare: number[] = [];
for (const args of Object.values(commands)) once(args); // warm the file cache
for (let round = 0; round < ROUNDS; round++) {
  const times = Object.fromEntries(names.map((n) => [n, once(commands[n] as string[])]));
  bare.push(times.bare as number);
  for (const n of names) over[n]?.push((times[n] as number) - (times.bare as number));
}

const rx = median(over["require('rxjs')"] ?? []);
console.log(`import cost of ${dist} over bare node (median of ${ROUNDS} paired rounds; bare node itself ${median(bare).toFixed(1)} ms)`);
console.log('| command | ms over bare node | × require(\'rxjs\') | goal |');
console.log('|---|---:|---:|---|');
for (const n of names.slice(1)) {
  const ms = median(over[n] ?? []);
  const goal = n.includes('root') ? '≤ 150 ms' : '';
  console.log(`| ${n} | ${ms.toFixed(1)} | ${(ms / rx).toFixed(2)} | ${goal} |`);
}
