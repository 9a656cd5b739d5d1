/**
 * Splits a CPU profile of the single-operation work by side and by whose code ran.
 *
 * The child of `cpu.ts` runs raw etcd3, the backend and a control raw client in one process and
 * records when each side's chunk ran. Every profile sample that falls in a chunk is charged to
 * that chunk's side and operation, and sorted by the code it was in:
 * - **layer**: what only that side runs above etcd3's gRPC calls. For the backend, the package's
 *   own code; for raw etcd3, its request builders, namespace handling and cockatiel policies.
 *   The work the bench itself does per operation (raw's `JSON.stringify` / `JSON.parse`, each
 *   side's callbacks) counts here too, since the backend does that work inside its own code.
 * - **shared**: everything else — etcd3's connection pool, gRPC, HTTP/2, Node internals, GC.
 *
 * @module
 */

/** A chunk of one side's operations: start and end on the profile's clock (µs), side, operation. */
export type Window = [start: number, end: number, side: string, operation: string, ops: number];

/** The parts of a V8 `.cpuprofile` read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Sampled CPU of one side and operation, in µs summed over its chunks. */
export interface Split {
  /** Operations in the chunks. */
  ops: number;
  /** CPU in the side's own layer (see the module comment). */
  layer: number;
  /** CPU in code every side shares. */
  shared: number;
}

/** The bench's own per-operation code, on every side. */
const WORKLOAD = /\/bench\/etcd\/(op-sides|fixtures)\.ts$/;
/** What raw etcd3 runs above its connection pool: request builders, namespaces, cockatiel. */
const ETCD3_LAYER = [/\/etcd3\/lib\/builder\.js$/, /\/etcd3\/lib\/namespace\.js$/, /\/node_modules\/cockatiel\//];

/**
 * Adds one profile's samples to `totals`, keyed `"<operation> <side>"`.
 *
 * @param profile The CPU profile.
 * @param windows The chunks the profiled process ran (in any order, not overlapping).
 * @param packageDir URL part that marks the package's own built code (e.g. `/dist/`).
 * @param totals Sums to add to.
 */
export function splitProfile(profile: CpuProfile, windows: Window[], packageDir: string, totals: Map<string, Split>): void {
  const urls = new Map<number, string>();
  const idle = new Set<number>();
  for (const node of profile.nodes) {
    urls.set(node.id, node.callFrame.url);
    if (node.callFrame.functionName === '(idle)') idle.add(node.id);
  }
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  for (const [, , side, op, ops] of sorted) {
    const key = `${op} ${side}`;
    const split = totals.get(key) ?? { ops: 0, layer: 0, shared: 0 };
    split.ops += ops;
    totals.set(key, split);
  }
  let time = profile.startTime;
  let w = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    while (w < sorted.length && (sorted[w] as Window)[1] < time) w++;
    if (w === sorted.length) break;
    const [start, , side, op] = sorted[w] as Window;
    const id = profile.samples[i] as number;
    if (time < start || idle.has(id)) continue;
    const url = urls.get(id) ?? '';
    const split = totals.get(`${op} ${side}`) as Split;
    const layer = WORKLOAD.test(url) || (side === 'ours' ? url.includes(packageDir) : ETCD3_LAYER.some((re) => re.test(url)));
    if (layer) split.layer += delta;
    else split.shared += delta;
  }
}
