/**
 * etcd backend benchmark: ratios against raw etcd3 on the same throwaway etcd, in one run.
 *
 * Three sides take part throughout: raw etcd3 (`raw`), the backend (`ours`), and a second raw
 * etcd3 client (`control`). The control's ratio to raw is the A/A noise floor of this machine: a
 * row is only as trustworthy as its control is close to 1.
 *
 * - create (txn `version == 0` → put, else get), get, update (txn `mod_revision == rev` → put,
 *   else get): the transactions of backends spec §2.5 on every side; ops/s, sequential and with 16
 *   in flight; target ≥ 0.95× raw.
 *   - Every gRPC connection settles into a speed of its own that lasts while it lives (the same
 *     raw client, made three times, runs 110 or 140 or 210 µs of client CPU per operation with 16
 *     in flight, and sequential chunks scatter ±30%), so a run with one connection per side is a
 *     coin toss. Instead, each of TRIALS trials makes fresh clients for all sides (in rotating
 *     order), warms them up, and runs short chunks in rotating side order.
 *   - A row's ratio is pooled: all of a side's operations over all of its time. The 95% interval
 *     comes from resampling trials (bootstrap).
 *   - `cpu.ts` splits the client CPU of the same work by whose code ran: what the backend's own
 *     layer costs over raw etcd3's, without the connection noise of these throughput rows.
 * - watch: 20,000 events written in transactions of 100 puts. Replay: every round, fresh clients
 *   each replay them from the start revision (client-bound). Live: the three follow 20,000 new
 *   events while a fourth client writes them. Target ≥ 0.95× raw events/s.
 * - list of 20,000 objects (~600 B each) in pages, each run in its own process: time and peak
 *   RSS; target ≤ 1.2× raw.
 *
 * The raw clients get the options they need to finish (a 64 MiB receive limit) and their own
 * connection, and otherwise etcd3's defaults; the backend runs with its own settings (per-call
 * deadline, 256 KiB HTTP/2 window, channelz off), which is what its users get.
 *
 * Run with `npx tsx bench/etcd/run.ts` (or `npm run bench:etcd`; about 10 minutes). Needs
 * `/usr/bin/etcd` (Debian package etcd-server). `BENCH_TRIALS`, `BENCH_REPLAY_ROUNDS`,
 * `BENCH_LIVE_ROUNDS` and `BENCH_SKIP_LIST=1` shorten it (with wider intervals).
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Etcd3, IWatchResponse } from 'etcd3';
import type { Backend } from '../../src/backends/backend.js';
import { createEtcdBackend } from './built-backend.js';
import { startEtcd, type EtcdHandle } from '../../test/support/etcd-process.js';
import { median, pool, PREFIX, timed } from './fixtures.js';
import { OPERATIONS, ourOpSide, rawClient, rawOpSide, rotated, SIDES, type Operation, type OpSide, type Side } from './op-sides.js';

const run = promisify(execFile);
/**
 * Fresh-client trials of the single operations, and sequential chunks per trial (of 100
 * operations; with 16 in flight one chunk of 400). A connection's speed is drawn once per trial, so
 * precision needs many short trials rather than a few long ones. With 120 trials a row's 95%
 * interval was about ±5% with 16 in flight, as wide as the whole margin of the target; 360 trials
 * of one sequential chunk take twice as long and narrow it to about ±3%.
 */
const TRIALS = Number(process.env.BENCH_TRIALS ?? 360);
const SEQUENTIAL_CHUNKS = Number(process.env.BENCH_SEQUENTIAL_CHUNKS ?? 1);
/** Measured watch rounds (after one warm-up round): replay (per-connection, noisy) and live. */
const REPLAY_ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 30);
const LIVE_ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const LIST_ITEMS = 20_000;
const PAGE_SIZE = 500;

interface Row {
  name: string;
  raw: number;
  ours: number;
  unit: string;
  ratio: number;
  target: string;
  ok: boolean;
  /** 95% bootstrap interval of the ratio, resampling trials. */
  interval?: string;
  /** Ratio of the A/A control (a second raw client against raw): the noise floor. */
  control?: number;
  /** 95% bootstrap interval of the control's ratio. */
  controlInterval?: string;
  /** Per-trial operations and milliseconds of each side (in the JSON line, for analysis). */
  trials?: { ops: number[]; ms: Record<string, number[]> };
}
const rows: Row[] = [];
const progress = (text: string): void => {
  process.stderr.write(`[bench:etcd] ${text}\n`);
};

function record(name: string, raw: number, ours: number, unit: string, higherIsBetter: boolean, bound: number): void {
  recordRatio(name, raw, ours, unit, ours / raw, higherIsBetter, bound);
}

