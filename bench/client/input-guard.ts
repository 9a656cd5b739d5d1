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

async function perCall(fn: (i: number) => unknown, n: number): Promise<number> {
  for (let i = 0; i < Math.min(n, 1000); i++) await fn(i + n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

const docs = Array.from({ length: N * 2 }, (_, i) => policy(i));
const guard = await perCall((i) => plainDataError(docs[i]) ?? documentShapeError(docs[i]), N);
const copy = await perCall((i) => structuredClone(docs[i]), N);
const client = createClient({ datastoreType: 'memory' });
const create = await perCall((i) => client.networkPolicies.create(docs[i]!), N);
await client.close();

console.log(`input guard on a 10-rule NetworkPolicy, ${N} calls, µs per call (lower is better)`);
console.log(`guard (plainDataError + documentShapeError)  ${guard.toFixed(2)}`);
console.log(`structuredClone of the same document          ${copy.toFixed(2)}`);
console.log(`client create on the memory backend           ${create.toFixed(2)}`);
console.log(`guard / create                                ${((guard / create) * 100).toFixed(1)} %`);
