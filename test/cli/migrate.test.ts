import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { parse as parseYaml } from 'yaml';
import { runCliProcess } from './support/run-cli.js';
import { etcdDatastore, kubernetesDatastore, type CliDatastore } from './support/datastores.js';
import type { ResourceObject } from '../../src/backends/backend.js';

// etcd → Kubernetes → etcd through `datastore migrate`, with the built CLI as a subprocess.
const v3 = 'projectcalico.org/v3';
let source: CliDatastore;
let kube: CliDatastore;
let target: CliDatastore;
const dir = mkdtempSync(join(tmpdir(), 'cdctl-migrate-'));
const exportPath = join(dir, 'export.yaml');

async function seedSource(): Promise<void> {
  const c = source.client;
  await c.ipPools.create({ apiVersion: v3, kind: 'IPPool', metadata: { name: 'pool-a', labels: { zone: 'a' } }, spec: { cidr: '10.40.0.0/16', natOutgoing: true } });
  await c.tiers.create({ apiVersion: v3, kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } });
  await c.globalNetworkPolicies.create({ apiVersion: v3, kind: 'GlobalNetworkPolicy', metadata: { name: 'security.deny-db' }, spec: { tier: 'security', selector: "app == 'db'", types: ['Ingress'] } });
  for (const ns of ['default', 'shop']) {
    await c.networkPolicies.create({ apiVersion: v3, kind: 'NetworkPolicy', metadata: { name: 'allow-web', namespace: ns }, spec: { selector: "app == 'web'", ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }] } });
  }
  await c.nodes.create({ apiVersion: v3, kind: 'Node', metadata: { name: 'etcd-node-1' }, spec: { bgp: { ipv4Address: '10.0.0.11/24' }, orchRefs: [{ orchestrator: 'k8s', nodeName: 'worker-1' }] } });
  const backend = await c.backend();
  await backend.create({ key: { kind: 'BGPPeer', name: 'rack-1' }, value: { apiVersion: v3, kind: 'BGPPeer', metadata: { name: 'rack-1' }, spec: { peerIP: '10.0.0.1', asNumber: 64513 } } });
  await backend.create({
    key: { kind: 'FelixConfiguration', name: 'node.etcd-node-1' },
    value: { apiVersion: v3, kind: 'FelixConfiguration', metadata: { name: 'node.etcd-node-1' }, spec: { logSeverityScreen: 'Info' } },
  });
  const etcd = new Etcd3({ hosts: source.env.ETCD_ENDPOINTS!.split(',') });
  await etcd.put('/calico/ipam/v2/host/etcd-node-1/ipv4/block/10.40.0.0-26').value(JSON.stringify({ state: 'confirmed', deleted: false }));
  await etcd.put('/calico/ipam/v2/assignment/ipv4/block/10.40.0.0-26').value(JSON.stringify({ cidr: '10.40.0.0/26', affinity: 'host:etcd-node-1', allocations: [0], unallocated: [], attributes: [{ handle_id: 'ipip-tunnel-addr-etcd-node-1', secondary: { node: 'etcd-node-1', type: 'ipipTunnelAddress' } }] }));
  await etcd.put('/calico/ipam/v2/handle/ipip-tunnel-addr-etcd-node-1').value(JSON.stringify({ block: { '10.40.0.0/26': 1 } }));
  etcd.close();
}

beforeAll(async () => {
  [source, kube, target] = await Promise.all([etcdDatastore(), kubernetesDatastore(), etcdDatastore()]);
  kube.seedKube!({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  kube.seedKube!({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1' } });
  await seedSource();
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.stop(), kube?.stop(), target?.stop()]);
});

function specsByKey(lists: ResourceObject[]): Map<string, unknown> {
  return new Map(lists.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.spec]));
}

