/**
 * Administrative helpers for tests that run a real etcd: compaction, the server-side watcher
 * count, finding the leader, and writing raw keys with a plain etcd3 client.
 *
 * @module
 */
import type { Etcd3 } from 'etcd3';

/**
 * Compacts etcd at its current revision, so every older revision is gone.
 *
 * @param client A plain etcd3 client.
 * @return The revision compacted at.
 */
export async function compactNow(client: Etcd3): Promise<string> {
  // A write makes sure the current revision is newer than anything a test has seen.
  const put = await client.put('/calico-test/compaction-marker').value(String(Date.now()));
  await client.kv.compact({ revision: put.header.revision, physical: true });
  return put.header.revision;
}

/**
 * The number of watchers etcd holds open (its `etcd_debugging_mvcc_watcher_total` gauge).
 *
 * @param endpoint Client URL of a plaintext member.
 * @return The gauge.
 */
export async function serverWatcherCount(endpoint: string): Promise<number> {
  const r = await fetch(`${endpoint}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await r.text();
  const m = /^etcd_debugging_mvcc_watcher_total\s+(\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  if (!m) throw new Error('etcd /metrics has no etcd_debugging_mvcc_watcher_total gauge');
  return Number(m[1]);
}

/**
 * Index of the member that leads the cluster, asking each member through its own client.
 *
 * @param clients One single-endpoint client per member, in member order.
 * @return The leader's index, or -1 when no member answers with a leader.
 */
export async function leaderIndex(clients: Etcd3[]): Promise<number> {
  for (let i = 0; i < clients.length; i++) {
    try {
      const s = await (clients[i] as Etcd3).maintenance.status({ deadline: Date.now() + 1000 });
      if (s.leader !== '0' && s.leader === s.header.member_id) return i;
    } catch {
      // member down: try the next one
    }
  }
  return -1;
}