/** Records a row whose ratio is computed by the caller (a median of per-trial ratios). */
function recordRatio(name: string, raw: number, ours: number, unit: string, ratio: number, higherIsBetter: boolean, bound: number, extra: Pick<Row, 'interval' | 'control' | 'controlInterval' | 'trials'> = {}): void {
  progress(`${name}: raw ${raw.toFixed(1)} ours ${ours.toFixed(1)} ${unit}, ratio ${ratio.toFixed(3)}${extra.interval ? ` (95% interval ${extra.interval}; A/A control ${extra.control?.toFixed(3)}, ${extra.controlInterval})` : ''}`);
  const ok = higherIsBetter ? ratio >= bound : ratio <= bound;
  rows.push({ name, raw, ours, unit, ratio, target: `${higherIsBetter ? '≥' : '≤'} ${bound}×`, ok, ...extra });
}

/** One trial's measurement of one side: ms and client CPU µs summed over its chunks. */
interface Sums {
  ms: number;
  cpuUs: number;
}

/**
 * The 95% bootstrap interval of a statistic over trials: the statistic of 2,000 resamples (trials
 * drawn with replacement, from a fixed seed so a run is reproducible from its trials), 2.5th and
 * 97.5th percentiles.
 */
function bootstrapInterval(trials: number[], statistic: (picked: number[]) => number): string {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values: number[] = [];
  for (let b = 0; b < 2000; b++) values.push(statistic(trials.map(() => trials[Math.floor(random() * trials.length)] as number)));
  values.sort((a, b) => a - b);
  return `${(values[49] as number).toFixed(2)}-${(values[1949] as number).toFixed(2)}`;
}

/** Keeps the per-trial results of one row and records it: ratios of pooled rates, with intervals. */
class TrialRow {
  private readonly ms: Record<Side, number[]> = { raw: [], ours: [], control: [] };
  private readonly cpu: Record<Side, number[]> = { raw: [], ours: [], control: [] };
  private readonly ops: number[] = [];
  constructor(readonly name: string) {}
  add(ops: number, sums: Record<Side, Sums>): void {
    this.ops.push(ops);
    for (const side of SIDES) {
      this.ms[side].push(sums[side].ms);
      this.cpu[side].push(sums[side].cpuUs / ops);
    }
  }
  record(unit: string, showCpu = true): void {
    const trials = this.ops.map((_, t) => t);
    /** ops/s of `side` pooled over the given trials: all their operations over all their time. */
    const pooled = (side: Side, picked: number[]) => {
      let ops = 0;
      let ms = 0;
      for (const t of picked) {
        ops += this.ops[t] as number;
        ms += this.ms[side][t] as number;
      }
      return (ops / ms) * 1000;
    };
    const ratio = (side: Side, picked: number[]) => pooled(side, picked) / pooled('raw', picked);
    recordRatio(this.name, pooled('raw', trials), pooled('ours', trials), unit, ratio('ours', trials), true, 0.95, {
      interval: bootstrapInterval(trials, (picked) => ratio('ours', picked)),
      control: ratio('control', trials),
      controlInterval: bootstrapInterval(trials, (picked) => ratio('control', picked)),
      trials: { ops: this.ops, ms: this.ms },
    });
    if (showCpu) progress(`${this.name}: client CPU µs per operation (median of trials) raw ${median(this.cpu.raw).toFixed(1)}, ours ${median(this.cpu.ours).toFixed(1)}, control ${median(this.cpu.control).toFixed(1)}`);
  }
}

/**
 * Single operations. Each trial opens fresh clients for all three sides (every gRPC connection
 * settles into its own speed, so one connection per side for the whole run would make the run a
 * coin toss), warms them up, then runs chunks with the sides in rotating order, so load from other
 * processes hits all sides alike. A row's ratio is pooled over trials (see {@link TrialRow}).
 */
