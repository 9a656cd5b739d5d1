/**
 * calico-datastore in two minutes, on the in-memory datastore (no server needed):
 *   1. validate the manifests in examples/ and show the error paths of the broken ones;
 *   2. create an IPPool, two Nodes, WorkloadEndpoints and policies through the client;
 *   3. follow everything through a synced cache, printing each change as it arrives;
 *   4. for each endpoint, print the policies that select it, in evaluation order.
 *
 * Run it with `npm run demo`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { parseAllDocuments } from 'yaml';
import {
  applyDefaults,
  createClient,
  createPolicyView,
  explainFlow,
  isValidationError,
  keyString,
  policiesForEndpoint,
  syncedCache,
  validate,
  type CalicoResource,
  type GlobalNetworkPolicy,
  type NetworkPolicy,
  type WorkloadEndpoint,
} from '../src/index.js';

const v3 = 'projectcalico.org/v3' as const;

// 1. Validation: defaults first (as Calico does), then every rule, each error with its path.
console.log('== Validating examples/*.yaml');
const dir = new URL('.', import.meta.url).pathname;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).forEach((doc, i) => {
    const { errors } = validate(applyDefaults(doc.toJS()));
    const name = `${file}#${i + 1}`;
    console.log(errors.length === 0 ? `  ok       ${name}` : `  invalid  ${name}`);
    for (const e of errors) console.log(`             ${e.path}: ${e.message}`);
  });
}

// 2 + 3. A client on the in-memory datastore, and a cache that follows four kinds.
const client = createClient({ datastoreType: 'memory' });
const cache = syncedCache<CalicoResource>([
  client.ipPools.syncSource(),
  client.nodes.syncSource(),
  client.workloadEndpoints.syncSource(),
  client.networkPolicies.syncSource(),
  client.globalNetworkPolicies.syncSource(),
]);

console.log('\n== Changes seen by the synced cache');
const subscription = cache.events$.subscribe((item) => {
  if (item.type === 'status') console.log(`  status: ${item.status}`);
  if (item.type === 'updates') for (const u of item.updates) console.log(`  ${u.type.padEnd(7)} ${keyString(u.key)} @${u.revision}`);
});
await firstValueFrom(cache.inSync$.pipe(filter(Boolean)));

await client.ipPools.create({ apiVersion: v3, kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.244.0.0/16', vxlanMode: 'CrossSubnet' } });
for (const name of ['worker-1', 'worker-2']) {
  await client.nodes.create({ apiVersion: v3, kind: 'Node', metadata: { name }, spec: { bgp: { ipv4Address: `192.168.1.${name.at(-1)}/24` } } });
}
const endpoint = (node: string, pod: string, ip: string, labels: Record<string, string>): WorkloadEndpoint => ({
  apiVersion: v3,
  kind: 'WorkloadEndpoint',
  metadata: { namespace: 'shop', labels },
  spec: { orchestrator: 'k8s', node, pod, endpoint: 'eth0', interfaceName: `cali${pod.replace(/-/g, '')}`.slice(0, 15), ipNetworks: [`${ip}/32`] },
});
await client.workloadEndpoints.create(endpoint('worker-1', 'frontend-1', '10.244.1.10', { app: 'frontend' }));
await client.workloadEndpoints.create(endpoint('worker-2', 'cart-1', '10.244.2.20', { app: 'cart' }));
await client.networkPolicies.create({
  apiVersion: v3,
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-frontend', namespace: 'shop' },
  spec: { selector: 'app == "cart"', order: 100, ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "frontend"' }, destination: { ports: [8080] } }] },
});
await client.networkPolicies.create({
  apiVersion: v3,
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny', namespace: 'shop' },
  spec: { selector: 'all()', types: ['Ingress', 'Egress'] },
});
await client.globalNetworkPolicies.create({
  apiVersion: v3,
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'allow-dns' },
  spec: { selector: 'all()', order: 10, egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }] },
});

// A write that breaks the rules is refused, with every failing field named.
try {
  await client.ipPools.create({ apiVersion: v3, kind: 'IPPool', metadata: { name: 'pool-b' }, spec: { cidr: '10.244.7.1/24' } });
} catch (e) {
  if (!isValidationError(e)) throw e;
  console.log(`  refused: ${e.message}`);
}

// 4. Which policies select each endpoint, read from the cache's current state.
await new Promise((resolve) => setTimeout(resolve, 50)); // let the last watch events arrive
const objects = [...cache.current().values()].map((kv) => kv.value);
const policies = objects.filter((o): o is NetworkPolicy | GlobalNetworkPolicy => o.kind === 'NetworkPolicy' || o.kind === 'GlobalNetworkPolicy');
console.log('\n== Policies per endpoint, in evaluation order');
for (const wep of objects.filter((o): o is WorkloadEndpoint => o.kind === 'WorkloadEndpoint')) {
  const names = policiesForEndpoint(wep, policies).map((p) => (p.kind === 'NetworkPolicy' ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata.name));
  console.log(`  ${wep.metadata.name}: ${names.join(' → ')}`);
}

// 5. Would frontend-1 reach cart-1 on TCP 8080, and which tier, policy and rule decides?
const view = createPolicyView([...objects, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
const flow = { source: 'shop/frontend-1', destination: 'shop/cart-1', protocol: 'TCP', port: 8080 };
const verdict = explainFlow(view, flow);
console.log(`\n== explainFlow ${flow.source} → ${flow.destination} ${flow.protocol}/${flow.port}: ${verdict.verdict}`);
for (const chain of verdict.trace) {
  console.log(`  ${chain.endpoint} ${chain.direction}:`);
  for (const t of chain.tiers) {
    for (const p of t.policies) console.log(`    tier ${t.tier}  ${p.kind} ${p.name}  rule ${p.ruleIndex ?? '-'}  ${p.action === 'none' ? 'no match' : p.action}`);
    console.log(`    tier ${t.tier}  → ${t.outcome}`);
  }
  console.log(`    ⇒ ${chain.outcome}: ${chain.reason}`);
}
console.log(`  decided by: ${verdict.decidedBy}`);

subscription.unsubscribe();
await client.close();
