/**
 * Client overhead on the memory backend: µs per operation for the client, the memory backend
 * called directly, and a plain Map doing the same bookkeeping, in one run on this machine.
 *
 *   npx tsx bench/client/memory-overhead.ts
 */
import { firstValueFrom, take, toArray } from 'rxjs';
import { createClient } from '../../src/client.js';
import type { NetworkPolicy } from '../../src/model/types.generated.js';
import { createMemoryBackend } from '../../src/testing.js';

const N = Number(process.env.BENCH_N ?? 5000);

function policy(i: number): NetworkPolicy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: `p-${i}`, namespace: 'bench' },
    spec: {
      selector: 'app == "web"',
      ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "frontend"' }, destination: { ports: [8080] } }],
    },
  };
}

async function time(fn: () => Promise<unknown> | unknown, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

async function main(): Promise<void> {
  const rows: [string, number, number, number][] = [];

  // Plain Map: deep-copied values in and out, a revision counter — the least any store does.
  const map = new Map<string, NetworkPolicy>();
  let rev = 0;
  let i = 0;
  const mapCreate = await time(() => {
    const p = policy(i++);
    map.set(`bench/${p.metadata.name}`, structuredClone({ ...p, metadata: { ...p.metadata, resourceVersion: String(++rev) } }));
  }, N);
  i = 0;
  const mapGet = await time(() => structuredClone(map.get(`bench/p-${i++ % N}`)), N);
  const mapList = await time(() => [...map.values()].map((v) => structuredClone(v)), 20);

  const backend = createMemoryBackend();
  i = 0;
  const beCreate = await time(() => {
    const p = policy(i++);
    return backend.create({ key: { kind: 'NetworkPolicy', namespace: 'bench', name: p.metadata.name as string }, value: p });
  }, N);
  i = 0;
  const beGet = await time(() => backend.get({ kind: 'NetworkPolicy', namespace: 'bench', name: `p-${i++ % N}` }), N);
  const beList = await time(() => backend.list({ kind: 'NetworkPolicy', namespace: 'bench' }), 20);

  const client = createClient({ datastoreType: 'memory' });
  i = 0;
  const clCreate = await time(() => client.networkPolicies.create(policy(i++)), N);
  i = 0;
  const clGet = await time(() => client.networkPolicies.get({ namespace: 'bench', name: `p-${i++ % N}` }), N);
  const clList = await time(() => client.networkPolicies.list({ namespace: 'bench' }), 20);

  // Watch: events per second delivered to a subscriber while the same writes happen.
  const watchN = Math.min(N, 2000);
  const startRev = (await client.networkPolicies.list({ namespace: 'bench', limit: 1 })).resourceVersion;
  const received = firstValueFrom(client.networkPolicies.watch({ namespace: 'bench', resourceVersion: startRev }).pipe(take(watchN), toArray()));
  const ws = process.hrtime.bigint();
  for (let k = 0; k < watchN; k++) {
    const current = await client.networkPolicies.get({ namespace: 'bench', name: `p-${k}` });
    await client.networkPolicies.update({ ...current, spec: { ...current.spec, order: k } });
  }
  await received;
  const clWatch = Number(process.hrtime.bigint() - ws) / 1000 / watchN;
  await client.close();

  rows.push(['create', mapCreate, beCreate, clCreate]);
  rows.push(['get', mapGet, beGet, clGet]);
  rows.push([`list (${N} items)`, mapList, beList, clList]);
  rows.push(['get + update, watched', NaN, NaN, clWatch]);

  console.log(`client on the memory backend, ${N} NetworkPolicies, µs per operation (lower is better)`);
  console.log('operation'.padEnd(24) + 'Map'.padStart(12) + 'backend'.padStart(12) + 'client'.padStart(12) + 'client − backend'.padStart(18) + 'client / Map'.padStart(14));
  for (const [name, m, b, c] of rows) {
    const f = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(1)).padStart(12);
    console.log(name.padEnd(24) + f(m) + f(b) + f(c) + (Number.isNaN(b) ? '—' : (c - b).toFixed(1)).padStart(18) + (Number.isNaN(m) ? '—' : `${(c / m).toFixed(1)}×`).padStart(14));
  }
}

await main();