describe('datastore migrate', () => {
  it('refuses to export an unlocked datastore, then locks and unlocks', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('datastore is not locked.');
    expect(await runCliProcess(['datastore', 'migrate', 'lock'], { env: kube.env })).toMatchObject({ code: 0, stdout: 'Datastore locked.\n' });
    expect((await (await kube.client.backend()).get({ kind: 'ClusterInformation', name: 'default' })).value.spec).toMatchObject({ datastoreReady: false });
    expect(await runCliProcess(['datastore', 'migrate', 'unlock'], { env: kube.env })).toMatchObject({ code: 0, stdout: 'Datastore unlocked.\n' });
    expect((await (await kube.client.backend()).get({ kind: 'ClusterInformation', name: 'default' })).value.spec).toMatchObject({ datastoreReady: true });
    expect(await runCliProcess(['datastore', 'migrate', 'lock'], { env: source.env })).toMatchObject({ code: 0, stdout: 'Datastore locked.\n' });
  });

  it('exports three sections with stripped metadata, renamed nodes and IPAM keys', async () => {
    const r = await runCliProcess(['datastore', 'migrate', 'export'], { env: source.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    writeFileSync(exportPath, r.stdout);
    const sections = r.stdout.split(/^===\n/m);
    expect(sections).toHaveLength(3);
    const lists = sections[0]!.split(/^---\n/m).filter((d) => d.trim() !== '').map((d) => parseYaml(d) as { kind: string; items: ResourceObject[] });
    expect(lists.map((l) => l.kind)).toEqual([
      'IPPoolList', 'BGPPeerList', 'TierList', 'GlobalNetworkPolicyList', 'StagedGlobalNetworkPolicyList', 'GlobalNetworkSetList', 'HostEndpointList',
      'KubeControllersConfigurationList', 'NetworkPolicyList', 'StagedNetworkPolicyList', 'StagedKubernetesNetworkPolicyList', 'NetworkSetList', 'NodeList',
      'BGPConfigurationList', 'FelixConfigurationList', 'IPReservationList', 'BGPFilterList',
    ]);
    const all = lists.flatMap((l) => l.items);
    for (const o of all) expect(o.metadata).not.toHaveProperty('resourceVersion');
    for (const o of all) expect(o.metadata).not.toHaveProperty('uid');
    expect(lists[12]!.items.map((n) => n.metadata.name)).toEqual(['worker-1']);
    expect(lists[14]!.items.map((n) => n.metadata.name)).toEqual(['node.worker-1']);
    expect(lists[8]!.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['default/allow-web', 'shop/allow-web']);
    expect(JSON.parse(sections[1]!)).toMatchObject({ kind: 'ClusterInformation', spec: { datastoreReady: false } });
    const ipam = JSON.parse(sections[2]!) as Record<string, Array<{ Key: string; Value: Record<string, unknown> }>>;
    expect(ipam.block_affinities!.map((e) => e.Key)).toEqual(['/calico/ipam/v2/host/worker-1/ipv4/block/10.40.0.0-26']);
    expect(ipam.blocks![0]!.Value.affinity).toBe('host:worker-1');
    expect(ipam.handles!.map((e) => e.Key)).toEqual(['/calico/ipam/v2/handle/ipip-tunnel-addr-worker-1']);
  });

  it('imports into Kubernetes only with --skip-ipam, writes nothing otherwise, and verifies', async () => {
    const refused = await runCliProcess(['datastore', 'migrate', 'import', '-f', exportPath], { env: kube.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('IPAM');
    expect((await kube.client.ipPools.list()).items).toEqual([]);
    const r = await runCliProcess(['datastore', 'migrate', 'import', '-f', exportPath, '--skip-ipam'], { env: kube.env });
    expect(r.stderr).toBe('[WARNING] skipping 3 IPAM entries: pod address allocations were not migrated\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Verified \d+ resource\(s\): all match\.\nDatastore information successfully imported\./);
    expect((await kube.client.ipPools.get({ name: 'pool-a' })).spec).toMatchObject({ cidr: '10.40.0.0/16', natOutgoing: true });
    expect((await kube.client.nodes.get({ name: 'worker-1' })).spec?.bgp?.ipv4Address).toBe('10.0.0.11/24');
    expect((await (await kube.client.backend()).get({ kind: 'BGPPeer', name: 'rack-1' })).value.spec).toEqual({ peerIP: '10.0.0.1', asNumber: 64513 });
    const info = (await (await kube.client.backend()).get({ kind: 'ClusterInformation', name: 'default' })).value.spec as Record<string, unknown>;
    const sourceInfo = (await (await source.client.backend()).get({ kind: 'ClusterInformation', name: 'default' })).value.spec as Record<string, unknown>;
    expect(info).toMatchObject({ datastoreReady: false, clusterGUID: sourceInfo.clusterGUID });
    const again = await runCliProcess(['datastore', 'migrate', 'import', '-f', exportPath, '--skip-ipam'], { env: kube.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds Calico resources');
  });

  it('goes on from Kubernetes into a fresh etcd with nothing lost', async () => {
    const exported = await runCliProcess(['datastore', 'migrate', 'export'], { env: kube.env });
    expect(exported.code).toBe(0);
    const path = join(dir, 'from-kube.yaml');
    writeFileSync(path, exported.stdout);
    const r = await runCliProcess(['datastore', 'migrate', 'import', '-f', path], { env: target.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const read = async (ds: CliDatastore): Promise<ResourceObject[]> => {
      const b = await ds.client.backend();
      const out: ResourceObject[] = [];
      for (const kind of ['IPPool', 'Tier', 'GlobalNetworkPolicy', 'NetworkPolicy', 'BGPPeer']) out.push(...(await b.list({ kind })).items.map((kv) => kv.value));
      return out;
    };
    const before = specsByKey(await read(source));
    const after = specsByKey(await read(target));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [k, spec] of before) expect(after.get(k), k).toEqual(spec);
  });

  it('rejects a malformed file before writing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: projectcalico.org/v3\nkind: IPPoolList\nitems: []\n===\n{}\n');
    const r = await runCliProcess(['datastore', 'migrate', 'import', '-f', bad], { env: target.env });
    expect(r).toMatchObject({ code: 1, stderr: `imported file: ${bad} is improperly formatted. Try recreating with 'calicoctl export'\n` });
  });
});
