import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client.js';
import { isNotFound, isValidationError } from '../../src/errors.js';
import { createMemoryBackend, type MemoryBackend } from '../../src/testing.js';
import { np, pool } from './fixtures.js';

/** Every key the datastore holds. */
const stored = (backend: MemoryBackend): readonly string[] => backend.storageKeys();

describe('createClient initialize option', () => {
  it('initialises the datastore for backend(), the way to writes the accessors do not offer', async () => {
    const client = createClient({ datastoreType: 'memory' });
    const tiers = await (await client.backend()).list({ kind: 'Tier' });
    expect(tiers.items.map((t) => t.key.name).sort()).toEqual(['default', 'kube-admin', 'kube-baseline']);
    await client.close();
  });

  it('writes nothing on first use with initialize: false, until asked', async () => {
    const client = createClient({ datastoreType: 'memory', initialize: false });
    const backend = await client.backend();
    expect((await backend.list({ kind: 'Tier' })).items).toEqual([]);
    await expect(backend.get({ kind: 'ClusterInformation', name: 'default' })).rejects.toMatchObject({ code: 'NotFound' });
    await backend.ensureInitialized();
    expect((await backend.list({ kind: 'Tier' })).items).toHaveLength(3);
    await client.close();
  });

  it('never initialises for reads, deletes, or writes refused for their input', async () => {
    const backend = createMemoryBackend();
    const client = createClient({ backend, ipPoolDeleteDelayMs: 0 });
    await expect(client.ipPools.get({ name: 'a' })).rejects.toSatisfy(isNotFound);
    await client.networkPolicies.list({ namespace: 'shop' });
    await firstValueFrom(client.tiers.watch().pipe(take(0), toArray()));
    await expect(client.ipPools.delete({ name: 'a' })).rejects.toSatisfy(isNotFound);
    // Refused before the datastore is touched: bad spec, missing namespace, wrong kind, no resourceVersion.
    await expect(client.ipPools.create(pool('bad', 'not-a-cidr'))).rejects.toSatisfy(isValidationError);
    await expect(client.networkPolicies.create({ ...np('shop', 'p'), metadata: { name: 'p' } })).rejects.toSatisfy(isValidationError);
    await expect(client.ipPools.create({ ...pool('p', '10.0.0.0/16'), kind: 'Tier' } as never)).rejects.toSatisfy(isValidationError);
    await expect(client.ipPools.update(pool('p', '10.0.0.0/16'))).rejects.toSatisfy(isValidationError);
    await expect(client.ipPools.updateStatus(pool('p', '10.0.0.0/16'))).rejects.toSatisfy(isValidationError);
    expect(stored(backend)).toEqual([]);
    // The first write that is attempted initialises, once.
    await client.networkPolicies.create(np('shop', 'p'));
    expect(stored(backend)).toEqual([
      '/calico/resources/v3/projectcalico.org/clusterinformations/default',
      '/calico/resources/v3/projectcalico.org/networkpolicies/shop/p',
      '/calico/resources/v3/projectcalico.org/tiers/default',
      '/calico/resources/v3/projectcalico.org/tiers/kube-admin',
      '/calico/resources/v3/projectcalico.org/tiers/kube-baseline',
    ]);
    await client.close();
  });
});
