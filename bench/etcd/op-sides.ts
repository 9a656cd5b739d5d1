/**
 * The single operations of the etcd benchmarks (`run.ts`, `cpu.ts`) as each side runs them: the
 * transactions of backends spec §2.5 through raw etcd3, and the same work through the backend.
 *
 * @module
 */
import type { Etcd3 } from 'etcd3';
import type { Backend } from '../../src/backends/backend.js';
import { pool, PREFIX, timed } from './fixtures.js';

/** The measured single operations, in the order a chunk runs them. */
export const OPERATIONS = ['create', 'get', 'update'] as const;
/** One of {@link OPERATIONS}. */
export type Operation = (typeof OPERATIONS)[number];

/** One side's three operations over keys tagged per chunk (update follows create of the same tag). */
export interface OpSide {
  /** Runs `count` operations `op` on keys tagged `tag`, `concurrency` in flight; resolves to the elapsed ms. */
  run(op: Operation, tag: string, count: number, concurrency: number): Promise<number>;
  /** Closes the side's client. */
  close(): Promise<void>;
}

/**
 * Raw etcd3: `if(version==0).then(put).else(get)`, `get` + `JSON.parse`,
 * `if(mod==rev).then(put).else(get)`.
 *
 * @param raw The client.
 * @param label Key prefix of this side (keeps sides' keys apart).
 * @return The side.
 */
export function rawOpSide(raw: Etcd3, label: string): OpSide {
  const revs: string[] = [];
  const key = (tag: string, i: number) => `${PREFIX}ippools/${label}-${tag}-${i}`;
  const ops = {
    create: (tag: string) => (i: number) =>
      raw
        .if(key(tag, i), 'Version', '==', 0)
        .then(raw.put(key(tag, i)).value(JSON.stringify(pool(key(tag, i), i))))
        .else(raw.get(key(tag, i)))
        .commit()
        .then((r) => {
          revs[i] = r.header.revision;
        }),
    get: (tag: string) => (i: number) => raw.get(key(tag, i)).exec().then((r) => JSON.parse((r.kvs[0]?.value ?? Buffer.from('null')).toString()) as unknown),
    update: (tag: string) => (i: number) =>
      raw
        .if(key(tag, i), 'Mod', '==', revs[i] as string)
        .then(raw.put(key(tag, i)).value(JSON.stringify(pool(key(tag, i), i + 1))))
        .else(raw.get(key(tag, i)))
        .commit()
        .then((r) => {
          if (!r.succeeded) throw new Error('raw CAS failed');
        }),
  };
  return {
    run: (op, tag, count, concurrency) => timed(count, concurrency, ops[op](tag)),
    close: async () => raw.close(),
  };
}

/**
 * The backend: `create`, `get`, `update` of IPPools. Like the raw side it keeps only the revision
 * between create and update (holding the returned objects would keep its garbage alive into old
 * space, and GC is charged per chunk).
 *
 * @param backend The backend.
 * @return The side.
 */
export function ourOpSide(backend: Backend): OpSide {
  const revs: string[] = [];
  const name = (tag: string, i: number) => `ours-${tag}-${i}`;
  const ops = {
    create: (tag: string) => (i: number) =>
      backend.create({ key: { kind: 'IPPool', name: name(tag, i) }, value: pool(name(tag, i), i) }).then((kv) => {
        revs[i] = kv.revision;
      }),
    get: (tag: string) => (i: number) => backend.get({ kind: 'IPPool', name: name(tag, i) }),
    update: (tag: string) => (i: number) => backend.update({ key: { kind: 'IPPool', name: name(tag, i) }, value: pool(name(tag, i), i + 1), revision: revs[i] as string }),
  };
  return {
    run: (op, tag, count, concurrency) => timed(count, concurrency, ops[op](tag)),
    close: () => backend.close(),
  };
}
