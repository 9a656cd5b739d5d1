import { firstValueFrom, filter, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client.js';
import { explainFlow } from '../../src/policy/index.js';
import { livePolicyView } from '../../src/watch/live-policy-view.js';
import { np, wep } from '../client/fixtures.js';

describe('livePolicyView', () => {
  it('follows endpoint and policy changes from a client', async () => {
    const client = createClient({ datastoreType: 'memory', ipPoolDeleteDelayMs: 0 });
    const web = { ...wep('shop', 'n1', 'web', { app: 'web' }), spec: { ...wep('shop', 'n1', 'web').spec, ipNetworks: ['10.0.0.1/32'], interfaceName: 'caliweb' } };
    const db = { ...wep('shop', 'n1', 'db', { app: 'db' }), spec: { ...wep('shop', 'n1', 'db').spec, ipNetworks: ['10.0.0.2/32'], interfaceName: 'calidb' } };
    await client.workloadEndpoints.create(web);
    await client.workloadEndpoints.create(db);
    const live = livePolicyView(
      [client.workloadEndpoints.syncSource(), client.networkPolicies.syncSource(), client.globalNetworkPolicies.syncSource(), client.tiers.syncSource()],
      { extraResources: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] },
    );
    try {
      await live.ready();
      const flow = { source: 'shop/web', destination: 'shop/db', protocol: 'TCP', port: 5432 };
      expect(explainFlow(live.view, flow).verdict).toBe('allow');

      await client.networkPolicies.create(np('shop', 'db-from-api', { selector: 'app == "db"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "api"' } }] }));
      const changed = async (want: string): Promise<void> => {
        for (let i = 0; i < 200 && explainFlow(live.view, flow).verdict !== want; i++) await new Promise((r) => setTimeout(r, 10));
      };
      await changed('deny');
      expect(explainFlow(live.view, flow).verdict).toBe('deny');

      // A label change on the source resets its cached selector matches only.
      const current = await client.workloadEndpoints.get({ namespace: 'shop', name: explainFlow(live.view, flow).trace[0]?.endpoint.split('/')[1] ?? '' });
      await client.workloadEndpoints.update({ ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, app: 'api' } } });
      await changed('allow');
      expect(explainFlow(live.view, flow).verdict).toBe('allow');
      expect(await firstValueFrom(live.inSync$.pipe(filter(Boolean), timeout(5000)))).toBe(true);
    } finally {
      live.close();
      await client.close();
    }
  });
});
