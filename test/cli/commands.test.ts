import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCliProcess } from './support/run-cli.js';
import { etcdDatastore, kubernetesDatastore, type CliDatastore } from './support/datastores.js';
import { poolYaml, tempFile } from './support/files.js';
import { isNotFound } from '../../src/errors.js';

// The built CLI, run as a subprocess, against a real etcd and against the fake Kubernetes API
// server: the same scenarios on both.
describe.each([
  ['etcd', etcdDatastore],
  ['kubernetes', kubernetesDatastore],
] as const)('CLI commands on %s', (_label, start) => {
  let ds: CliDatastore;
  const cli = (args: string[], stdin?: string) => runCliProcess(args, { env: ds.env, ...(stdin === undefined ? {} : { stdin }) });

  beforeAll(async () => {
    ds = await start();
  });
  afterAll(async () => {
    await ds?.stop();
  });

  it('creates pools and reports a partial failure per resource, exit 1', async () => {
    await ds.client.ipPools.create({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-a' }, spec: { cidr: '10.1.0.0/16' } });
    const file = tempFile('pools.yaml', [poolYaml('pool-a', '10.1.0.0/16'), poolYaml('pool-b', '10.2.0.0/16'), poolYaml('pool-c', '10.3.0.0/16')].join('---\n'));
    const r = await cli(['create', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Partial success: created the first 2 out of 3 'IPPool' resources:\n");
    expect(r.stderr).toBe('hit error: [resource already exists: IPPool(pool-a)]\n');
    const names = (await ds.client.ipPools.list()).items.map((p) => p.metadata.name).sort();
    expect(names).toEqual(['pool-a', 'pool-b', 'pool-c']);
    const again = await cli(['create', '--skip-exists', '-f', file]);
    expect(again).toMatchObject({ code: 0, stdout: "Successfully created 3 'IPPool' resource(s)\n" });
  });

  it('prints the ippool table byte for byte, wide, custom columns, YAML and JSON', async () => {
    const ps = await cli(['get', 'ippools']);
    expect(ps.code).toBe(0);
    expect(ps.stdout).toBe(
      'NAME     CIDR          SELECTOR   \n' + 'pool-a   10.1.0.0/16   all()      \n' + 'pool-b   10.2.0.0/16   all()      \n' + 'pool-c   10.3.0.0/16   all()      \n\n',
    );
    const wide = await cli(['get', 'ipp', 'pool-a', '-o', 'wide']);
    expect(wide.stdout.split('\n')[0]).toBe(
      'NAME     CIDR          NAT     IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ASSIGNMENTMODE   ',
    );
    expect(wide.stdout.split('\n')[1]).toMatch(/^pool-a {3}10\.1\.0\.0\/16 {3}false {3}Never {6}Never {7}false {6}false {14}all\(\) {6}Automatic {8}$/);
    const two = await cli(['get', 'ippool', 'pool-a', 'pool-b', '-o', 'custom-columns=NAME,CIDR']);
    expect(two.stdout).toBe('NAME     CIDR          \npool-a   10.1.0.0/16   \n\nNAME     CIDR          \npool-b   10.2.0.0/16   \n\n');
    const yaml = await cli(['get', 'ippool', 'pool-b', '-o', 'yaml']);
    const doc = parseYaml(yaml.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool-b' }, spec: { cidr: '10.2.0.0/16' } });
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(yaml.stdout).toMatch(/resourceVersion: "\d+"/);
    const json = await cli(['get', 'ippools', '-o', 'json']);
    const list = JSON.parse(json.stdout) as { kind: string; items: unknown[] };
    expect(Object.keys(list)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(list.kind).toBe('IPPoolList');
    expect(list.items).toHaveLength(3);
    expect(json.stdout.endsWith('}\n')).toBe(true);
    const empty = await cli(['get', 'gnp', '-o', 'json']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ kind: 'GlobalNetworkPolicyList', items: [] });
  });

  it('reports a missing name after the found ones, exit 1', async () => {
    const r = await cli(['get', 'ippool', 'pool-a', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('NAME     CIDR')).toBe(true);
    expect(r.stderr).toBe('resource does not exist: IPPool(nope)\n');
  });

  it('writes nothing when the third document is bad, and names document and field', async () => {
    const bad = tempFile('bad.yaml', [poolYaml('bad-1', '10.11.0.0/16'), poolYaml('bad-2', '10.12.0.0/16'), poolYaml('bad-3', '10.13.0.1/33')].join('---\n'));
    const r = await cli(['apply', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^failed to execute command: .*bad\.yaml document 3.*IPPool\(bad-3\).*spec\.cidr/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = tempFile('unknown.yaml', poolYaml('bad-4', '10.14.0.0/16', '  bogus: 1\n'));
    const u = await cli(['create', '-f', unknown]);
    expect(u).toMatchObject({ code: 1, stdout: '' });
    expect(u.stderr).toContain('field in document is not recognized or is in the wrong location: spec.bogus');
    const yamlError = await cli(['create', '-f', tempFile('broken.yaml', 'kind: [unclosed\n')]);
    expect(yamlError.code).toBe(1);
    expect(yamlError.stderr).toMatch(/^failed to execute command: .*broken\.yaml/);
    const kind = await cli(['create', '-f', tempFile('kind.yaml', 'apiVersion: projectcalico.org/v3\nkind: Gadget\nmetadata:\n  name: g\n')]);
    expect(kind.stderr).toContain('unknown resource type (Gadget) and/or version (projectcalico.org/v3)');
    const names = (await ds.client.ipPools.list()).items.map((p) => p.metadata.name);
    expect(names.filter((n) => n?.startsWith('bad-'))).toEqual([]);
  });

  it('applies (create, then update) and replaces with a stale resourceVersion as a conflict with detail', async () => {
    const file = tempFile('apply.yaml', poolYaml('pool-b', '10.2.0.0/16', '  natOutgoing: true\n'));
    expect(await cli(['apply', '-f', file])).toMatchObject({ code: 0, stdout: "Successfully applied 1 'IPPool' resource(s)\n" });
    expect((await ds.client.ipPools.get({ name: 'pool-b' })).spec.natOutgoing).toBe(true);
    const stale = tempFile('stale.yaml', poolYaml('pool-b', '10.2.0.0/16', '  disabled: true\n').replace('  name: pool-b\n', '  name: pool-b\n  resourceVersion: "1"\n'));
    const r = await cli(['replace', '-f', stale]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^failed to replace 'IPPool' resource: \[update conflict: IPPool\(pool-b\): resource version '1' is out of date \(latest: \S+\)\. Update the resource YAML\/JSON in order to make changes\]\n$/);
    const fresh = tempFile('fresh.yaml', poolYaml('pool-b', '10.2.0.0/16', '  disabled: true\n'));
    expect(await cli(['replace', '-f', fresh])).toMatchObject({ code: 0, stdout: "Successfully replaced 1 'IPPool' resource(s)\n" });
    expect((await ds.client.ipPools.get({ name: 'pool-b' })).spec.disabled).toBe(true);
    const create = await cli(['create', '-f', stale]);
    expect(create.stderr).toContain("error with field Metadata.ResourceVersion = '1' (field must not be set for a Create request)");
  });

  it('reads documents from standard input', async () => {
    const r = await cli(['apply', '-f', '-'], JSON.stringify([{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } }]));
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'Tier' resource(s)\n" });
  });

  it('scopes namespaced kinds: default namespace without flags, NAMESPACE column with -A', async () => {
    const file = tempFile(
      'nps.yaml',
      ['default', 'shop']
        .map((ns) => `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: ${ns}\nspec:\n  order: 100\n  selector: app == 'web'\n`)
        .join('---\n'),
    );
    // On Kubernetes the namespace must exist, as on a real API server.
    ds.seedKube?.({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const created = await cli(['create', '-f', file]);
    expect(created.stderr).toBe('');
    expect(created).toMatchObject({ code: 0, stdout: "Successfully created 2 'NetworkPolicy' resource(s)\n" });
    const plain = await cli(['get', 'networkpolicy']);
    expect(plain.stdout).toBe('NAME        TIER      \nallow-web   default   \n\n');
    const all = await cli(['get', 'np', '-A', '-o', 'wide']);
    expect(all.stdout).toBe(
      'NAMESPACE   NAME        TIER      ORDER   SELECTOR       \n' +
        "default     allow-web   default   100     app == 'web'   \n" +
        "shop        allow-web   default   100     app == 'web'   \n\n",
    );
    const both = await cli(['get', 'np', '-A', '-n', 'shop']);
    expect(both).toMatchObject({ code: 1, stderr: 'cannot use both --namespace and --all-namespaces flags at the same time\n' });
    const mismatch = await cli(['delete', '-n', 'other', '-f', file]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("Failed to delete 'NetworkPolicy' resource: resource namespace does not match client namespace. default != other");
  });

  it('patches with a merge patch (null removes) and a JSON patch', async () => {
    const p = await cli(['patch', 'ippool', 'pool-c', '-p', '{"spec":{"natOutgoing":true},"metadata":{"labels":{"team":"net"}}}']);
    expect(p).toMatchObject({ code: 0, stdout: "Successfully patched 1 'IPPool' resource\n" });
    expect((await ds.client.ipPools.get({ name: 'pool-c' })).metadata.labels).toMatchObject({ team: 'net' });
    const rm = await cli(['patch', 'ippool', 'pool-c', '-p', '{"metadata":{"labels":{"team":null}}}']);
    expect(rm.code).toBe(0);
    expect((await ds.client.ipPools.get({ name: 'pool-c' })).metadata.labels?.team).toBeUndefined();
    const jp = await cli(['patch', 'ippool', 'pool-c', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/natOutgoing","value":false}]']);
    expect(jp.code).toBe(0);
    expect((await ds.client.ipPools.get({ name: 'pool-c' })).spec.natOutgoing ?? false).toBe(false);
    const bad = await cli(['patch', 'ippool', 'pool-c', '-p', '{"spec":{"cidr":"not-a-cidr"}}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hit error: updating existing resource: error with field spec\.cidr/);
  });

  it('sets, overwrites and removes labels', async () => {
    expect(await cli(['label', 'pools', 'pool-c', 'env=prod'])).toMatchObject({ code: 0, stdout: 'Successfully set label env on pools pool-c\n' });
    expect(await cli(['label', 'pools', 'pool-c', 'env=prod'])).toMatchObject({ code: 0, stdout: 'Successfully updated label env on pools pool-c\n' });
    expect(await cli(['label', 'pools', 'pool-c', 'env=dev'])).toMatchObject({
      code: 1,
      stderr: "failed to update label of pools pool-c, key env is already present. please use '--overwrite' to set a new value\n",
    });
    expect(await cli(['label', 'pools', 'pool-c', 'env=dev', '--overwrite'])).toMatchObject({ code: 0 });
    expect((await ds.client.ipPools.get({ name: 'pool-c' })).metadata.labels?.env).toBe('dev');
    expect(await cli(['label', 'pools', 'pool-c', 'env', '--remove'])).toMatchObject({ code: 0, stdout: 'Successfully removed label env from pools pool-c\n' });
    expect(await cli(['label', 'pools', 'pool-c', 'env', '--remove'])).toMatchObject({ code: 1, stderr: 'cannot remove label of pools pool-c, key env does not exist\n' });
    expect(await cli(['label', 'pools', 'pool-c', 'noequals'])).toMatchObject({ code: 1, stderr: 'invalid label noequals\n' });
  });

  it('deletes by name and from a file, with --skip-not-exists', async () => {
    const missing = await cli(['delete', 'ippool', 'pool-c', 'ghost']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("Successfully deleted 1 'IPPool' resource(s)\n");
    expect(missing.stderr).toBe("Failed to delete 'IPPool' resource: resource does not exist: IPPool(ghost)\n");
    await expect(ds.client.ipPools.get({ name: 'pool-c' })).rejects.toSatisfy(isNotFound);
    expect(await cli(['delete', 'ippool', 'ghost', '-s'])).toMatchObject({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n" });
    const file = tempFile('del.yaml', poolYaml('pool-b', '10.2.0.0/16'));
    expect(await cli(['delete', '-f', file])).toMatchObject({ code: 0, stdout: "Successfully deleted 1 'IPPool' resource(s)\n" });
  });

  it('prints the versions, with the cluster version from ClusterInformation', async () => {
    const r = await cli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: {4}v\d+\.\d+\.\d+\nGit commit: {8}\S+\nCluster Version: {3}.*\nCluster Type: {6}.*\n$/);
  });
});

describe('CLI on Kubernetes only', () => {
  let ds: CliDatastore;
  beforeAll(async () => {
    ds = await kubernetesDatastore();
  });
  afterAll(async () => {
    await ds?.stop();
  });

  it('applies an existing Node as an update (create is not supported) and shows it wide', async () => {
    ds.seedKube!({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-1', labels: { 'kubernetes.io/hostname': 'worker-1' } } });
    const file = tempFile(
      'node.yaml',
      'apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: worker-1\n  labels:\n    kubernetes.io/hostname: worker-1\nspec:\n  bgp:\n    ipv4Address: 10.0.0.11/24\n',
    );
    const r = await runCliProcess(['apply', '-f', file], { env: ds.env });
    expect(r).toMatchObject({ code: 0, stdout: "Successfully applied 1 'Node' resource(s)\n" });
    expect((await ds.client.nodes.get({ name: 'worker-1' })).spec?.bgp?.ipv4Address).toBe('10.0.0.11/24');
    const created = await runCliProcess(['create', '-f', file], { env: ds.env });
    expect(created.code).toBe(1);
    expect(created.stderr).toMatch(/^failed to create 'Node' resource: \[operation Create is not supported on Node\(worker-1\)/);
    const wide = await runCliProcess(['get', 'nodes', '-o', 'wide'], { env: ds.env });
    expect(wide.stdout.split('\n')[1]).toMatch(/^worker-1 {3}\(\S+\) +10\.0\.0\.11\/24 {3}/);
  });

  it('shows Kubernetes NetworkPolicies read-only in get networkpolicy', async () => {
    ds.seedKube!({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    const r = await runCliProcess(['get', 'networkpolicies', '-o', 'yaml'], { env: ds.env });
    expect(r.code).toBe(0);
    const list = parseYaml(r.stdout) as { items: Array<{ metadata: { name: string } }> };
    expect(list.items.map((i) => i.metadata.name)).toContain('deny-all');
  });

  it('lists WorkloadEndpoints from Pods in calicoctl columns, ps and wide, across namespaces', async () => {
    ds.seedKube!({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    ds.seedKube!({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'shop', labels: { app: 'web' } },
      spec: { nodeName: 'worker-1', serviceAccountName: 'default', containers: [{ name: 'app', image: 'nginx' }] },
      status: { phase: 'Running', podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }] },
    });
    const ps = await runCliProcess(['get', 'weps', '-A'], { env: ds.env });
    expect(ps.code).toBe(0);
    const lines = ps.stdout.split('\n');
    expect(lines[0]).toBe('NAMESPACE   WORKLOAD   NODE       NETWORKS        INTERFACE         ');
    expect(lines[1]).toMatch(/^shop {8}web-0 {6}worker-1 {3}10\.244\.1\.7\/32 {3}cali[0-9a-f]{11} {3}$/);
    const wide = await runCliProcess(['get', 'wep', '-n', 'shop', '-o', 'wide'], { env: ds.env });
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAMESPACE +NAME +WORKLOAD +NODE +NETWORKS +INTERFACE +PROFILES +NATS +$/);
    expect(wide.stdout.split('\n')[1]).toContain('kns.shop,ksa.shop.default');
    const none = await runCliProcess(['get', 'weps'], { env: ds.env });
    expect(none.stdout).toBe('WORKLOAD   NODE   NETWORKS   INTERFACE   \n\n');
  });

  it('prints GlobalNetworkPolicies and Tiers wide, orders as Go prints them', async () => {
    const file = tempFile(
      'gnp.yaml',
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: big\nspec:\n  order: 1500000\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: big.deny\nspec:\n  tier: big\n  order: 1000000\n  selector: all()\n',
    );
    expect(await runCliProcess(['apply', '-f', file], { env: ds.env })).toMatchObject({ code: 0, stdout: 'Successfully applied 2 resource(s)\n' });
    const g = await runCliProcess(['get', 'gnp', '-o', 'wide'], { env: ds.env });
    expect(g.stdout).toBe('NAME       TIER   ORDER   SELECTOR   \nbig.deny   big    1e+06   all()      \n\n');
    const t = await runCliProcess(['get', 'tier', 'big'], { env: ds.env });
    expect(t.stdout).toBe('NAME   ORDER     \nbig    1.5e+06   \n\n');
  });
});
