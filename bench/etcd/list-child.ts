/**
 * One list run in its own process, so its peak RSS is its own: `raw` pages through the range with
 * a plain etcd3 client and parses every value; `ours` calls `backend.list`. Prints one JSON line:
 * `{ mode, items, ms, rssBeforeMb, peakRssMb }`.
 *
 * Usage: `tsx bench/etcd/list-child.ts <raw|ours> <endpoint> <pageSize>`
 *
 * @module
 */
import { Etcd3, type IKeyValue } from 'etcd3';
import { PREFIX } from './fixtures.js';

const [mode, endpoint, pageSizeText] = process.argv.slice(2);
const pageSize = Number(pageSizeText ?? '500');

interface RawItem {
  key: string;
  value: unknown;
  revision: string;
}

async function rawList(client: Etcd3): Promise<RawItem[]> {
  const items: RawItem[] = [];
  const start = `${PREFIX}ippools/`;
  const end = `${PREFIX}ippools0`; // '/' + 1
  let from = Buffer.from(start);
  let revision: string | undefined;
  for (;;) {
    const b = client.getAll().inRange({ start: from, end }).limit(pageSize);
    const res = await (revision ? b.revision(revision) : b).exec();
    revision ??= res.header.revision;
    for (const kv of res.kvs as IKeyValue[]) items.push({ key: kv.key.toString(), value: JSON.parse(kv.value.toString()), revision: kv.mod_revision });
    const last = res.kvs[res.kvs.length - 1];
    if (!res.more || !last) return items;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

async function main(): Promise<void> {
  if (!endpoint || (mode !== 'raw' && mode !== 'ours')) throw new Error('usage: list-child.ts <raw|ours> <endpoint> <pageSize>');
  let run: () => Promise<number>;
  let close: () => Promise<void>;
  if (mode === 'raw') {
    const client = new Etcd3({ hosts: [endpoint] });
    await client.get('/warm-up').string();
    run = async () => (await rawList(client)).length;
    close = async () => client.close();
  } else {
    // The backend module alone, loaded only here: the list rows compare the memory a list takes,
    // not the footprint of importing the whole package (about 14 MB of RSS, once per process),
    // which a raw etcd3 process does not have. A list creates no closures per item, so running
    // src/ under tsx costs it nothing that the built package would not.
    const { createEtcdBackend } = await import('../../src/backends/etcdv2/index.js');
    const backend = await createEtcdBackend({ endpoints: [endpoint], pageSize });
    await backend.get({ kind: 'IPPool', name: 'warm-up' }).catch(() => undefined);
    run = async () => (await backend.list({ kind: 'IPPool' })).items.length;
    close = () => backend.close();
  }
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const items = await run();
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  await close();
  console.log(JSON.stringify({ mode, items, ms, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: peak / 2 ** 20 }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