async function singleOps(etcd: EtcdHandle): Promise<void> {
  const rows = new Map<string, TrialRow>();
  const rowOf = (op: Operation, concurrency: number) => {
    const name = `${op} (${concurrency === 1 ? 'sequential' : `${concurrency} in flight`})`;
    let row = rows.get(name);
    if (!row) rows.set(name, (row = new TrialRow(name)));
    return row;
  };
  for (let trial = 0; trial < TRIALS; trial++) {
    // Clients are created in rotating order too (the order of connections can matter).
    const sides = {} as Record<Side, OpSide>;
    for (const side of rotated(trial)) {
      sides[side] = side === 'ours' ? ourOpSide(await createEtcdBackend({ endpoints: etcd.endpoints })) : rawOpSide(rawClient(etcd.endpoints), `${side}${trial}`);
    }
    // Warm-up: connections and JIT, every measured operation, every side.
    for (const side of SIDES) for (const op of OPERATIONS) await sides[side].run(op, `t${trial}warm`, 50, 8);
    for (const concurrency of [1, 16]) {
      const sums = Object.fromEntries(OPERATIONS.map((op) => [op, Object.fromEntries(SIDES.map((s) => [s, { ms: 0, cpuUs: 0 }]))])) as Record<Operation, Record<Side, Sums>>;
      // About 50-100 ms per chunk: with 16 in flight, a short chunk is mostly ramp-up and drain.
      const CHUNK = concurrency === 1 ? 100 : 400;
      const chunks = concurrency === 1 ? SEQUENTIAL_CHUNKS : 1;
      for (let chunk = 0; chunk < chunks; chunk++) {
        const tag = `t${trial}c${concurrency}k${chunk}`;
        for (const op of OPERATIONS) {
          for (const side of rotated(chunk + trial)) {
            const before = process.cpuUsage();
            sums[op][side].ms += await sides[side].run(op, tag, CHUNK, concurrency);
            const used = process.cpuUsage(before);
            sums[op][side].cpuUs += used.user + used.system;
          }
        }
      }
      for (const op of OPERATIONS) rowOf(op, concurrency).add(chunks * CHUNK, sums[op]);
    }
    for (const side of SIDES) await sides[side].close();
    if ((trial + 1) % 10 === 0 || trial + 1 === TRIALS) progress(`single operations: trial ${trial + 1}/${TRIALS} done`);
  }
  for (const row of rows.values()) row.record('ops/s');
}

async function writeBatches(raw: Etcd3, keyOf: (i: number) => string, count: number, batch = 100, inFlight = 4): Promise<{ first: bigint; last: bigint }> {
  const head = await raw.get('/bench/none').exec();
  const first = BigInt(head.header.revision);
  let last = first;
  await timed(Math.ceil(count / batch), inFlight, async (b) => {
    const ops = [];
    for (let i = b * batch; i < Math.min(count, (b + 1) * batch); i++) ops.push(raw.put(keyOf(i)).value(JSON.stringify(pool(keyOf(i), i))));
    const r = await raw.if('/bench/none', 'Version', '==', 0).then(...ops).commit();
    const rev = BigInt(r.header.revision);
    if (rev > last) last = rev;
  });
  return { first, last };
}

function rawWatch(raw: Etcd3, prefix: string, from: bigint, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const started = performance.now();
    raw
      .watch()
      .prefix(prefix)
      .startRevision((from + 1n).toString())
      .withPreviousKV()
      .create()
      .then((w) => {
        w.on('error', reject);
        w.on('data', (res: IWatchResponse) => {
          for (const ev of res.events) {
            JSON.parse(ev.kv.value.toString());
            seen++;
          }
          if (seen >= expected) {
            const ms = performance.now() - started;
            void w.cancel().then(() => resolve(ms));
          }
        });
      }, reject);
  });
}

function ourWatch(backend: Backend, name: string, from: bigint, expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const started = performance.now();
    const sub = backend.watch({ kind: 'IPPool', name, namePrefix: true, revision: from.toString() }).subscribe({
      next: (e) => {
        if (e.type === 'ERROR') reject(e.error);
        else if (++seen >= expected) {
          sub.unsubscribe();
          resolve(performance.now() - started);
        }
      },
      error: reject,
    });
  });
}

/** Fresh clients for the three watching sides of one round. */
async function watchSides(endpoints: string[], round: number): Promise<{ follow(side: Side, watchName: string, from: bigint): Promise<number>; close(): Promise<void> }> {
  // Created in rotating order, as in singleOps.
  let raw: Etcd3 | undefined;
  let control: Etcd3 | undefined;
  let backend: Backend | undefined;
  for (const side of rotated(round)) {
    if (side === 'raw') raw = rawClient(endpoints);
    else if (side === 'control') control = rawClient(endpoints);
    else backend = await createEtcdBackend({ endpoints });
  }
  if (!raw || !control || !backend) throw new Error('a watch side was not created');
  return {
    follow: (side, watchName, from) =>
      side === 'ours' ? ourWatch(backend, watchName, from, EVENTS) : rawWatch(side === 'raw' ? raw : control, `${PREFIX}ippools/${watchName}`, from, EVENTS),
    close: async () => {
      await backend.close();
      raw.close();
      control.close();
    },
  };
}

/**
 * Watch. Replay: 20,000 events are written once, 100 per transaction; every round opens fresh
 * clients for the three sides and each replays them from the start revision (client-bound), in
 * rotating order. Live: every round the three follow a new 20,000 events while they are written
 * by a fourth client. Round 0 of each warms up and is not counted; a row's ratio is the median
 * over rounds of ours/raw.
 */
