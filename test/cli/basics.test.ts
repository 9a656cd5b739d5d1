import { describe, expect, it } from 'vitest';
import { runCliProcess } from './support/run-cli.js';
import { poolYaml, tempFile } from './support/files.js';

// Help, versions, flags, configuration and offline validation: no datastore needed.
describe('CLI basics', () => {
  it('prints program and command help, exit 0', async () => {
    const top = await runCliProcess(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['create', 'apply', 'replace', 'delete', 'get', 'patch', 'label', 'validate', 'version', 'datastore migrate export', 'datastore migrate import']) {
      expect(top.stdout).toContain(`  ${c} `);
    }
    const get = await runCliProcess(['get', '--help']);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('Usage: calico-datastore get (KIND [NAME...] | -f FILE) [options]');
    expect(get.stdout).toMatch(/-o, --output FORMAT +ps \(default\), wide/);
    const group = await runCliProcess(['datastore', 'migrate', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('datastore migrate lock');
    for (const c of ['create', 'apply', 'replace', 'delete', 'patch', 'label', 'validate', 'version']) {
      const r = await runCliProcess([c, '-h']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: calico-datastore ${c}`);
    }
  });

  it('rejects unknown commands, unknown flags, unknown kinds and log levels with one line and exit 1', async () => {
    expect(await runCliProcess(['frobnicate'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^unknown command "frobnicate"\n/) });
    const flag = await runCliProcess(['get', 'nodes', '--frob']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/Unknown option '--frob'/);
    expect(await runCliProcess(['get', 'gadgets'], { env: { DATASTORE_TYPE: 'memory' } })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^resource type 'gadgets' is not supported\n/) });
    expect(await runCliProcess(['get', 'nodes', '-l', 'loud'])).toMatchObject({
      code: 1,
      stderr: 'unknown log level: loud, expected one of: panic, fatal, error, warn, info, debug\n',
    });
    expect(await runCliProcess(['get', 'nodes', '-o', 'xml'], { env: { DATASTORE_TYPE: 'memory' } })).toMatchObject({ code: 1, stderr: "unrecognized output format 'xml'\n" });
    expect(await runCliProcess(['get', 'nodes', '-o', 'go-template={{.}}'], { env: { DATASTORE_TYPE: 'memory' } })).toMatchObject({
      code: 1,
      stderr: 'output format go-template is not supported\n',
    });
  });

  it('takes flags before the command as calicoctl does (-c FILE get ippools, --log-level, --context)', async () => {
    const cfg = tempFile('calicoctl.cfg', 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: memory\n');
    const broken = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://127.0.0.1:1' };
    const table = 'NAME   CIDR   SELECTOR   \n\n';
    for (const args of [
      ['-c', cfg, 'get', 'ippools'],
      ['--config', cfg, 'get', 'ippools'],
      [`--config=${cfg}`, '--log-level', 'debug', 'get', 'ippools'],
      ['-l', 'info', '--context', 'other', '--allow-version-mismatch', '-c', cfg, 'get', 'ippools'],
      ['-o', 'ps', '-c', cfg, 'get', 'ippools'],
    ]) {
      expect(await runCliProcess(args, { env: broken }), args.join(' ')).toMatchObject({ code: 0, stdout: table, stderr: '' });
    }
    expect(await runCliProcess(['-l', 'debug', 'version', '--client'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Client Version:/) });
    // Still checked against the command: a flag it does not take, and a wrong log level.
    expect(await runCliProcess(['-o', 'yaml', 'version', '--client'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown option '-o'/) });
    expect(await runCliProcess(['-l', 'loud', 'get', 'nodes'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^unknown log level: loud/) });
  });

  it('prints the client version', async () => {
    const r = await runCliProcess(['version', '--client']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client Version: {4}v0\.\d+\.\d+\nGit commit: {8}\S+\n$/);
  });

  it('follows calicoctl config precedence: an existing default file hides the environment', async () => {
    const cfg = tempFile('calicoctl.cfg', 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: memory\n');
    const r = await runCliProcess(['get', 'ippools'], { env: { CALICO_DATASTORE_DEFAULT_CONFIG: cfg, DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://127.0.0.1:1' } });
    expect(r).toMatchObject({ code: 0, stdout: 'NAME   CIDR   SELECTOR   \n\n' });
    const missing = await runCliProcess(['get', 'ippools', '--config', '/nonexistent/x.cfg'], { env: { DATASTORE_TYPE: 'memory' } });
    expect(missing).toMatchObject({ code: 1, stderr: 'Failed to create Calico API client: Error reading config file: /nonexistent/x.cfg\n' });
    const bad = await runCliProcess(['get', 'ippools'], { env: { DATASTORE_TYPE: 'cassandra' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Failed to create Calico API client: .*unknown datastore type: cassandra/);
  });

  it('reads CALICO_-prefixed variables first and falls back to etcd when only endpoints are set', async () => {
    const r = await runCliProcess(['get', 'ippools'], { env: { CALICO_DATASTORE_TYPE: 'memory', DATASTORE_TYPE: 'cassandra' } });
    expect(r.code).toBe(0);
    const etcd = await runCliProcess(['get', 'ippools'], { env: { ETCD_ENDPOINTS: 'http://127.0.0.1:1' }, timeoutMs: 60_000 });
    expect(etcd.code).toBe(1);
    expect(etcd.stderr).toMatch(/etcd|127\.0\.0\.1:1|unavailable|connect/i);
  }, 60_000);

  it('never prints credentials', async () => {
    const env = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://127.0.0.1:1', ETCD_USERNAME: 'root', ETCD_PASSWORD: 'hunter2-secret' };
    for (const args of [['get', 'ippools'], ['get', 'ippools', '--debug'], ['create', '-f', tempFile('p.yaml', poolYaml('p', '10.9.0.0/16'))]]) {
      const r = await runCliProcess(args, { env });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
    }
    const inUrl = await runCliProcess(['get', 'ippools'], { env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://root:hunter2-secret@127.0.0.1:1' } });
    expect(inUrl.code).toBe(1);
    expect(inUrl.stdout + inUrl.stderr).not.toContain('hunter2-secret');
    const token = await runCliProcess(['get', 'ippools'], { env: { DATASTORE_TYPE: 'kubernetes', K8S_API_ENDPOINT: 'http://127.0.0.1:1', K8S_TOKEN: 'tok-hunter2-secret' } });
    expect(token.code).toBe(1);
    expect(token.stdout + token.stderr).not.toContain('hunter2-secret');
  }, 120_000);

  it('validates offline and reports each invalid resource', async () => {
    const file = tempFile('v.yaml', [poolYaml('ok-1', '10.0.0.0/16'), poolYaml('Bad_Name', '10.1.0.0/16'), poolYaml('ok-2', '10.2.0.0/16')].join('---\n'));
    const r = await runCliProcess(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Partial success: validated the first 2 out of 3 'IPPool' resources:\n");
    expect(r.stderr).toMatch(/^hit error: \[error with field metadata\.name/);
    const good = await runCliProcess(['validate', '-f', tempFile('g.yaml', poolYaml('ok-1', '10.0.0.0/16'))]);
    expect(good).toMatchObject({ code: 0, stdout: "Successfully validated 1 'IPPool' resource(s)\n" });
  });

  it('treats an empty input as nothing to do only with --skip-empty', async () => {
    const empty = tempFile('empty.yaml', '# nothing here\n');
    const r = await runCliProcess(['create', '-f', empty], { env: { DATASTORE_TYPE: 'memory' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^failed to execute command: no resources specified in file /);
    expect(await runCliProcess(['create', '-f', empty, '--skip-empty'], { env: { DATASTORE_TYPE: 'memory' } })).toMatchObject({ code: 0, stdout: 'No resources specified\n' });
  });

  it('works on the memory datastore within one invocation', async () => {
    const file = tempFile('m.yaml', poolYaml('mem', '10.50.0.0/16'));
    expect(await runCliProcess(['apply', '-f', file], { env: { DATASTORE_TYPE: 'memory' } })).toMatchObject({ code: 0 });
  });
});
