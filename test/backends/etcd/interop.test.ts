/**
 * Interoperability with Calico's own etcd data: what the backend writes has Calico's exact key
 * layout and value shape (read back with a plain etcd3 client), and what Calico writes (Go
 * encoding quirks, legacy `default.` policy names, the metadata annotation) reads correctly.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceObject } from '../../../src/backends/backend.js';
import { isAlreadyExists, isNotSupported } from '../../../src/errors.js';
import { ipPool, networkPolicy, PREFIX, rawJson, rejectionOf, tap, unique, useEtcd } from './helpers.js';

const fx = useEtcd();

describe('what the backend writes', () => {
  it('an IPPool is one key with the complete v3 object, no resourceVersion, and the key mod_revision as revision', async () => {
    const b = await fx.backend();
    const name = unique('pool');
    const created = await b.create({ key: { kind: 'IPPool', name }, value: { ...ipPool(name), metadata: { ...ipPool(name).metadata, resourceVersion: '99', labels: { env: 'prod' } } } });
    const raw = await fx.raw().get(`${PREFIX}ippools/${name}`).exec();
    const kv = raw.kvs[0];
    expect(kv).toBeDefined();
    expect(created.revision).toBe(kv?.mod_revision);
    expect(created.value.metadata.resourceVersion).toBe(kv?.mod_revision);
    const stored = JSON.parse(kv?.value.toString() ?? '{}') as ResourceObject;
    expect(stored).toEqual({
      kind: 'IPPool',
      apiVersion: 'projectcalico.org/v3',
      metadata: { name, uid: `uid-${name}`, creationTimestamp: '2025-03-01T09:00:00Z', labels: { env: 'prod' } },
      spec: ipPool(name).spec,
    });
    expect(Object.keys(stored)).toEqual(['kind', 'apiVersion', 'metadata', 'spec']);
    const keys = await fx.raw().getAll().prefix(`${PREFIX}ippools/${name}`).keys();
    expect(keys).toEqual([`${PREFIX}ippools/${name}`]);
  });

  it('a NetworkPolicy is stored under its namespace with the v3 name annotation, which reads hide', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    const created = await b.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' }, value: networkPolicy(ns, 'allow-web') });
    const stored = await rawJson(fx.raw(), `${PREFIX}networkpolicies/${ns}/allow-web`);
    expect(stored?.metadata).toEqual({
      name: 'allow-web',
      namespace: ns,
      uid: `uid-${ns}-allow-web`,
      creationTimestamp: '2025-03-01T09:00:00Z',
      annotations: { 'projectcalico.org/metadata': '{"name":"allow-web"}' },
    });
    expect(created.value.metadata.annotations).toBeUndefined();
    const got = await b.get({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' });
    expect(got.value.metadata.annotations).toBeUndefined();
    expect(got.value.metadata.name).toBe('allow-web');
    expect(got.key).toEqual({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' });
  });

  it('caller annotations are kept next to the metadata annotation, whose caller value is replaced', async () => {
    const b = await fx.backend();
    const name = unique('gnp');
    const value = { ...networkPolicy('x', name), kind: 'GlobalNetworkPolicy' };
    value.metadata = { name, annotations: { team: 'net', 'projectcalico.org/metadata': '{"name":"spoofed"}' } };
    const created = await b.create({ key: { kind: 'GlobalNetworkPolicy', name }, value });
    const stored = await rawJson(fx.raw(), `${PREFIX}globalnetworkpolicies/${name}`);
    expect((stored?.metadata as ResourceObject['metadata']).annotations).toEqual({ team: 'net', 'projectcalico.org/metadata': JSON.stringify({ name }) });
    expect(created.value.metadata).toMatchObject({ name, annotations: { team: 'net' } });
  });

  it('a WorkloadEndpoint key carries its namespace', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    const name = 'worker--1-k8s-cart--7f9-eth0';
    await b.create({
      key: { kind: 'WorkloadEndpoint', namespace: ns, name },
      value: { apiVersion: 'projectcalico.org/v3', kind: 'WorkloadEndpoint', metadata: { name, namespace: ns }, spec: { node: 'worker-1', pod: 'cart-7f9', endpoint: 'eth0' } },
    });
    expect(await fx.raw().get(`${PREFIX}workloadendpoints/${ns}/${name}`).exists()).toBe(true);
  });
});

describe('what Calico writes', () => {
  it('reads Go-encoded values (null creationTimestamp, empty status, unknown fields) and writes unknown fields back unchanged', async () => {
    const b = await fx.backend();
    const name = unique('node');
    const goJson =
      `{"kind":"Node","apiVersion":"projectcalico.org/v3","metadata":{"name":"${name}","uid":"0c1f","creationTimestamp":null},` +
      `"spec":{"bgp":{"ipv4Address":"10.0.0.1/24"},"futureField":{"x":1},"orchRefs":[{"orchestrator":"k8s","nodeName":"${name}"}]},"status":{}}`;
    await fx.raw().put(`${PREFIX}nodes/${name}`).value(goJson);
    const got = await b.get({ kind: 'Node', name });
    expect(got.value.metadata).toMatchObject({ name, uid: '0c1f', creationTimestamp: null });
    expect(got.value.spec).toMatchObject({ futureField: { x: 1 } });
    expect(got.value.status).toEqual({});
    const updated = await b.update({ ...got, value: { ...got.value, spec: { ...(got.value.spec as object), bgp: { ipv4Address: '10.0.0.2/24' } } } });
    const stored = await rawJson(fx.raw(), `${PREFIX}nodes/${name}`);
    expect((stored?.spec as Record<string, unknown>).futureField).toEqual({ x: 1 });
    expect(updated.revision).not.toBe(got.revision);
  });

  it('a legacy default.-prefixed policy reads under its v3 name and is updated and deleted under its real key', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    const legacyKey = `${PREFIX}networkpolicies/${ns}/default.allow-web`;
    const legacy = { ...networkPolicy(ns, 'default.allow-web'), spec: { tier: 'default', order: 10, selector: 'all()' } };
    await fx.raw().put(legacyKey).value(JSON.stringify(legacy));

    const got = await b.get({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' });
    expect(got.value.metadata.name).toBe('allow-web');
    expect(got.key.name).toBe('default.allow-web');
    const listed = await b.list({ kind: 'NetworkPolicy', namespace: ns });
    expect(listed.items.map((i) => [i.key.name, i.value.metadata.name])).toEqual([['default.allow-web', 'allow-web']]);
    const byName = await b.list({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' });
    expect(byName.items.map((i) => i.key.name)).toEqual(['default.allow-web']);

    const updated = await b.update({ ...got, value: { ...got.value, spec: { ...(got.value.spec as object), order: 20 } } });
    expect(updated.key.name).toBe('default.allow-web');
    expect(await fx.raw().get(`${PREFIX}networkpolicies/${ns}/allow-web`).exists()).toBe(false);
    const stored = await rawJson(fx.raw(), legacyKey);
    expect((stored?.spec as { order: number }).order).toBe(20);
    // The current writer records the v3 name, so Calico ≥ 3.30 reads the same name.
    expect((stored?.metadata as ResourceObject['metadata']).annotations).toEqual({ 'projectcalico.org/metadata': '{"name":"allow-web"}' });
    // An update addressed by the v3 name finds the legacy key too.
    const again = await b.update({ ...updated, key: { kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' } });
    expect(again.key.name).toBe('default.allow-web');

    const deleted = await b.delete({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' });
    expect(deleted.value.metadata.name).toBe('allow-web');
    expect(await fx.raw().get(legacyKey).exists()).toBe(false);
  });

  it('Calico 3.30 data (default. key with the metadata annotation) and non-default tiers keep their names', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    const v330 = networkPolicy(ns, 'default.allow-db');
    v330.metadata.annotations = { 'projectcalico.org/metadata': '{"name":"allow-db","creationTimestamp":null}' };
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/default.allow-db`).value(JSON.stringify(v330));
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/security.block`).value(JSON.stringify(networkPolicy(ns, 'security.block', { tier: 'security' })));
    // A non-default tier never has default. stripped, even when a name starts with it.
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/default.odd`).value(JSON.stringify(networkPolicy(ns, 'default.odd', { tier: 'other' })));
    const listed = await b.list({ kind: 'NetworkPolicy', namespace: ns });
    expect(listed.items.map((i) => i.value.metadata.name)).toEqual(['allow-db', 'default.odd', 'security.block']);
    expect(listed.items.every((i) => i.value.metadata.annotations === undefined)).toBe(true);
  });

  it('creating a policy whose v3 name already exists under the legacy key is AlreadyExists', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/default.allow-web`).value(JSON.stringify(networkPolicy(ns, 'default.allow-web')));
    const e = await rejectionOf(b.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'allow-web' }, value: networkPolicy(ns, 'allow-web') }));
    expect(isAlreadyExists(e)).toBe(true);
    expect((e as { current?: { key: { name: string } } }).current?.key.name).toBe('default.allow-web');
  });

  it('converted Kubernetes policies (knp.default.*) read normally and refuse writes', async () => {
    const b = await fx.backend();
    const ns = unique('shop');
    await fx.raw().put(`${PREFIX}networkpolicies/${ns}/knp.default.deny`).value(JSON.stringify(networkPolicy(ns, 'knp.default.deny')));
    const got = await b.get({ kind: 'NetworkPolicy', namespace: ns, name: 'knp.default.deny' });
    expect(got.value.metadata.name).toBe('knp.default.deny');
    for (const op of [b.update(got), b.delete(got.key), b.create({ key: { ...got.key, name: 'knp.default.other' }, value: networkPolicy(ns, 'knp.default.other') })]) {
      const e = await rejectionOf(op);
      expect(isNotSupported(e)).toBe(true);
      expect((e as Error).message).toContain('kubernetes network policies must be managed through the kubernetes API');
    }
  });

  it('skips keys that are not resources of the kind and leaves other Calico data alone', async () => {
    const b = await fx.backend();
    const name = unique('pool');
    await b.create({ key: { kind: 'IPPool', name }, value: ipPool(name) });
    await fx.raw().put(`${PREFIX}ippools/${name}/extra-segment`).value('{}');
    await fx.raw().put(`${PREFIX}ippoolsx/${name}`).value('{}');
    await fx.raw().put('/calico/ipam/v2/assignment/ipv4/block/10.10.0.0-26').value('{"cidr":"10.10.0.0/26"}');
    const listed = await b.list({ kind: 'IPPool', name, namePrefix: true });
    expect(listed.items.map((i) => i.key.name)).toEqual([name]);
    await b.delete({ kind: 'IPPool', name });
    expect(await fx.raw().get('/calico/ipam/v2/assignment/ipv4/block/10.10.0.0-26').exists()).toBe(true);
    expect(await fx.raw().get(`${PREFIX}ippools/${name}/extra-segment`).exists()).toBe(true);
  });

  it('un-escapes %2f and %25 in key segments on read', async () => {
    const b = await fx.backend();
    const name = unique('esc');
    await fx.raw().put(`${PREFIX}profiles/${name}%2fa%25b`).value(JSON.stringify({ kind: 'Profile', apiVersion: 'projectcalico.org/v3', metadata: { name: `${name}/a%b` }, spec: {} }));
    const listed = await b.list({ kind: 'Profile', name, namePrefix: true });
    expect(listed.items.map((i) => i.key.name)).toEqual([`${name}/a%b`]);
  });

  it('synthesises the default-allow profile for get and list, never stores or watches it, and refuses writes to it', async () => {
    const b = await fx.backend();
    const key = { kind: 'Profile', name: 'projectcalico-default-allow' };
    const got = await b.get(key);
    expect(got.revision).toBe('1');
    expect(got.value.spec).toEqual({ ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] });
    const kns = unique('kns.ns');
    await fx.raw().put(`${PREFIX}profiles/${kns}`).value(JSON.stringify({ kind: 'Profile', apiVersion: 'projectcalico.org/v3', metadata: { name: kns }, spec: { labelsToApply: { 'pcns.team': 'a' } } }));
    const all = await b.list({ kind: 'Profile' });
    expect(all.items.map((i) => i.key.name)).toEqual(expect.arrayContaining([kns, 'projectcalico-default-allow']));
    expect(all.items[all.items.length - 1]?.key.name).toBe('projectcalico-default-allow');
    expect((await b.list({ kind: 'Profile', name: kns })).items.map((i) => i.key.name)).toEqual([kns]);
    expect(await fx.raw().get(`${PREFIX}profiles/projectcalico-default-allow`).exists()).toBe(false);
    expect(isNotSupported(await rejectionOf(b.delete(key)))).toBe(true);
    expect(isNotSupported(await rejectionOf(b.create({ key, value: got.value })))).toBe(true);
    const events = tap(b.watch({ kind: 'Profile' }));
    await events.until((evs) => evs.some((e) => e.type === 'ADDED' && e.object.key.name === kns));
    events.stop();
    expect(events.events.some((e) => e.type === 'ADDED' && e.object.key.name === 'projectcalico-default-allow')).toBe(false);
  });
});

describe('policy naming follows the cluster Calico version', () => {
  const withVersion = async (version: string | undefined, policyNaming?: 'auto' | 'current' | 'legacy') => {
    // Each case gets its own etcd prefix space via a fresh namespace; ClusterInformation is shared, so write it per case.
    const info = { kind: 'ClusterInformation', apiVersion: 'projectcalico.org/v3', metadata: { name: 'default' }, spec: { clusterGUID: 'abc', datastoreReady: true, ...(version ? { calicoVersion: version } : {}) } };
    await fx.raw().put(`${PREFIX}clusterinformations/default`).value(JSON.stringify(info));
    return fx.backend(policyNaming ? { policyNaming } : {});
  };

  it.each([
    ['v3.31.2', `default.NAME`, 'default.NAME', '{"name":"NAME"}'],
    ['v3.30.0', `default.NAME`, 'default.NAME', '{"name":"NAME"}'],
    ['v3.29.4', `default.NAME`, 'default.NAME', undefined],
    ['v3.26.1', `default.NAME`, 'default.NAME', undefined],
    ['v3.32.0', 'NAME', 'NAME', '{"name":"NAME"}'],
    [undefined, 'NAME', 'NAME', '{"name":"NAME"}'],
  ])('calicoVersion %s: a new default-tier policy is stored at %s', async (version, keyName, valueName, annotation) => {
    const b = await withVersion(version);
    const ns = unique('shop');
    const created = await b.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'allow-db' }, value: networkPolicy(ns, 'allow-db') });
    const stored = await rawJson(fx.raw(), `${PREFIX}networkpolicies/${ns}/${keyName.replace('NAME', 'allow-db')}`);
    const meta = stored?.metadata as ResourceObject['metadata'];
    expect(meta.name).toBe(valueName.replace('NAME', 'allow-db'));
    expect(meta.annotations?.['projectcalico.org/metadata']).toBe(annotation?.replace('NAME', 'allow-db'));
    expect(created.value.metadata.name).toBe('allow-db');
    expect((await b.get({ kind: 'NetworkPolicy', namespace: ns, name: 'allow-db' })).value.metadata.name).toBe('allow-db');
  });

  it('legacy naming cannot store a dotted default-tier name; non-default tiers and knp-style names are never prefixed', async () => {
    const b = await withVersion('v3.31.0');
    const ns = unique('shop');
    const e = await rejectionOf(b.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'a.b' }, value: networkPolicy(ns, 'a.b') }));
    expect(isNotSupported(e)).toBe(true);
    await b.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'sec.x' }, value: networkPolicy(ns, 'sec.x', { tier: 'sec' }) });
    expect(await fx.raw().get(`${PREFIX}networkpolicies/${ns}/sec.x`).exists()).toBe(true);
    await b.create({ key: { kind: 'GlobalNetworkPolicy', name: `ossg.${ns}` }, value: { ...networkPolicy(ns, `ossg.${ns}`), kind: 'GlobalNetworkPolicy', metadata: { name: `ossg.${ns}` } } });
    expect(await fx.raw().get(`${PREFIX}globalnetworkpolicies/ossg.${ns}`).exists()).toBe(true);
  });

  it('policyNaming overrides the detected version both ways', async () => {
    const ns = unique('shop');
    const current = await withVersion('v3.29.0', 'current');
    await current.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'p1' }, value: networkPolicy(ns, 'p1') });
    expect(await fx.raw().get(`${PREFIX}networkpolicies/${ns}/p1`).exists()).toBe(true);
    const legacy = await withVersion(undefined, 'legacy');
    await legacy.create({ key: { kind: 'NetworkPolicy', namespace: ns, name: 'p2' }, value: networkPolicy(ns, 'p2') });
    expect(await fx.raw().get(`${PREFIX}networkpolicies/${ns}/default.p2`).exists()).toBe(true);
    await fx.raw().delete().key(`${PREFIX}clusterinformations/default`);
  });
});
