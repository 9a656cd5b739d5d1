/**
 * The fake API server of the Kubernetes benchmarks, in its own process so that serving does not
 * compete with the client being measured. Seeds `count` realistic Pods over 100 nodes and 10
 * namespaces, prints `{"url": ...}` on one line, then takes commands on stdin:
 *
 * - `churn <n>`: modifies `n` Pods (a label change each), then prints `{"churned": n, "rv": ...}`.
 * - `quit`: closes the server and exits.
 *
 * Usage: `tsx bench/k8s/server.ts <count>`
 *
 * @module
 */
import { createInterface } from 'node:readline';
import { startFakeApiServer } from '../../test/fake-apiserver/index.js';
import { benchPod, NAMESPACES } from './fixtures.js';

const count = Number(process.argv[2] ?? '10000');
const server = await startFakeApiServer({ watchCacheSize: 200_000, watchCacheMaxSize: 200_000, retainRevisions: 1_000_000 });
for (const ns of NAMESPACES) server.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
const pods = Array.from({ length: count }, (_, i) => benchPod(i));
for (let i = 0; i < pods.length; i += 500) server.store.seed(...pods.slice(i, i + 500));
console.log(JSON.stringify({ url: server.url, pods: count }));

let generation = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === 'churn') {
    const n = Number(arg ?? '0');
    generation++;
    for (let i = 0; i < n; i++) {
      const p = pods[i % pods.length];
      if (!p) continue;
      const meta = p.metadata as { labels?: Record<string, string> };
      meta.labels = { ...(meta.labels ?? {}), generation: String(generation), step: String(i) };
      server.store.seed(p);
    }
    console.log(JSON.stringify({ churned: n, rv: server.store.resourceVersion() }));
  } else if (cmd === 'quit') {
    await server.close();
    process.exit(0);
  }
}
