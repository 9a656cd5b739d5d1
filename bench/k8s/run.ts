/**
 * Kubernetes backend benchmark, against the fake API server in a child process:
 *
 * 1. List: `backend.list({ kind: 'WorkloadEndpoint' })` (pages of 500, every Pod converted to a
 *    WorkloadEndpoint) versus a raw client-node list of the same Pods
 *    (`CoreV1Api.listPodForAllNamespaces`, pages of 500, typed `V1Pod` objects). Rounds
 *    alternate which goes first; medians are compared. Target: ours ≤ 1.2 × raw.
 * 2. Watch throughput: the time to receive `events` recorded Pod modifications (replayed by the
 *    server from a revision before them) through `backend.watch({ kind: 'WorkloadEndpoint' })`,
 *    converted, versus client-node's `Watch` on `/api/v1/pods`.
 *
 * Usage: `tsx bench/k8s/run.ts [pods=10000] [rounds=5] [events=20000]` (prints a table, then one
 * JSON line with every figure).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { createKubernetesBackend } from '../../src/backends/k8s/index.js';

const [pods = 10_000, rounds = 5, events = 20_000] = process.argv.slice(2).map(Number);

const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url)), String(pods)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
async function nextLine<T>(): Promise<T> {
  const { value, done } = await lines.next();
  if (done) throw new Error('the benchmark server exited');
  return JSON.parse(String(value)) as T;
}
const { url } = await nextLine<{ url: string }>();

const kc = new KubeConfig();
kc.loadFromClusterAndUser({ name: 'bench', server: url, skipTLSVerify: true }, { name: 'u' });
const core = kc.makeApiClient(CoreV1Api);
const backend = await createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: url }, { pageSize: 500, onWarning: () => undefined });

async function rawList(): Promise<number> {
  let n = 0;
  let cont: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const list = await core.listPodForAllNamespaces({ limit: 500, ...(cont ? { _continue: cont } : {}) });
    n += list.items.length;
    cont = list.metadata?._continue;
    if (!cont) break;
  }
  return n;
}
const ourList = async (): Promise<number> => (await backend.list({ kind: 'WorkloadEndpoint' })).items.length;

async function timed(run: () => Promise<number>): Promise<{ ms: number; items: number }> {
  const t0 = performance.now();
  const items = await run();
  return { ms: performance.now() - t0, items };
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

// Warm up both paths (module loading, JIT, connection setup).
await rawList();
await ourList();
const rawMs: number[] = [];
const ourMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const);
  for (const which of order) {
    const res = await timed(which === 'raw' ? rawList : ourList);
    if (res.items !== pods) throw new Error(`${which} listed ${res.items} of ${pods}`);
    (which === 'raw' ? rawMs : ourMs).push(res.ms);
  }
}

/** Waits (bounded) until `received()` reaches the number of events. */
async function until(received: () => number): Promise<void> {
  for (let i = 0; i < 60_000 && received() < events; i++) await new Promise((r) => setTimeout(r, 2));
  if (received() < events) throw new Error(`only ${received()} of ${events} events arrived`);
}

// The server records `events` modifications once; each watcher then replays them from the
// revision before them, so the figures measure the client side, not the fake server's writes.
const startRv = (await core.listPodForAllNamespaces({ limit: 1 })).metadata?.resourceVersion ?? '';
child.stdin.write(`churn ${events}\n`);
await nextLine<{ churned: number }>();

async function rawWatch(): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  const ctl = await new Watch(kc).watch('/api/v1/pods', { resourceVersion: startRv, allowWatchBookmarks: true }, (type) => {
    if (type === 'MODIFIED') n++;
  }, () => undefined);
  await until(() => n);
  const ms = performance.now() - t0;
  ctl.abort();
  return ms;
}

async function ourWatch(): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  const sub = backend.watch({ kind: 'WorkloadEndpoint', revision: startRv }).subscribe((e) => {
    if (e.type === 'MODIFIED') n++;
  });
  await until(() => n);
  const ms = performance.now() - t0;
  sub.unsubscribe();
  return ms;
}

const rawWatchMs: number[] = [];
const ourWatchMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    rawWatchMs.push(await rawWatch());
    ourWatchMs.push(await ourWatch());
  } else {
    ourWatchMs.push(await ourWatch());
    rawWatchMs.push(await rawWatch());
  }
}

const result = {
  pods,
  rounds,
  list: { rawMedianMs: Math.round(median(rawMs)), oursMedianMs: Math.round(median(ourMs)), ratio: Number((median(ourMs) / median(rawMs)).toFixed(3)), rawMs: rawMs.map(Math.round), oursMs: ourMs.map(Math.round) },
  watch: {
    events,
    rawMedianMs: Math.round(median(rawWatchMs)),
    oursMedianMs: Math.round(median(ourWatchMs)),
    rawEventsPerSecond: Math.round(events / (median(rawWatchMs) / 1000)),
    oursEventsPerSecond: Math.round(events / (median(ourWatchMs) / 1000)),
    ratio: Number((median(ourWatchMs) / median(rawWatchMs)).toFixed(3)),
  },
};
console.log(`list ${pods} Pods (median of ${rounds}): raw client-node ${result.list.rawMedianMs} ms, backend → WorkloadEndpoints ${result.list.oursMedianMs} ms, ratio ${result.list.ratio} (target ≤ 1.2)`);
console.log(`watch ${events} Pod changes (median of ${rounds}): raw ${result.watch.rawMedianMs} ms (${result.watch.rawEventsPerSecond}/s), backend ${result.watch.oursMedianMs} ms (${result.watch.oursEventsPerSecond}/s), ratio ${result.watch.ratio}`);
console.log(JSON.stringify(result));
await backend.close();
child.stdin.write('quit\n');
