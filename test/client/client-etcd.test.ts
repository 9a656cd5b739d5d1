import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CalicoClient } from '../../src/client.js';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import { startEtcd, type EtcdHandle } from '../support/etcd-process.js';
import { gnp, np, pool, tier } from './fixtures.js';

// The client over a real etcd, configured the way users do it: through the environment.
let etcd: EtcdHandle;
let client: CalicoClient;
beforeAll(async () => {
  etcd = await startEtcd();
  client = createClient({ env: { DATASTORE_TYPE: 'etcdv3', ETCD_ENDPOINTS: etcd.endpoints.join(',') }, defaultConfigFile: '/nonexistent/calicoctl.cfg', ipPoolDeleteDelayMs: 0 });
});
afterAll(async () => {
  await client?.close();
  await etcd?.stop();
});

describe('client on etcd (DATASTORE_TYPE=etcdv3)', () => {
  it('initialises the built-in tiers on the first write and runs create, update, list, watch and delete', async () => {
    expect((await client.tiers.list()).items).toEqual([]);
    const created = await client.ipPools.create(pool('pool-a', '10.20.0.0/16'));
    expect((await client.tiers.list()).items.map((t) => t.metadata.name).sort()).toEqual(['default', 'kube-admin', 'kube-baseline']);
    expect(created.spec.blockSize).toBe(26);
    const listed = await client.ipPools.list();
    const events = firstValueFrom(client.ipPools.watch({ resourceVersion: listed.resourceVersion }).pipe(take(3), toArray()));
    const updated = await client.ipPools.update({ ...created, spec: { ...created.spec, natOutgoing: true } });
    await expect(client.ipPools.update(created)).rejects.toBeInstanceOf(ConflictError);
    const deleted = await client.ipPools.delete({ name: 'pool-a', resourceVersion: updated.metadata.resourceVersion });
    expect(deleted.spec.disabled).toBe(true);
    expect((await events).map((e) => e.type)).toEqual(['modified', 'modified', 'deleted']);
    await expect(client.ipPools.get({ name: 'pool-a' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('checks tiers and stores policies with the tier label', async () => {
    await expect(client.globalNetworkPolicies.create(gnp('sec.g', { tier: 'sec' }))).rejects.toBeInstanceOf(NotFoundError);
    await client.tiers.create(tier('sec', 100));
    const g = await client.globalNetworkPolicies.create(gnp('sec.g', { tier: 'sec' }));
    expect(g.metadata.labels?.['projectcalico.org/tier']).toBe('sec');
    const p = await client.networkPolicies.create(np('shop', 'allow', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['80:80'] } }] }));
    expect(p.spec.ingress?.[0]?.destination?.ports).toEqual([80]);
    expect((await client.networkPolicies.get({ namespace: 'shop', name: 'allow' })).spec.types).toEqual(['Ingress']);
  });
});