async function watchBench(etcd: EtcdHandle): Promise<void> {
  const writer = rawClient(etcd.endpoints);
  const name = 'w-';
  const { first } = await writeBatches(writer, (i) => `${PREFIX}ippools/${name}${i}`, EVENTS);
  const replay = new TrialRow('watch replay of 20,000 events');
  for (let round = 0; round <= REPLAY_ROUNDS; round++) {
    const sides = await watchSides(etcd.endpoints, round);
    const replayed = { raw: { ms: 0, cpuUs: 0 }, ours: { ms: 0, cpuUs: 0 }, control: { ms: 0, cpuUs: 0 } };
    for (const side of rotated(round)) {
      const before = process.cpuUsage();
      replayed[side].ms = await sides.follow(side, name, first);
      const used = process.cpuUsage(before);
      replayed[side].cpuUs = used.user + used.system;
    }
    if (round > 0) replay.add(EVENTS, replayed);
    await sides.close();
  }
  progress(`watch replay: ${REPLAY_ROUNDS} rounds done`);
  const live = new TrialRow('watch live, batched writes');
  for (let round = 0; round <= LIVE_ROUNDS; round++) {
    const sides = await watchSides(etcd.endpoints, round);
    // All three follow the same writes as they happen (their client CPU is shared, so not kept).
    const liveName = `l${round}-`;
    const head = BigInt((await writer.get('/bench/none').exec()).header.revision);
    const following = SIDES.map((side) => sides.follow(side, liveName, head));
    await new Promise((r) => setTimeout(r, 200));
    await writeBatches(writer, (i) => `${PREFIX}ippools/${liveName}${i}`, EVENTS);
    const [rawMs, ourMs, controlMs] = (await Promise.all(following)) as [number, number, number];
    if (round > 0) live.add(EVENTS, { raw: { ms: rawMs, cpuUs: 0 }, ours: { ms: ourMs, cpuUs: 0 }, control: { ms: controlMs, cpuUs: 0 } });
    await sides.close();
  }
  progress(`watch live: ${LIVE_ROUNDS} rounds done`);
  replay.record('events/s');
  live.record('events/s', false);
  writer.close();
}

interface ListResult {
  mode: string;
  items: number;
  ms: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

async function listBench(): Promise<void> {
  const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 2 ** 30)] });
  try {
    const raw = rawClient(etcd.endpoints);
    await writeBatches(raw, (i) => `${PREFIX}ippools/list-${String(i).padStart(6, '0')}`, LIST_ITEMS);
    raw.close();
    const child = fileURLToPath(new URL('./list-child.ts', import.meta.url));
    const results: ListResult[] = [];
    for (let round = 0; round < 3; round++) {
      for (const mode of round % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw']) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', child, mode, etcd.endpoints[0] as string, String(PAGE_SIZE)], { maxBuffer: 1 << 20 });
        const r = JSON.parse(stdout.trim().split('\n').pop() as string) as ListResult;
        if (r.items !== LIST_ITEMS) throw new Error(`${mode} listed ${r.items} items, expected ${LIST_ITEMS}`);
        results.push(r);
      }
    }
    const pick = (mode: string, f: (r: ListResult) => number) => median(results.filter((r) => r.mode === mode).map(f));
    record(`list 20,000 objects, pages of ${PAGE_SIZE}: time`, pick('raw', (r) => r.ms), pick('ours', (r) => r.ms), 'ms', false, 1.2);
    record('list: peak RSS of the process', pick('raw', (r) => r.peakRssMb), pick('ours', (r) => r.peakRssMb), 'MB', false, 1.2);
    record('list: RSS growth during the list', pick('raw', (r) => r.peakRssMb - r.rssBeforeMb), pick('ours', (r) => r.peakRssMb - r.rssBeforeMb), 'MB', false, 1.2);
  } finally {
    await etcd.stop();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_LIST !== '1') await listBench();
  if (process.env.BENCH_ONLY_LIST === '1') return printTable();
  const etcd = await startEtcd({ extraArgs: ['--quota-backend-bytes', String(4 * 2 ** 30)] });
  try {
    await singleOps(etcd);
    await watchBench(etcd);
  } finally {
    await etcd.stop();
  }
  printTable();
}

/** Prints the table of every recorded row, then the rows as one JSON line. */
function printTable(): void {
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  console.log('\netcd backend vs raw etcd3 (same etcd, same run)\n');
  console.log(['benchmark', 'raw', 'ours', 'unit', 'ratio ours/raw', '95% interval', 'A/A control (95% interval)', 'target', ''].join(' | '));
  for (const r of rows) {
    const control = r.control === undefined ? '' : `${r.control.toFixed(3)} (${r.controlInterval})`;
    console.log([r.name, fmt(r.raw), fmt(r.ours), r.unit, r.ratio.toFixed(3), r.interval ?? '', control, r.target, r.ok ? 'ok' : 'MISSED'].join(' | '));
  }
  console.log(`\n${JSON.stringify({ node: process.version, rows })}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
