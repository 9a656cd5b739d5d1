import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATION_KINDS } from '../../../src/cli/migrate/migration-kinds.js';
import { runCliProcess } from '../support/run-cli.js';
import {
  clusterSpec, etcdTarget, kubeTarget, objectsByKey, parseExport, seedEtcdSource, seedKube,
  type EtcdMigrateDatastore, type KubeMigrateDatastore,
} from './fixtures.js';

// etcd → Kubernetes → a fresh etcd through the CLI: every object arrives with its spec, labels and
// annotations (node names become the Kubernetes names on the first hop).
const dir = mkdtempSync(join(tmpdir(), 'cdctl-migrate-trip-'));
let source: EtcdMigrateDatastore;
let kube: KubeMigrateDatastore;
let target: EtcdMigrateDatastore;
beforeAll(async () => {
  [source, kube, target] = await Promise.all([etcdTarget(), kubeTarget(), etcdTarget()]);
  seedKube(kube, ['shop'], ['worker-1', 'worker-2']);
  await seedEtcdSource(source);
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.stop(), kube?.stop(), target?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

/** Kinds that come back exactly as they were. */
const UNCHANGED = new Set(['IPPool', 'Tier', 'GlobalNetworkPolicy', 'NetworkPolicy', 'BGPPeer', 'GlobalNetworkSet', 'NetworkSet']);
/** What the export itself changes: FelixConfiguration iptables actions are title-cased. */
const EXPORT_CHANGES: Record<string, object> = {
  'FelixConfiguration//default': { defaultEndpointToHostAction: 'Accept', iptablesFilterAllowAction: 'Return' },
};
const NODE_NAMES: Record<string, string> = { 'etcd-node-1': 'worker-1', 'etcd-node-2': 'worker-2' };

/** A source key as it is named after the move to Kubernetes. */
function renamed(key: string): string {
  const [kind, ns, name] = key.split('/') as [string, string, string];
  if (kind === 'Node') return `${kind}/${ns}/${NODE_NAMES[name] ?? name}`;
  const node = /^node\.(.+)$/.exec(name);
  return node ? `${kind}/${ns}/node.${NODE_NAMES[node[1]!] ?? node[1]}` : key;
}

async function step(args: string[], env: Record<string, string>, stdin?: string): Promise<string> {
  const r = await runCliProcess(args, { env, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('etcd → Kubernetes → etcd', () => {
  it('loses nothing', async () => {
    await step(['datastore', 'migrate', 'lock'], source.env);
    const first = join(dir, 'from-etcd.txt');
    writeFileSync(first, await step(['datastore', 'migrate', 'export'], source.env));
    expect(await step(['datastore', 'migrate', 'import', '-f', first, '--skip-ipam'], kube.env)).toContain('all match.');

    // The Kubernetes side is locked by the import, so it can be exported right away; stdin works too.
    const second = await step(['datastore', 'migrate', 'export'], kube.env);
    expect(parseExport(second).ipam).toEqual({});
    const out = await step(['datastore', 'migrate', 'import', '-f', '-'], target.env, second);
    expect(out).toMatch(/^Verified \d+ resource\(s\): all match\.\nDatastore information successfully imported\./);

    const kinds = MIGRATION_KINDS.map((k) => k.kind);
    const before = await objectsByKey(source, kinds);
    const after = await objectsByKey(target, kinds);
    const expectedKeys = [...before.keys()].filter((k) => !k.startsWith('NetworkPolicy/shop/knp.default.')).map(renamed).sort();
    expect([...after.keys()].sort()).toEqual(expectedKeys);
    for (const [key, original] of before) {
      if (key.includes('knp.default.')) continue;
      const moved = after.get(renamed(key))!;
      // Some kinds gain fields on the way through Kubernetes: their CRD schema's defaults (for
      // example FelixConfiguration's nftables fields) and, for Nodes, the addresses the Node view
      // derives from the BGP addresses. Nothing is lost or changed.
      const spec = { ...(original.spec as object), ...EXPORT_CHANGES[key] };
      if (UNCHANGED.has(original.kind)) expect(moved.spec, key).toEqual(spec);
      else expect(moved.spec, key).toMatchObject(spec);
      expect(moved.metadata.labels ?? {}, key).toEqual(original.metadata.labels ?? {});
      expect(moved.metadata.annotations ?? {}, key).toEqual(original.metadata.annotations ?? {});
    }

    const sourceInfo = await clusterSpec(source);
    expect(await clusterSpec(target)).toMatchObject({ clusterGUID: sourceInfo!.clusterGUID, datastoreReady: false });
  });
});
