import { describe, expect, it } from 'vitest';
import { runCliProcess } from './support/run-cli.js';
import { poolYaml, tempFile } from './support/files.js';
import { getTlsFixtures } from '../support/tls-fixtures.js';

const memory = { DATASTORE_TYPE: 'memory' };

/** True when `text` holds a control character other than a line break. */
const hasControl = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n');

// Input reaches error messages through names, labels, arguments and file contents; every line on
// stderr stays short and free of raw control characters.
describe('CLI error output repeats input bounded and escaped', () => {
  it('a 1 MiB name with NUL bytes in a file', async () => {
    const name = `"${'a'.repeat(1 << 20)}\\0b"`;
    const file = tempFile('big.yaml', poolYaml(name, '10.0.0.0/16', '  natOutgoing: "\\0\\u001b[31m"\n'));
    const r = await runCliProcess(['apply', '-f', file], { env: memory });
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(10_000);
    expect(hasControl(r.stderr)).toBe(false);
    expect(r.stderr).toContain('more characters)');
  });

  it('a long argument with an escape sequence', async () => {
    const r = await runCliProcess(['get', 'ippool', `${'x'.repeat(100_000)}\u001b[2J`], { env: memory });
    expect(r.code).toBe(1);
    expect(r.stderr.length).toBeLessThan(1000);
    expect(hasControl(r.stderr)).toBe(false);
    const unknown = await runCliProcess([`frob\u001b[2J${'y'.repeat(100_000)}`], { env: memory });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.length).toBeLessThan(5000);
    expect(unknown.stderr).toMatch(/^unknown command "frob\\u001b\[2J/);
  });
});

describe('CLI configuration errors name the setting, never its content', () => {
  it('bad TLS material and credentials in an endpoint URL', async () => {
    const tls = getTlsFixtures();
    const badKey = tempFile('bad.key', '-----BEGIN PRIVATE KEY-----\n!!!SECRETSTUFF!!!\n-----END PRIVATE KEY-----\n');
    const etcd = { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'https://127.0.0.1:1' };
    const key = await runCliProcess(['get', 'ippools'], { env: { ...etcd, ETCD_CERT_FILE: tls.client.certFile, ETCD_KEY_FILE: badKey } });
    expect(key).toMatchObject({ code: 1, stdout: '' });
    expect(key.stderr).toBe('Failed to create Calico API client: ETCD_KEY_FILE: the file is not a PEM private key\n');
    const url = await runCliProcess(['get', 'ippools'], { env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: 'http://root:s3cret@127.0.0.1:1' } });
    expect(url.code).toBe(1);
    expect(url.stderr).toMatch(/^Failed to create Calico API client: ETCD_ENDPOINTS\[0\]: must not carry credentials/);
    expect(url.stderr).not.toContain('s3cret');
  });
});
