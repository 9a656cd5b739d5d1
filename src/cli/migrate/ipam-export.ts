/**
 * Section 3 of an etcd export (cli.md §9.2): the raw IPAM keys under `/calico/ipam/v2/`, with
 * node names in keys, block affinities, allocation attributes and tunnel handles rewritten to
 * Kubernetes node names.
 *
 * @module
 */
import type { EtcdDatastoreConfig } from '../../config.js';
import type { IpamEntry, IpamSection } from './export-file.js';

const IPAM_PREFIX = '/calico/ipam/v2/';
const TUNNEL_HANDLE_PREFIXES = ['ipip-tunnel-addr-', 'vxlan-tunnel-addr-', 'vxlan-v6-tunnel-addr-', 'wireguard-tunnel-addr-', 'wireguard-v6-tunnel-addr-'];

function renameKey(key: string, rename: (n: string) => string): string {
  const host = /^\/calico\/ipam\/v2\/host\/([^/]+)\/(.*)$/.exec(key);
  if (host) return `${IPAM_PREFIX}host/${rename(host[1]!)}/${host[2]}`;
  const handle = /^\/calico\/ipam\/v2\/handle\/(.+)$/.exec(key);
  if (handle) return `${IPAM_PREFIX}handle/${renameHandle(handle[1]!, rename)}`;
  return key;
}

function renameHandle(handle: string, rename: (n: string) => string): string {
  const prefix = TUNNEL_HANDLE_PREFIXES.find((p) => handle.startsWith(p));
  return prefix ? `${prefix}${rename(handle.slice(prefix.length))}` : handle;
}

function renameValue(key: string, value: unknown, rename: (n: string) => string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = { ...(value as Record<string, unknown>) };
  if (typeof v.affinity === 'string' && v.affinity.startsWith('host:')) v.affinity = `host:${rename(v.affinity.slice('host:'.length))}`;
  if (Array.isArray(v.attributes)) {
    v.attributes = v.attributes.map((a: unknown) => {
      if (typeof a !== 'object' || a === null) return a;
      const attr = { ...(a as Record<string, unknown>) };
      if (typeof attr.handle_id === 'string') attr.handle_id = renameHandle(attr.handle_id, rename);
      if (typeof attr.secondary === 'object' && attr.secondary !== null) {
        const secondary = { ...(attr.secondary as Record<string, unknown>) };
        if (typeof secondary.node === 'string') secondary.node = rename(secondary.node);
        attr.secondary = secondary;
      }
      return attr;
    });
  }
  if (key.includes('/handle/') && typeof v.handleID === 'string') v.handleID = renameHandle(v.handleID, rename);
  return v;
}

/**
 * Reads the IPAM keys of an etcd datastore.
 *
 * @param config The etcd configuration (the same connection settings as the backend).
 * @param nodeNames etcd → Kubernetes node names.
 * @return The IPAM section.
 */
export async function exportEtcdIpam(config: EtcdDatastoreConfig, nodeNames: ReadonlyMap<string, string>): Promise<IpamSection> {
  const [{ Etcd3 }, { resolveEtcdConfig }, { etcdBackendConfigFrom }] = await Promise.all([
    import('etcd3'),
    import('../../backends/etcdv2/config.js'),
    import('../../backends/etcdv2/from-config.js'),
  ]);
  const { options } = await resolveEtcdConfig(etcdBackendConfigFrom(config));
  const etcd = new Etcd3(options);
  const rename = (n: string): string => nodeNames.get(n) ?? n;
  const section: Required<IpamSection> = { block_affinities: [], blocks: [], handles: [], config: [] };
  try {
    let from = IPAM_PREFIX;
    const end = `${IPAM_PREFIX.slice(0, -1)}0`; // the key just after every key with the prefix
    for (let page = 0; page < 1_000_000; page++) {
      const kvs = await etcd.getAll().inRange({ start: from, end }).limit(500).sort('Key', 'Ascend').exec();
      for (const kv of kvs.kvs) {
        const key = kv.key.toString('utf8');
        let value: unknown;
        try {
          value = JSON.parse(kv.value.toString('utf8'));
        } catch {
          value = kv.value.toString('utf8');
        }
        const entry: IpamEntry = { Key: renameKey(key, rename), Value: renameValue(key, value, rename), TTL: 0 };
        if (key.startsWith(`${IPAM_PREFIX}host/`)) section.block_affinities.push(entry);
        else if (key.startsWith(`${IPAM_PREFIX}assignment/`)) section.blocks.push(entry);
        else if (key.startsWith(`${IPAM_PREFIX}handle/`)) section.handles.push(entry);
        else if (key === `${IPAM_PREFIX}config`) section.config.push(entry);
      }
      if (!kvs.more || kvs.kvs.length === 0) break;
      from = `${kvs.kvs[kvs.kvs.length - 1]!.key.toString('utf8')}\0`;
    }
  } finally {
    etcd.close();
  }
  const out: IpamSection = {};
  for (const k of ['block_affinities', 'blocks', 'handles', 'config'] as const) if (section[k].length > 0) out[k] = section[k];
  return out;
}
