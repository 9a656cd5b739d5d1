import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDatastoreConfig, loadDatastoreConfig, parseCalicoAPIConfig } from '../../src/config.js';
import { ValidationError } from '../../src/errors.js';

const noFile = join(tmpdir(), 'calico-datastore-no-such-file.cfg');

function errorsOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('datastore configuration from the environment', () => {
  it('reads DATASTORE_TYPE=memory', () => {
    expect(loadDatastoreConfig({ env: { DATASTORE_TYPE: 'memory' }, defaultConfigFile: noFile })).toEqual({ datastoreType: 'memory' });
  });

  it('accepts etcdv2 and etcdv3 as the same etcd v3-API backend', () => {
    for (const t of ['etcdv2', 'etcdv3'] as const) {
      const cfg = loadDatastoreConfig({ env: { DATASTORE_TYPE: t, ETCD_ENDPOINTS: 'http://127.0.0.1:2379, https://10.0.0.2:2379' }, defaultConfigFile: noFile });
      expect(cfg).toEqual({ datastoreType: 'etcdv3', requestedType: t, etcdEndpoints: ['http://127.0.0.1:2379', 'https://10.0.0.2:2379'] });
    }
  });

  it('prefers CALICO_-prefixed variables', () => {
    const cfg = loadDatastoreConfig({ env: { CALICO_DATASTORE_TYPE: 'memory', DATASTORE_TYPE: 'kubernetes' }, defaultConfigFile: noFile });
    expect(cfg.datastoreType).toBe('memory');
  });

  it('defaults to etcdv3 when endpoints are set and to kubernetes otherwise', () => {
    expect(buildDatastoreConfig({ etcdEndpoints: 'http://127.0.0.1:2379' }).datastoreType).toBe('etcdv3');
    expect(buildDatastoreConfig({}).datastoreType).toBe('kubernetes');
  });

  it('reads the Kubernetes settings, including K8S_TOKEN and the legacy K8S_API_TOKEN', () => {
    const cfg = loadDatastoreConfig({
      env: {
        DATASTORE_TYPE: 'kubernetes',
        KUBECONFIG: '/a:/b',
        K8S_API_ENDPOINT: 'https://127.0.0.1:6443',
        K8S_CERT_FILE: '/c.pem',
        K8S_KEY_FILE: '/k.pem',
        K8S_CA_FILE: '/ca.pem',
        K8S_API_TOKEN: 'tok',
        K8S_INSECURE_SKIP_TLS_VERIFY: 'true',
      },
      defaultConfigFile: noFile,
    });
    expect(cfg).toEqual({
      datastoreType: 'kubernetes',
      kubeconfig: '/a:/b',
      k8sAPIEndpoint: 'https://127.0.0.1:6443',
      k8sCertFile: '/c.pem',
      k8sKeyFile: '/k.pem',
      k8sCAFile: '/ca.pem',
      k8sAPIToken: 'tok',
      k8sInsecureSkipTLSVerify: true,
    });
  });

  it('rejects an unknown datastore type naming the field', () => {
    const e = errorsOf(() => buildDatastoreConfig({ datastoreType: 'consul' }));
    expect(e.errors[0]?.path).toBe('datastoreType');
    expect(e.errors[0]?.message).toContain('unknown datastore type: consul');
  });

  it('requires endpoints for etcd and both halves of username/password', () => {
    expect(errorsOf(() => buildDatastoreConfig({ datastoreType: 'etcdv3' })).errors.map((f) => f.path)).toEqual(['etcdEndpoints']);
    const e = errorsOf(() => buildDatastoreConfig({ datastoreType: 'etcdv3', etcdEndpoints: 'http://h:2379', etcdUsername: 'u' }));
    expect(e.errors.map((f) => f.path)).toEqual(['etcdPassword']);
  });

  it('never echoes credentials embedded in endpoint URLs or passwords', () => {
    const e = errorsOf(() => buildDatastoreConfig({ datastoreType: 'etcdv3', etcdEndpoints: 'http://root:s3cret@h:2379', etcdUsername: 'u', etcdPassword: 'hunter2', etcdKey: 'x', etcdKeyFile: '/y' }));
    expect(e.message).not.toContain('s3cret');
    expect(e.message).not.toContain('hunter2');
    expect(e.errors.map((f) => f.path)).toEqual(['etcdEndpoints[0]', 'etcdKey', 'etcdCertFile']);
  });
});

describe('CalicoAPIConfig files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calico-cfg-'));

  it('reads a v3 file and ignores the environment when the file exists', () => {
    const file = join(dir, 'calicoctl.cfg');
    writeFileSync(file, 'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nmetadata: {}\nspec:\n  datastoreType: etcdv3\n  etcdEndpoints: http://127.0.0.1:2379\n');
    const cfg = loadDatastoreConfig({ configFile: file, env: { DATASTORE_TYPE: 'memory' } });
    expect(cfg).toEqual({ datastoreType: 'etcdv3', requestedType: 'etcdv3', etcdEndpoints: ['http://127.0.0.1:2379'] });
    expect(loadDatastoreConfig({ defaultConfigFile: file, env: { DATASTORE_TYPE: 'memory' } }).datastoreType).toBe('etcdv3');
  });

  it('is strict about unknown fields, apiVersion and kind', () => {
    const e = errorsOf(() => parseCalicoAPIConfig('{"apiVersion":"projectcalico.org/v4","kind":"Config","spec":{"datastoreType":"memory","etcdEndpoint":"x"}}'));
    expect(e.errors.map((f) => f.path)).toEqual(['apiVersion', 'kind', 'spec.etcdEndpoint']);
  });

  it('reports a YAML syntax error', () => {
    expect(errorsOf(() => parseCalicoAPIConfig('spec: [unclosed', 'bad.cfg')).message).toContain('syntax error in bad.cfg');
  });

  it('accepts a Calico 2.x file and maps scheme + authority to one endpoint', () => {
    const cfg = parseCalicoAPIConfig('apiVersion: v1\nkind: calicoApiConfig\nspec:\n  datastoreType: etcdv2\n  etcdScheme: http\n  etcdAuthority: 127.0.0.1:2379\n');
    expect(cfg).toEqual({ datastoreType: 'etcdv3', requestedType: 'etcdv2', etcdEndpoints: ['http://127.0.0.1:2379'] });
  });

  it('fails for an explicitly named file that does not exist', () => {
    expect(errorsOf(() => loadDatastoreConfig({ configFile: noFile })).message).toContain(`Error reading config file: ${noFile}`);
  });
});
