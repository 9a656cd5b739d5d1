/**
 * Datastore addresses and TLS material are checked before anything connects, by one rule
 * wherever they come from (environment, CalicoAPIConfig file, configuration object, backend
 * settings), and errors name the setting as its source spells it — never its content.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client.js';
import { loadDatastoreConfig, parseCalicoAPIConfig } from '../../src/config.js';
import { isValidationError, type ValidationError } from '../../src/errors.js';
import { createEtcdBackend } from '../../src/backends/etcdv2/index.js';
import { createKubernetesBackend } from '../../src/backends/k8s/index.js';
import { getTlsFixtures } from '../support/tls-fixtures.js';

const noFile = '/nonexistent/calicoctl.cfg';
const dir = mkdtempSync(join(tmpdir(), 'cd-tls-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function thrown(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    if (isValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

async function rejected(run: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await run();
  } catch (e) {
    if (isValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const fields = (e: ValidationError): [string, string][] => e.errors.map((f) => [f.path, f.message]);

describe('endpoint URLs: one rule everywhere', () => {
  const url = 'http://root:s3cret@127.0.0.1:2379';
  const credentials = /must not carry credentials/;

  it('the environment and files', () => {
    const env = thrown(() => loadDatastoreConfig({ env: { ETCD_ENDPOINTS: `http://127.0.0.1:2379,${url}` }, defaultConfigFile: noFile }));
    expect(env.errors.map((f) => f.path)).toEqual(['ETCD_ENDPOINTS[1]']);
    expect(env.errors[0]?.message).toMatch(credentials);
    const cfg = file('creds.cfg', `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  etcdEndpoints: ${url}\n`);
    expect(thrown(() => loadDatastoreConfig({ configFile: cfg })).errors.map((f) => f.path)).toEqual(['spec.etcdEndpoints[0]']);
    const k8s = thrown(() => loadDatastoreConfig({ env: { DATASTORE_TYPE: 'kubernetes', K8S_API_ENDPOINT: 'https://admin:s3cret@10.0.0.1:6443' }, defaultConfigFile: noFile }));
    expect(k8s.errors.map((f) => f.path)).toEqual(['K8S_API_ENDPOINT']);
    for (const e of [env, k8s]) expect(e.message).not.toContain('s3cret');
  });

  it('a configuration object given to createClient, refused on first use without connecting', async () => {
    const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: [url] });
    const e = await rejected(() => client.ipPools.list());
    expect(e.errors.map((f) => f.path)).toEqual(['etcdEndpoints[0]']);
    expect(e.errors[0]?.message).toMatch(credentials);
    expect(e.message).not.toContain('s3cret');
    await client.close();
  });

  it('the backends’ own settings', async () => {
    const etcd = await rejected(() => createEtcdBackend({ endpoints: [url] }));
    expect(etcd.errors.map((f) => f.path)).toEqual(['endpoints[0]']);
    expect(etcd.message).not.toContain('s3cret');
    const k8s = await rejected(() => createKubernetesBackend({ datastoreType: 'kubernetes', k8sAPIEndpoint: 'https://admin:s3cret@10.0.0.1:6443' }));
    expect(k8s.errors.map((f) => f.path)).toEqual(['k8sAPIEndpoint']);
    expect(k8s.errors[0]?.message).toMatch(credentials);
    expect(k8s.message).not.toContain('s3cret');
  });
});

describe('TLS material errors name the setting, never the content', () => {
  const tls = getTlsFixtures();
  const brokenKey = '-----BEGIN PRIVATE KEY-----\n!!!SECRETSTUFF!!!\n-----END PRIVATE KEY-----\n';
  const truncatedCert = `${tls.client.cert.slice(0, 120)}\n-----END CERTIFICATE-----\n`;
  const encryptedKey = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' } }).privateKey;
  const files = {
    brokenKey: file('broken.key', brokenKey),
    truncatedCert: file('truncated.crt', truncatedCert),
    encryptedKey: file('encrypted.key', encryptedKey),
    notCa: file('not-a-ca.pem', 'hello SECRETSTUFF\n'),
  };
  const env = (extra: Record<string, string>) => ({ DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'https://127.0.0.1:2379', ...extra });
  const noContent = (e: ValidationError): void => {
    expect(e.message).not.toMatch(/SECRETSTUFF|BEGIN|routines|ERR_OSSL/);
  };

  it('from the environment: the variable', () => {
    const cases: [Record<string, string>, [string, RegExp][]][] = [
      [{ ETCD_CERT_FILE: tls.client.certFile, ETCD_KEY_FILE: files.brokenKey }, [['ETCD_KEY_FILE', /^the file is not a PEM private key$/]]],
      [{ ETCD_CERT_FILE: files.truncatedCert, ETCD_KEY_FILE: tls.client.keyFile }, [['ETCD_CERT_FILE', /^the file is not a PEM certificate/]]],
      [{ ETCD_CERT_FILE: tls.client.certFile, ETCD_KEY_FILE: files.encryptedKey }, [['ETCD_KEY_FILE', /encrypted private key/]]],
      [{ ETCD_CERT_FILE: tls.client.certFile, ETCD_KEY_FILE: tls.rogueClient.keyFile }, [['ETCD_KEY_FILE', /does not belong to the client certificate \(ETCD_CERT_FILE\)/]]],
      [{ CALICO_ETCD_CA_CERT_FILE: files.notCa }, [['CALICO_ETCD_CA_CERT_FILE', /holds no PEM certificate/]]],
      [{ ETCD_CA_CERT_FILE: join(dir, 'missing.pem') }, [['ETCD_CA_CERT_FILE', /^cannot read the file \(ENOENT\)$/]]],
    ];
    for (const [extra, expected] of cases) {
      const e = thrown(() => loadDatastoreConfig({ env: env(extra), defaultConfigFile: noFile }));
      expect(fields(e).map(([p]) => p)).toEqual(expected.map(([p]) => p));
      expected.forEach(([, m], i) => expect(e.errors[i]?.message).toMatch(m));
      noContent(e);
    }
    expect(loadDatastoreConfig({ env: env({ ETCD_CA_CERT_FILE: tls.ca.certFile, ETCD_CERT_FILE: tls.client.certFile, ETCD_KEY_FILE: tls.client.keyFile }), defaultConfigFile: noFile }).datastoreType).toBe('etcdv3');
  });

  it('from a file: spec.<field>, inline or file', () => {
    const inline = `apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  etcdEndpoints: https://127.0.0.1:2379\n  etcdCert: ${JSON.stringify(tls.client.cert)}\n  etcdKey: ${JSON.stringify(brokenKey)}\n`;
    const e = thrown(() => loadDatastoreConfig({ configFile: file('inline.cfg', inline) }));
    expect(fields(e)).toEqual([['spec.etcdKey', 'the value is not a PEM private key']]);
    noContent(e);
    // parseCalicoAPIConfig only parses; the material is checked when the configuration is loaded or used.
    expect(parseCalicoAPIConfig(inline).datastoreType).toBe('etcdv3');
  });

  it('from a configuration object or the backend settings: their own names', async () => {
    const client = createClient({ datastoreType: 'etcdv3', etcdEndpoints: ['https://127.0.0.1:2379'], etcdCert: tls.client.cert, etcdKey: brokenKey });
    const fromClient = await rejected(() => client.ipPools.list());
    expect(fields(fromClient)).toEqual([['etcdKey', 'the value is not a PEM private key']]);
    noContent(fromClient);
    await client.close();
    const fromBackend = await rejected(() => createEtcdBackend({ endpoints: ['https://127.0.0.1:2379'], certFile: files.truncatedCert, keyFile: tls.client.keyFile, caCertFile: files.notCa }));
    expect(fields(fromBackend).map(([p]) => p)).toEqual(['caCertFile', 'certFile']);
    noContent(fromBackend);
  });
});

describe('Kubernetes TLS files are checked the same way', () => {
  const tls = getTlsFixtures();
  const notCa = file('k8s-not-a-ca.pem', 'hello\n');
  it('when the backend is created, naming the setting', async () => {
    const base = { datastoreType: 'kubernetes' as const, k8sAPIEndpoint: 'https://127.0.0.1:6443' };
    expect(fields(await rejected(() => createKubernetesBackend({ ...base, k8sCAFile: notCa })))).toEqual([['k8sCAFile', 'the file holds no PEM certificate']]);
    const mismatch = await rejected(() => createKubernetesBackend({ ...base, k8sCertFile: tls.client.certFile, k8sKeyFile: tls.rogueClient.keyFile }));
    expect(fields(mismatch)).toEqual([['k8sKeyFile', 'the private key does not belong to the client certificate (k8sCertFile)']]);
  });
});
