import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client.js';

describe('createClient initialize option', () => {
  it('initialises the datastore on first use by default', async () => {
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
});
