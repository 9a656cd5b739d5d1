/**
 * A user following Calico's docs with a real kubectl (and the official Python client) against
 * the fake API server: an empty cluster, `kubectl apply -f crds.yaml`, the CLI, CRs written by
 * kubectl and by the library, watches, diff, explain. One server and one scratch HOME for the
 * file; every command is a real process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { runCliProcess } from '../cli/support/run-cli.js';
import { startFakeApiServer, type FakeApiServer } from './index.js';

function findKubectl(): string | undefined {
  if (existsSync('/usr/bin/kubectl')) return '/usr/bin/kubectl';
  const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

const KUBECTL = findKubectl();
const PYTHON = '/usr/bin/python3';
const HAS_PYTHON_CLIENT = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import kubernetes'], { encoding: 'utf8' }).status === 0;
const CRDS_YAML = resolve(__dirname, '../../crds.yaml');

if (!KUBECTL) console.warn('kubectl-e2e: no kubectl at /usr/bin/kubectl or on PATH (npm pretest installs it as root); skipping the kubectl workflow');
if (!HAS_PYTHON_CLIENT) console.warn('kubectl-e2e: /usr/bin/python3 cannot import kubernetes (Debian python3-kubernetes); skipping the Python client check');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!KUBECTL)('a user following Calico docs with real kubectl', () => {
  let server: FakeApiServer;
  let home: string;
  let kubeconfig: string;
  const watchers: ChildProcess[] = [];

  const env = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig });
  /** Runs a process without blocking this one (the server answers from the same event loop). */
  const run = (cmd: string, args: string[], stdin?: string): Promise<Run> =>
    new Promise((done, fail) => {
      const child = spawn(cmd, args, { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code: code ?? 1, stdout, stderr });
      });
      child.stdin.end(stdin ?? '');
    });
  const kubectl = (args: string[], stdin?: string): Promise<Run> => run(KUBECTL as string, args, stdin);
  const cli = (args: string[]): Promise<Run> => runCliProcess(args, { env: { HOME: home, DATASTORE_TYPE: 'kubernetes', KUBECONFIG: kubeconfig } });
  const lines = (text: string): string[] => text.split('\n').map((l) => l.trimEnd()).filter(Boolean);

  /** Starts `kubectl get <resource> -w` and resolves once its output contains `needle`. */
  const watchUntil = (args: string[], needle: RegExp): { seen: Promise<string>; child: ChildProcess } => {
    const child = spawn(KUBECTL as string, [...args, '-w'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    watchers.push(child);
    let out = '';
    const seen = new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`kubectl ${args.join(' ')} -w never printed ${needle}; got:\n${out}`)), 30_000);
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (needle.test(out)) {
          clearTimeout(timer);
          done(out);
        }
      });
      child.on('error', fail);
    });
    return { seen, child };
  };

  beforeAll(async () => {
    server = await startFakeApiServer({ calicoCrds: false });
    home = mkdtempSync(join(tmpdir(), 'kubectl-e2e-'));
    kubeconfig = join(home, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfigYaml());
  });
  afterAll(async () => {
    for (const w of watchers) w.kill('SIGKILL');
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('kubectl apply -f crds.yaml installs the CRDs on an empty server; they become Established; kubectl get crds lists them', async () => {
    expect((await kubectl(['get', 'crds'])).stderr).toBe('No resources found\n');
    const applied = await kubectl(['apply', '-f', CRDS_YAML]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const plurals = ['ippools', 'networkpolicies', 'globalnetworkpolicies', 'tiers', 'clusterinformations'];
    expect(lines(applied.stdout)).toEqual(plurals.map((p) => `customresourcedefinition.apiextensions.k8s.io/${p}.crd.projectcalico.org created`));
    const waited = await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=20s']);
    expect([waited.code, waited.stderr]).toEqual([0, '']);
    expect(lines(waited.stdout)).toEqual([...plurals].sort().map((p) => `customresourcedefinition.apiextensions.k8s.io/${p}.crd.projectcalico.org condition met`));
    const got = await kubectl(['get', 'crds']);
    expect(got.code).toBe(0);
    const rows = lines(got.stdout);
    expect(rows[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(rows.slice(1).map((r) => r.split(/\s+/)[0])).toEqual([...plurals].sort().map((p) => `${p}.crd.projectcalico.org`));
    expect(rows.slice(1).every((r) => /\s\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r))).toBe(true);
  });

  it('calico-datastore get ippools prints only the header', async () => {
    const res = await cli(['get', 'ippools']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toEqual(['NAME   CIDR   SELECTOR']);
  });

  const pool = 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: docs-pool\nspec:\n  cidr: 10.20.0.0/16\n  ipipMode: Never\n  vxlanMode: CrossSubnet\n  natOutgoing: true\n';

  it('kubectl apply of a Calico CR says created, then unchanged; a CR Calico rejects is refused', async () => {
    const first = await kubectl(['apply', '-f', '-'], pool);
    expect([first.code, first.stdout, first.stderr]).toEqual([0, 'ippool.crd.projectcalico.org/docs-pool created\n', '']);
    const second = await kubectl(['apply', '-f', '-'], pool);
    expect([second.code, second.stdout, second.stderr]).toEqual([0, 'ippool.crd.projectcalico.org/docs-pool unchanged\n', '']);
    const listed = await cli(['get', 'ippools']);
    expect(lines(listed.stdout)).toEqual(['NAME        CIDR           SELECTOR', 'docs-pool   10.20.0.0/16   all()']);
    const wrongType = await kubectl(['apply', '-f', '-'], pool.replace('natOutgoing: true', 'natOutgoing: maybe'));
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stderr).toContain('spec.natOutgoing');
    const bothEncaps = await kubectl(['apply', '-f', '-'], pool.replace('docs-pool', 'encap-pool').replace('ipipMode: Never', 'ipipMode: Always').replace('vxlanMode: CrossSubnet', 'vxlanMode: Always'));
    expect(bothEncaps.code).toBe(1);
    expect(bothEncaps.stderr).toContain('The IPPool "encap-pool" is invalid: spec: ');
    expect(bothEncaps.stderr).toContain('ipipMode and vxlanMode cannot both be enabled');
    // kubectl found fieldValidation in the OpenAPI v3 document, so it asked the server to be strict.
    const unknown = await kubectl(['apply', '-f', '-'], `${pool.replace('docs-pool', 'other-pool')}  bogus: 1\n`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Error from server (BadRequest): error when creating "STDIN": IPPool in version "v1" cannot be handled as a IPPool: strict decoding error: unknown field "spec.bogus"\n');
  });

  it('kubectl get -w sees what the library writes', async () => {
    const { seen } = watchUntil(['get', 'ippools'], /lib-pool/);
    const client = createClient({ datastoreType: 'kubernetes', kubeconfig, ipPoolDeleteDelayMs: 0 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      await client.ipPools.create({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'lib-pool' }, spec: { cidr: '10.30.0.0/16' } });
      const out = await seen;
      expect(lines(out)[0]).toMatch(/^NAME\s+AGE$/);
      expect(lines(out).map((l) => l.split(/\s+/)[0])).toContain('lib-pool');
    } finally {
      await client.close();
    }
  });

  it('kubectl diff shows a pending change (exit 1) and nothing for the applied state; kubectl explain prints the fields', async () => {
    const same = await kubectl(['diff', '-f', '-'], pool);
    expect([same.code, same.stdout, same.stderr]).toEqual([0, '', '']);
    const changed = await kubectl(['diff', '-f', '-'], pool.replace('natOutgoing: true', 'natOutgoing: false'));
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+natOutgoing: true$/m);
    expect(changed.stdout).toMatch(/^\+\s+natOutgoing: false$/m);
    const serverSide = await kubectl(['diff', '--server-side', '--force-conflicts', '-f', '-'], pool.replace('natOutgoing: true', 'natOutgoing: false'));
    expect(serverSide.code).toBe(1);
    expect(serverSide.stdout).toMatch(/^\+\s+natOutgoing: false$/m);
    expect((await cli(['get', 'ippool', 'docs-pool', '-o', 'yaml'])).stdout).toContain('natOutgoing: true');
    const explain = await kubectl(['explain', 'ippools.spec']);
    expect(explain.stderr).toBe('');
    expect(explain.stdout).toMatch(/^KIND:\s+IPPool$/m);
    expect(explain.stdout).toMatch(/^FIELD: spec <Object>$/m);
    expect(explain.stdout).toMatch(/^\s+cidr\s+<string> -required-$/m);
    expect(explain.stdout).toMatch(/^\s+vxlanMode\s+<string>$/m);
    const fromV2 = await kubectl(['explain', '--output', 'plaintext-openapiv2', 'ippools.spec']);
    expect(fromV2.stderr).toBe('');
    expect(fromV2.stdout).toMatch(/^RESOURCE: spec <Object>$/m);
    expect(fromV2.stdout).toMatch(/^\s+cidr\s+<string> -required-$/m);
  });

  it('calico-datastore get nodes lists the Nodes kubectl created; kubectl get nodes prints the real columns', async () => {
    const nodes = ['node-a', 'node-b'].map((n) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${n}\n  labels:\n    kubernetes.io/hostname: ${n}\n`).join('---\n');
    const created = await kubectl(['create', '-f', '-'], nodes);
    expect([created.code, created.stderr]).toEqual([0, '']);
    expect(lines(created.stdout)).toEqual(['node/node-a created', 'node/node-b created']);
    const table = await kubectl(['get', 'nodes']);
    expect(lines(table.stdout)[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines(table.stdout)[1]).toMatch(/^node-a\s+Unknown\s+<none>\s+\d+s$/);
    const res = await cli(['get', 'nodes']);
    expect(res.stderr).toBe('');
    expect(lines(res.stdout)).toEqual(['NAME', 'node-a', 'node-b']);
  });

  it.skipIf(!HAS_PYTHON_CLIENT)('the official Python client lists CRDs, reads nodes as a Table and watches CRs', async () => {
    const script = [
      'import json, sys',
      'from kubernetes import client, config, watch',
      'config.load_kube_config(sys.argv[1])',
      'out = {}',
      "out['crds'] = sorted(c.metadata.name for c in client.ApiextensionsV1Api().list_custom_resource_definition().items)",
      "out['established'] = all(any(c.type == 'Established' and c.status == 'True' for c in d.status.conditions) for d in client.ApiextensionsV1Api().list_custom_resource_definition().items)",
      'core = client.CoreV1Api()',
      "out['nodes'] = [n.metadata.name for n in core.list_node().items]",
      "t = core.api_client.call_api('/api/v1/nodes', 'GET', header_params={'Accept': 'application/json;as=Table;v=v1;g=meta.k8s.io'}, response_type='object', _return_http_data_only=True)",
      "out['columns'] = [c['name'] for c in t['columnDefinitions'] if c['priority'] == 0]",
      "out['watch'] = [(e['type'], e['object']['metadata']['name']) for e in watch.Watch().stream(client.CustomObjectsApi().list_cluster_custom_object, 'crd.projectcalico.org', 'v1', 'ippools', timeout_seconds=1)]",
      'print(json.dumps(out))',
    ].join('\n');
    const py = await run(PYTHON, ['-c', script, kubeconfig]);
    expect(py.stderr).toBe('');
    const out = JSON.parse(py.stdout) as Record<string, unknown>;
    expect(out.crds).toEqual(['clusterinformations', 'globalnetworkpolicies', 'ippools', 'networkpolicies', 'tiers'].map((p) => `${p}.crd.projectcalico.org`));
    expect(out.established).toBe(true);
    expect(out.nodes).toEqual(['node-a', 'node-b']);
    expect(out.columns).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(out.watch).toEqual([
      ['ADDED', 'docs-pool'],
      ['ADDED', 'lib-pool'],
    ]);
  });
});
