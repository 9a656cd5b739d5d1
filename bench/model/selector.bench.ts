/**
 * Selector throughput. Run with `npx vitest bench --run bench/model/selector.bench.ts`.
 *
 * Each benchmark iteration does a batch of work so the harness's per-iteration timing overhead
 * does not dominate: multiply the reported hz by the batch size in the benchmark's name
 * (matches: 1000 evaluations per iteration; parses: one parse of each of the 10 selectors).
 * Targets: ≥ 5 million matches/s for the three-term selector, ≥ 200,000 uncached parses/s.
 */
import { bench, describe } from 'vitest';
import { parseSelector, parseSelectorUncached } from '../../src/model/selector/index.js';

const THREE_TERMS = 'app == "web" && tier in {"a","b"} && !has(debug)';
const selector = parseSelector(THREE_TERMS);

const APPS = ['web', 'web', 'api', 'db'];
const TIERS = ['a', 'b', 'c', undefined];
/** 1000 label maps of realistic size, about a quarter of them matching. */
const records: Record<string, string>[] = Array.from({ length: 1000 }, (_, i) => {
  const labels: Record<string, string> = {
    app: APPS[i % APPS.length] as string,
    'projectcalico.org/namespace': `ns-${i % 7}`,
    'projectcalico.org/orchestrator': 'k8s',
    'pod-template-hash': `h${i}`,
  };
  const tier = TIERS[(i >> 2) % TIERS.length];
  if (tier !== undefined) labels.tier = tier;
  if (i % 5 === 0) labels.debug = 'true';
  return labels;
});
const maps = records.map((r) => new Map(Object.entries(r)));
const lookups = records.map((r) => (k: string): string | undefined => (Object.hasOwn(r, k) ? r[k] : undefined));

let sink = 0;

describe('selector matching (×1000 per iteration)', () => {
  bench('matches(record) ×1000', () => {
    let n = 0;
    for (const labels of records) if (selector.matches(labels)) n++;
    sink += n;
  });
  bench('matches(Map) ×1000', () => {
    let n = 0;
    for (const labels of maps) if (selector.matches(labels)) n++;
    sink += n;
  });
  bench('matchesLookup(fn) ×1000', () => {
    let n = 0;
    for (const get of lookups) if (selector.matchesLookup(get)) n++;
    sink += n;
  });
});

/** Ten selectors of the kinds found in real policies and pools. */
const REALISTIC = [
  THREE_TERMS,
  'all()',
  'has(projectcalico.org/namespace)',
  'k8s-app == "kube-dns"',
  'role in {"frontend", "backend", "cache"} && env != "dev"',
  'projectcalico.org/name == "prod" || projectcalico.org/name starts with "prod-"',
  '!(has(node-role.kubernetes.io/control-plane) || zone not in {"us-east-1a", "us-east-1b"})',
  'app.kubernetes.io/part-of == "shop" && app.kubernetes.io/component in {"api", "worker"} && !has(canary)',
  "team == 'payments' && (tier == \"db\" || tier == \"cache\")",
  'environment ends with "-staging" && owner contains "platform"',
];

describe('selector parsing (10 selectors per iteration)', () => {
  bench('parseSelectorUncached ×10', () => {
    for (const s of REALISTIC) sink += parseSelectorUncached(s).source.length;
  });
  bench('parseSelectorUncached + toString ×10', () => {
    for (const s of REALISTIC) sink += parseSelectorUncached(s).toString().length;
  });
  bench('parseSelector (cached) ×10', () => {
    for (const s of REALISTIC) sink += parseSelector(s).source.length;
  });
});

export { sink };
