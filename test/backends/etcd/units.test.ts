/**
 * Parts of the etcd backend that need no server: configuration checks and redaction, the
 * client-config bridge, key layout, value encoding round trips (property-based), policy naming,
 * error mapping, and lazy loading of etcd3.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { decodeEntry, encodeValue } from '../../../src/backends/etcdv2/codec.js';
import { resolveEtcdConfig, redactEndpoint } from '../../../src/backends/etcdv2/config.js';
import { mapEtcdError, isTransient, isAmbiguous } from '../../../src/backends/etcdv2/errors.js';
import { etcdBackendConfigFrom } from '../../../src/backends/etcdv2/from-config.js';
import { etcdKey, kindInfo, parseEtcdKey, scanPlan, storedKey } from '../../../src/backends/etcdv2/keys.js';
import { namingModeForVersion, readPolicyName } from '../../../src/backends/policy-storage-names.js';
import { HostSkippedError, createHostPolicy } from '../../../src/backends/etcdv2/fault-policy.js';
import type { ValidationError } from '../../../src/errors.js';
import { isExpired, isUnauthorized, isUnavailable, isValidationError, ParseError } from '../../../src/errors.js';
import { rejectionOf } from './helpers.js';
import { thrownBy } from '../../support/thrown.js';
import { parseRevision, revisionText } from '../../../src/backends/etcdv2/context.js';

const PREFIX = '/calico/resources/v3/projectcalico.org/';

describe('configuration', () => {
  it('applies defaults and never puts secrets in the connection description', async () => {
    const { resolved, options } = await resolveEtcdConfig({ endpoints: ['http://127.0.0.1:2379'], username: 'calico', password: 's3cret' });
    expect(resolved).toMatchObject({ dialTimeoutMs: 10_000, callTimeoutMs: 1_000, retryWindowMs: 10_000, pageSize: 500, policyNaming: 'auto', datastoreType: 'etcdv3', tls: false });
    expect(resolved.describe).toBe('etcd at http://127.0.0.1:2379 (plaintext, password auth)');
    expect(options.auth).toEqual({ username: 'calico', password: 's3cret' });
    expect(redactEndpoint('https://a:b@h:1')).toBe('https://h:1');
  });

  it('tunes gRPC for bulk reads and leaves call deadlines to the shared timer', async () => {
    const { options } = await resolveEtcdConfig({ endpoints: ['http://127.0.0.1:2379'] });
    // A 256 KiB HTTP/2 window lets a watch replay or a list page stream without a window update
    // every ~100 objects; each connection is the client's own.
    expect(options.grpcOptions).toMatchObject({ 'grpc-node.flow_control_window': 256 * 1024, 'grpc.use_local_subchannel_pool': 1, 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    // No per-call gRPC deadline (call-deadlines.ts bounds every attempt instead).
    expect(options.defaultCallOptions).toBeUndefined();
  });

  it('uses password auth only when both username and password are given', async () => {
    expect((await resolveEtcdConfig({ endpoints: ['http://h:1'], username: 'calico' })).options.auth).toBeUndefined();
  });

  it('names each bad setting without its value', async () => {
    const e = await rejectionOf(resolveEtcdConfig({ endpoints: ['ftp://h', 'http://h:1'], callTimeoutMs: 0, pageSize: 1.5, key: 'PRIVATE-KEY-TEXT', policyNaming: 'x' as never }));
    expect(isValidationError(e)).toBe(true);
    expect((e as ValidationError).errors.map((f) => f.path)).toEqual(['endpoints[0]', 'callTimeoutMs', 'pageSize', 'policyNaming', 'key', 'endpoints']);
    expect((e as Error).message).not.toContain('PRIVATE-KEY-TEXT');
  });

  it('maps the client datastore configuration, keeping the etcdv2 name for the v2-data notice', () => {
    expect(
      etcdBackendConfigFrom({ datastoreType: 'etcdv3', requestedType: 'etcdv2', etcdEndpoints: ['https://h:2379'], etcdUsername: 'u', etcdPassword: '', etcdCACertFile: '/ca', etcdCert: 'C', etcdKey: 'K' }),
    ).toEqual({ endpoints: ['https://h:2379'], datastoreType: 'etcdv2', caCertFile: '/ca', cert: 'C', key: 'K' });
  });
});

describe('keys', () => {
  it('builds and parses Calico keys for cluster and namespaced kinds', () => {
    expect(etcdKey({ kind: 'WorkloadEndpoint', namespace: 'shop', name: 'n--1-k8s-p-eth0' })).toBe(`${PREFIX}workloadendpoints/shop/n--1-k8s-p-eth0`);
    expect(etcdKey({ kind: 'ClusterInformation', name: 'default' })).toBe(`${PREFIX}clusterinformations/default`);
    expect(parseEtcdKey(kindInfo('NetworkPolicy'), `${PREFIX}networkpolicies/shop/a`)).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'a' });
    expect(parseEtcdKey(kindInfo('NetworkPolicy'), `${PREFIX}networkpolicies/a`)).toBeUndefined();
    expect(parseEtcdKey(kindInfo('IPPool'), `${PREFIX}ippools/a/b`)).toBeUndefined();
    expect(parseEtcdKey(kindInfo('IPPool'), `${PREFIX}ippoolsx/a`)).toBeUndefined();
  });

  it('chooses Calico\'s range for each list shape', () => {
    expect(scanPlan({ kind: 'IPPool' })).toMatchObject({ key: `${PREFIX}ippools/`, prefix: true });
    expect(scanPlan({ kind: 'WorkloadEndpoint', namespace: 'ns' })).toMatchObject({ key: `${PREFIX}workloadendpoints/ns/`, prefix: true });
    expect(scanPlan({ kind: 'IPPool', name: 'a' })).toMatchObject({ key: `${PREFIX}ippools/a`, prefix: false });
    expect(scanPlan({ kind: 'WorkloadEndpoint', namespace: 'ns', name: 'n--1', namePrefix: true })).toMatchObject({ key: `${PREFIX}workloadendpoints/ns/n--1`, prefix: true });
    expect(scanPlan({ kind: 'WorkloadEndpoint', name: 'n--1', namePrefix: true })).toMatchObject({ key: `${PREFIX}workloadendpoints/`, nameStartsWith: 'n--1' });
    expect(scanPlan({ kind: 'NetworkPolicy', namespace: 'ns', name: 'p' })).toMatchObject({ key: `${PREFIX}networkpolicies/ns/`, nameEquals: 'p' });
  });

  it('round-trips every valid key (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,30}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.constantFrom('IPPool', 'NetworkPolicy', 'WorkloadEndpoint', 'Tier', 'GlobalNetworkPolicy'), segment, segment, (kind, ns, name) => {
        const info = kindInfo(kind);
        const key = info.namespaced ? { kind, namespace: ns, name } : { kind, name };
        expect(parseEtcdKey(info, etcdKey(key))).toEqual(key);
      }),
    );
  });

  it('storedKey() gives what parsing the etcd key back gives, for any key etcdKey() accepts (property)', () => {
    const segment = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/'));
    fc.assert(
      fc.property(fc.constantFrom('IPPool', 'NetworkPolicy', 'WorkloadEndpoint', 'Tier', 'GlobalNetworkPolicy', 'HostEndpoint'), segment, segment, fc.boolean(), (kind, ns, name, extraNamespace) => {
        const info = kindInfo(kind);
        const key = info.namespaced ? { kind, namespace: ns, name } : extraNamespace ? { kind, name, namespace: '' } : { kind, name };
        expect(storedKey(info, key)).toEqual(parseEtcdKey(info, etcdKey(key)));
      }),
    );
    expect(storedKey(kindInfo('IPPool'), { kind: 'IPPool', name: 'a%2fb%25c' })).toEqual({ kind: 'IPPool', name: 'a/b%c' });
  });
});

describe('revisions given by callers', () => {
  it('are checked and returned in canonical decimal form; empty and "0" mean latest', () => {
    expect(revisionText(undefined, 'revision')).toBeUndefined();
    expect(revisionText('', 'revision')).toBeUndefined();
    expect(revisionText('0', 'revision')).toBeUndefined();
    expect(revisionText('8134', 'revision')).toBe('8134');
    expect(revisionText('0042', 'revision')).toBe('42');
    expect(revisionText('00', 'revision')).toBe('0');
    expect(parseRevision('0042', 'revision')).toBe(42n);
    for (const bad of ['abc', '-1', '1e3', ' 1', '12345678901234567890']) {
      const e = thrownBy(() => revisionText(bad, 'metadata.resourceVersion'), isValidationError, 'ValidationError');
      expect(e.errors[0]?.path).toBe('metadata.resourceVersion');
    }
  });
});

describe('values', () => {
  const json = fc.jsonValue({ maxDepth: 3 });
  const meta = fc.record(
    {
      uid: fc.uuid(),
      labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/)),
      annotations: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string()),
      creationTimestamp: fc.constantFrom('2025-03-01T09:00:00Z', null),
    },
    { requiredKeys: [] },
  );

  it('decode(encode(v)) gives v back with its revision, unknown fields included (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('IPPool', 'NetworkPolicy', 'GlobalNetworkPolicy'), meta, fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,10}$/), json), json, (kind, m, spec, extra) => {
        const info = kindInfo(kind);
        const key = info.namespaced ? { kind, namespace: 'ns', name: 'obj' } : { kind, name: 'obj' };
        const value = { apiVersion: 'projectcalico.org/v3', kind, metadata: { ...m, name: 'obj', resourceVersion: '5' }, spec, futureTopLevel: extra } as ResourceObject;
        const enc = encodeValue(info, key, value, 'current');
        const stored = JSON.parse(enc.text) as ResourceObject;
        expect(stored.metadata.resourceVersion).toBeUndefined();
        const back = decodeEntry(info, enc.etcdKey, enc.text, '42');
        const expected = JSON.parse(JSON.stringify({ ...value, metadata: { ...value.metadata, resourceVersion: '42', ...(info.namespaced ? { namespace: 'ns' } : {}) } }));
        // Policies carry the metadata annotation in storage; reads remove it, and an emptied map with it.
        if (info.policy && Object.keys(expected.metadata.annotations ?? { x: 1 }).length === 0) delete expected.metadata.annotations;
        expect(back?.value).toEqual(expected);
        expect(back?.revision).toBe('42');
      }),
    );
  });

  it('a stored value never leaks into a ParseError (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12 }), (text) => {
        try {
          decodeEntry(kindInfo('IPPool'), `${PREFIX}ippools/x`, `{"spec":"${text}`, '1');
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
          expect((e as Error).message.includes(text)).toBe(false);
        }
      }),
    );
  });
});

describe('policy names', () => {
  it.each([
    ['v3.32.0', 'current'],
    ['v3.33.1', 'current'],
    ['v4.0.0', 'current'],
    ['v3.31.0', 'legacy-annotated'],
    ['v3.30.3', 'legacy-annotated'],
    ['v3.29.0', 'legacy-plain'],
    ['v2.6.5', 'legacy-plain'],
    ['', 'current'],
    ['master', 'current'],
  ])('calicoVersion %s → %s', (version, mode) => {
    expect(namingModeForVersion(version)).toBe(mode);
  });

  it('reads the annotation first, else strips one default. for the default tier only', () => {
    const meta = (name: string, annotation?: string) => ({ name, ...(annotation ? { annotations: { 'projectcalico.org/metadata': annotation, keep: 'x' } } : {}) });
    const m1 = meta('default.x', '{"name":"x"}');
    expect(readPolicyName(m1, { tier: 'default' })).toBe('x');
    expect(m1.annotations).toEqual({ keep: 'x' });
    expect(readPolicyName(meta('default.default.x'), {})).toBe('default.x');
    expect(readPolicyName(meta('default.x'), { tier: 'sec' })).toBe('default.x');
    expect(readPolicyName(meta('default.x', '[]'), {})).toEqual({ problem: 'annotation projectcalico.org/metadata is not a JSON object' });
  });
});

describe('error mapping', () => {
  class GRPCOutOfRangeError extends Error {}
  class EtcdAuthenticationFailedError extends Error {}
  class GRPCDeadlineExceededError extends Error {}
  class GRPCInvalidArgumentError extends Error {}
  class ClientClosedError extends Error {}

  it('maps etcd3 failures to the typed family in one place', () => {
    const ctx = { operation: 'Get', identifier: { kind: 'IPPool', name: 'a' }, connection: 'etcd at http://h:1 (plaintext)' };
    expect(isExpired(mapEtcdError(new GRPCOutOfRangeError('etcdserver: mvcc: required revision has been compacted'), ctx))).toBe(true);
    expect(isUnauthorized(mapEtcdError(new EtcdAuthenticationFailedError('etcdserver: authentication failed, invalid user ID or password'), ctx))).toBe(true);
    const deadline = mapEtcdError(new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded'), ctx);
    expect(isUnavailable(deadline)).toBe(true);
    expect(deadline.message).toBe('Get IPPool(a): etcd call failed (etcd at http://h:1 (plaintext)): 4 DEADLINE_EXCEEDED: Deadline exceeded');
    expect(isValidationError(mapEtcdError(new GRPCInvalidArgumentError('etcdserver: request is too large'), ctx))).toBe(true);
    expect(isTransient(new GRPCDeadlineExceededError('x'))).toBe(true);
    expect(isAmbiguous(new GRPCDeadlineExceededError('x'))).toBe(true);
    expect(isTransient(new HostSkippedError())).toBe(true);
    expect(isAmbiguous(new HostSkippedError())).toBe(false);
    expect(isTransient(new ClientClosedError('closed'))).toBe(false);
    expect(isTransient(new GRPCOutOfRangeError('compacted'))).toBe(false);
  });

  it('the host breaker skips a member after two connection failures and lets one probe through later', async () => {
    class GRPCUnavailableError extends Error {}
    const policy = createHostPolicy({ threshold: 2, openMs: 50 });
    const down = () => Promise.reject(new GRPCUnavailableError('14 UNAVAILABLE'));
    await expect(policy.execute(down)).rejects.toBeInstanceOf(GRPCUnavailableError);
    await expect(policy.execute(down)).rejects.toBeInstanceOf(GRPCUnavailableError);
    await expect(policy.execute(() => Promise.resolve(1))).rejects.toBeInstanceOf(HostSkippedError);
    await new Promise((r) => setTimeout(r, 60));
    await expect(policy.execute(() => Promise.resolve(2))).resolves.toBe(2);
    await expect(policy.execute(() => Promise.resolve(3))).resolves.toBe(3);
  });

  it('the host breaker re-opens after a failed probe, skips calls while a probe is out, and counts a call that throws', async () => {
    class GRPCUnavailableError extends Error {}
    const policy = createHostPolicy({ threshold: 2, openMs: 40 });
    const throwsAtOnce = () => {
      throw new GRPCUnavailableError('14 UNAVAILABLE');
    };
    await expect(policy.execute(throwsAtOnce)).rejects.toBeInstanceOf(GRPCUnavailableError);
    await expect(policy.execute(throwsAtOnce)).rejects.toBeInstanceOf(GRPCUnavailableError);
    await expect(policy.execute(() => 1)).rejects.toBeInstanceOf(HostSkippedError);
    await new Promise((r) => setTimeout(r, 50));
    // The probe fails: open again at once, no second probe.
    await expect(policy.execute(throwsAtOnce)).rejects.toBeInstanceOf(GRPCUnavailableError);
    await expect(policy.execute(() => 2)).rejects.toBeInstanceOf(HostSkippedError);
    await new Promise((r) => setTimeout(r, 50));
    // While a probe is out, other calls are skipped; its success closes the breaker.
    let answer!: (v: string) => void;
    const probe = policy.execute(() => new Promise<string>((resolve) => (answer = resolve)));
    await expect(policy.execute(() => 'not while probing')).rejects.toBeInstanceOf(HostSkippedError);
    answer('probe answered');
    await expect(probe).resolves.toBe('probe answered');
    await expect(policy.execute(() => 'closed again')).resolves.toBe('closed again');
  });
});

describe('lazy loading', () => {
  it('importing the backend module loads neither etcd3 nor gRPC; creating a backend does', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const req = createRequire(process.cwd() + '/x.js');
      const loaded = () => Object.keys(req.cache).filter((k) => /node_modules\\/(etcd3|@grpc)\\//.test(k)).length;
      const { createEtcdBackend } = await import('./src/backends/etcdv2/index.ts');
      const before = loaded();
      await createEtcdBackend({ endpoints: ['http://127.0.0.1:1'], dialTimeoutMs: 50 }).catch(() => undefined);
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 30_000 });
    const { before, after } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { before: number; after: number };
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
