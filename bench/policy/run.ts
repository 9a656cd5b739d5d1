/**
 * Policy-verdict benchmark: builds a synthetic cluster (endpoints, namespaces, tiers, policies of
 * 10 rules), then measures view build time, single-flow verdicts per second, a 500 × 500 matrix
 * for one port and the view's heap. Runs three sizes to show growth.
 *
 * Run: npm run bench:policy   (node --expose-gc, so heap figures are after a full GC)
 */
import { createPolicyView, explainFlow, type AnyResource } from '../../src/policy/index.js';

interface Size {
  endpoints: number;
  policies: number;
}

const TIERS = 5;
const RULES = 10;
const NAMESPACES = 50;
const APPS = 20;

/** A small deterministic PRNG (mulberry32), so every run builds the same cluster. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cluster(size: Size): AnyResource[] {
  const rand = rng(42);
  const pick = (n: number): number => Math.floor(rand() * n);
  const out: AnyResource[] = [];
  for (let n = 0; n < NAMESPACES; n++) out.push({ kind: 'Namespace', metadata: { name: `ns${n}`, labels: { team: `t${n % 10}` } } });
  for (let t = 0; t < TIERS; t++) out.push({ kind: 'Tier', metadata: { name: `tier${t}` }, spec: { order: t * 10, defaultAction: t % 2 === 0 ? 'Pass' : 'Deny' } });
  for (let i = 0; i < size.endpoints; i++) {
    out.push({
      kind: 'WorkloadEndpoint',
      metadata: { name: `node-k8s-p${i}-eth0`, namespace: `ns${i % NAMESPACES}`, labels: { app: `app${pick(APPS)}`, role: pick(2) === 0 ? 'frontend' : 'backend' } },
      spec: { orchestrator: 'k8s', node: 'node', pod: `p${i}`, endpoint: 'eth0', interfaceName: `cali${i}`, ipNetworks: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`], ports: [{ name: 'http', protocol: 'TCP', port: 8080 }] },
    });
  }
  for (let p = 0; p < size.policies; p++) {
    const rules = Array.from({ length: RULES }, (_, r) => {
      const kind = r % 4;
      const action = r === RULES - 1 ? 'Pass' : pick(3) === 0 ? 'Deny' : 'Allow';
      if (kind === 0) return { action, protocol: 'TCP', source: { selector: `app == "app${pick(APPS)}"` }, destination: { ports: [5432 + pick(5)] } };
      if (kind === 1) return { action, protocol: 'TCP', source: { namespaceSelector: `team == "t${pick(10)}"` }, destination: { ports: ['http'] } };
      if (kind === 2) return { action, source: { nets: [`10.0.${pick(20)}.0/24`] } };
      return { action, protocol: 'UDP', destination: { ports: [`${1000 + pick(100)}:${1200 + pick(100)}`] } };
    });
    const global = p % 5 === 0;
    out.push({
      kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
      metadata: { name: `pol${p}`, ...(global ? {} : { namespace: `ns${p % NAMESPACES}` }) },
      // Namespaced policies select one app in their namespace; one global policy in ten selects a
      // role (half the endpoints), the others one app in every namespace: ~20 policies apply to
      // each endpoint at every size.
      spec: { tier: `tier${p % TIERS}`, order: pick(4) === 0 ? undefined : pick(1000), selector: global && p % 50 === 0 ? `role == "${pick(2) === 0 ? 'frontend' : 'backend'}"` : `app == "app${pick(APPS)}"`, types: ['Ingress', 'Egress'], ingress: rules, egress: rules },
    });
  }
  return out;
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function measure(size: Size): Record<string, number> {
  const resources = cluster(size);
  const before = heapMB();
  let t = performance.now();
  const view = createPolicyView(resources);
  const endpoints = view.endpoints();
  for (const e of endpoints) view.policiesFor(e);
  const buildMs = performance.now() - t;
  const refs = endpoints.map((e) => e.key);
  const rand = rng(7);
  const flows = Array.from({ length: 100_000 }, () => ({ source: refs[Math.floor(rand() * refs.length)] as string, destination: refs[Math.floor(rand() * refs.length)] as string, protocol: 'TCP', port: 5432 }));
  for (let i = 0; i < 20_000; i++) explainFlow(view, flows[i] as (typeof flows)[number]);
  t = performance.now();
  let allowed = 0;
  for (const f of flows) if (explainFlow(view, f).verdict === 'allow') allowed++;
  const verdictsPerSec = flows.length / ((performance.now() - t) / 1000);
  const m = refs.slice(0, Math.min(500, refs.length));
  t = performance.now();
  for (const s of m) for (const d of m) explainFlow(view, { source: s, destination: d, protocol: 'TCP', port: 8080 });
  const matrixMs = performance.now() - t;
  const viewMB = heapMB() - before;
  return { endpoints: size.endpoints, policies: size.policies, buildMs: Math.round(buildMs), verdictsPerSec: Math.round(verdictsPerSec), matrixMs: Math.round(matrixMs), matrixCells: m.length * m.length, viewMB: Math.round(viewMB), allowedShare: Math.round((allowed / flows.length) * 100), selectors: view.selectorCount };
}

const sizes: Size[] = [
  { endpoints: 1_000, policies: 200 },
  { endpoints: 5_000, policies: 1_000 },
  { endpoints: 20_000, policies: 4_000 },
];
const only = process.argv[2];
for (const s of only ? sizes.filter((x) => String(x.endpoints) === only) : sizes) console.log(JSON.stringify(measure(s)));
