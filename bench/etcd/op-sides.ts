/**
 * The single operations of the etcd benchmarks (`run.ts`, `cpu.ts`) as each side runs them: the
 * transactions of backends spec §2.5 through raw etcd3, and the same work through the backend.
 *
 * @module
 */
import { Etcd3 } from 'etcd3';
import type { Backend } from '../../src/backends/backend.js';
import { pool, PREFIX, timed } from './fixtures.js';

/** The three sides of a comparison: raw etcd3, ours, and a second raw client as the A/A control. */
export const SIDES = ['raw', 'ours', 'control'] as const;
/** One of {@link SIDES}. */
export type Side = (typeof SIDES)[number];

/**
 * The sides in rotating order: starting `n` places along, so each side takes each place in turn.
 *
 * @param n Places to rotate by.
 * @return The sides.
 */
export const rotated = (n: number): Side[] => SIDES.map((_, i) => SIDES[(i + n) % SIDES.length] as Side);

/**
 * A raw etcd3 client. Its gRPC receive limit is raised to the backend's (64 MiB): with the default
 * 4 MiB, replaying thousands of events written 100 per transaction exceeds one message and the raw
 * watch never completes (etcd sends up to 1000 revisions per watch response). It gets its own
 * connection, as the backend does: with grpc-js's process-wide subchannel pool, clients with equal
 * options share one HTTP/2 connection, so the raw side, the control and the writer would share
 * theirs.
 *
 * @param endpoints etcd endpoints.
 * @return The client.
 */
export const rawClient = (endpoints: string[]): Etcd3 =>
  new Etcd3({ hosts: endpoints, grpcOptions: { 'grpc.max_receive_message_length': 64 * 1024 * 1024, 'grpc.use_local_subchannel_pool': 1 } });

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
