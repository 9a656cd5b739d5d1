import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer } from '../fake-apiserver/index.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { runCliProcess } from './support/run-cli.js';
import { tempFile } from './support/files.js';

const CLIENT_LINES = /^Client Version: {4}v\d+\.\d+\.\d+\nGit commit: {8}\S+\n/;

let server: Awaited<ReturnType<typeof startFakeApiServer>>;
let etcd: EtcdHandle;
beforeAll(async () => {
  [server, etcd] = await Promise.all([startFakeApiServer({ auth: { tokens: { 'good-token': 'admin' } } }), startEtcd()]);
  const endpoint = etcd.endpoints[0] as string;
  const etcdctl = (args: string[]): void => {
    execFileSync('etcdctl', ['--endpoints', endpoint, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: 'ignore', timeout: 20_000 });
  };
  etcdctl(['user', 'add', 'root:root-pw']);
  etcdctl(['user', 'grant-role', 'root', 'root']);
  etcdctl(['auth', 'enable']);
}, 60_000);
afterAll(async () => {
  await Promise.all([server?.close(), etcd?.stop()]);
});

describe('version against a cluster', () => {
  const kube = (token: string) => ({ DATASTORE_TYPE: 'kubernetes', KUBECONFIG: tempFile('kubeconfig', server.kubeconfigYaml({ token })) });

  it('a refused token or password is an authentication failure, exit 1, as calicoctl fails', async () => {
    const k8s = await runCliProcess(['version'], { env: kube('wrong-token') });
    expect(k8s.code).toBe(1);
    expect(k8s.stdout).toMatch(new RegExp(`${CLIENT_LINES.source}$`));
    // (Discovery refused with 401 is also reported as a process warning before it.)
    expect(k8s.stderr).toMatch(/^unable to retrieve Cluster Version or Type: authentication failed: .*401 Unauthorized\)$/m);
    expect(k8s.stderr).not.toContain('wrong-token');
    const etcdEnv = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(','), ETCD_USERNAME: 'root', ETCD_PASSWORD: 'not-the-password' };
    const r = await runCliProcess(['version'], { env: etcdEnv });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^unable to retrieve Cluster Version or Type: authentication failed: .*etcd rejected the credentials/);
    expect(r.stderr).not.toContain('not-the-password');
  });

  it('a cluster without ClusterInformation is a failure too; with it, the versions (unknown when empty)', async () => {
    const missing = await runCliProcess(['version'], { env: kube('good-token') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('unable to retrieve Cluster Version or Type: resource does not exist: ClusterInformation(default)\n');
    server.store.seed({ apiVersion: 'crd.projectcalico.org/v1', kind: 'ClusterInformation', metadata: { name: 'default' }, spec: { calicoVersion: 'v3.31.2' } });
    const found = await runCliProcess(['version'], { env: kube('good-token') });
    expect(found).toMatchObject({ code: 0, stderr: '' });
    expect(found.stdout).toMatch(new RegExp(`${CLIENT_LINES.source}Cluster Version: {3}v3\\.31\\.2\\nCluster Type: {6}unknown\\n$`));
  });
});
