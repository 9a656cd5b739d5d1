/**
 * What the input guard costs on the client's hot path: µs per call of the guard alone, and of a
 * client create on the memory backend, for a NetworkPolicy with 10 rules, measured in one run.
 * The guard's share of a create is the figure docs/model.md quotes.
 *
 *   npx tsx bench/client/input-guard.ts
 */
import { createClient } from '../../src/client.js';
import { documentShapeError, plainDataError } from '../../src/model/input-guard.js';
import type { NetworkPolicy, Rule } from '../../src/model/types.generated.js';

const N = Number(process.env.BENCH_N ?? 5000);

function rule(i: number): Rule {
  return {
    action: 'Allow',
    protocol: 'TCP',
    source: { selector: `app == "frontend-${i}"`, nets: ['10.0.0.0/8', '192.168.0.0/16'] },
    destination: { selector: 'role == "db"', ports: [5432, '8000:8100', 'metrics'] },
  };
}

function policy(i: number): NetworkPolicy {
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: `p-${i}`, namespace: 'bench', labels: { team: 'payments', env: 'prod' } },
    spec: {
      selector: 'app == "web"',
      types: ['Ingress', 'Egress'],
      ingress: Array.from({ length: 5 }, (_, r) => rule(r)),
      egress: Array.from({ length: 5 }, (_, r) => rule(r + 5)),
    },
  };
}

async function perCall(fn: (i: number) => unknown, from: number, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = from; i < from + n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Rounds alternate the three measurements, and each figure is the median of its rounds, so that
// a burst of load from other processes does not land on one of them only.
const ROUNDS = 7;
const per = Math.ceil(N / ROUNDS);
const docs = Array.from({ length: per * ROUNDS + 1000 }, (_, i) => policy(i));
const client = createClient({ datastoreType: 'memory' });
const guardOf = (i: number): unknown => plainDataError(docs[i]) ?? documentShapeError(docs[i]);
// Warm-up: every path compiled before it is timed.
await perCall(guardOf, per * ROUNDS, 1000);
await perCall((i) => structuredClone(docs[i]), per * ROUNDS, 1000);
await perCall((i) => client.networkPolicies.create(docs[i]!), per * ROUNDS, 1000);
const times = { guard: [] as number[], copy: [] as number[], create: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  times.guard.push(await perCall(guardOf, r * per, per));
  times.copy.push(await perCall((i) => structuredClone(docs[i]), r * per, per));
  times.create.push(await perCall((i) => client.networkPolicies.create(docs[i]!), r * per, per));
}
await client.close();
const guard = median(times.guard);
const copy = median(times.copy);
const create = median(times.create);

console.log(`input guard on a 10-rule NetworkPolicy, ${per * ROUNDS} calls in ${ROUNDS} rounds, median µs per call (lower is better)`);
console.log(`guard (plainDataError + documentShapeError)  ${guard.toFixed(2)}`);
console.log(`structuredClone of the same document          ${copy.toFixed(2)}`);
console.log(`client create on the memory backend           ${create.toFixed(2)}`);
console.log(`guard / create                                ${((guard / create) * 100).toFixed(1)} %`);
