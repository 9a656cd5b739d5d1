/**
 * The public-API fuzz: generated calls of every client accessor (create, update, updateStatus,
 * get, delete, list, watch, syncSource on every kind) and of the exported model functions and
 * converters, with valid documents, mutated documents and hostile values as arguments.
 *
 * Each call must either succeed or throw (or, for a watch, error with) one of the library's error
 * classes. After every failed call the datastore revision must be unchanged (etcd and the memory
 * backend bump their one global revision on every write, so an unchanged revision means nothing
 * was written), and `Object.prototype` must be as it was.
 *
 * Used by the fixed-seed CI run (`public-api.test.ts`) and the big runs (`npm run fuzz`).
 *
 * @module
 */
import fc from 'fast-check';
import type { Observable, Subscription } from 'rxjs';
import * as api from '../../src/index.js';
import { isCalicoError, type CalicoClient } from '../../src/index.js';
import { anyValidDocArb } from '../model/validate/fixtures.js';
import { anyValueArb, hostileValueArb, materialize } from './hostile-values.js';

/** Where the calls go. */
export interface FuzzTarget {
  readonly name: string;
  readonly client: CalicoClient;
  /** How long a watch is given to deliver its first notification, in ms. */
  readonly settleMs: number;
}

/** One generated call. */
export interface FuzzCall {
  /** `ipPools.create`, `validate`, … */
  readonly op: string;
  readonly run: (target: FuzzTarget) => Promise<unknown>;
  /** The argument, for reporting. */
  readonly input: unknown;
}

/** What a run found. */
export interface FuzzTally {
  calls: number;
  ok: number;
  /** Typed errors by code. */
  typed: Record<string, number>;
  /** Calls that threw something that is not a CalicoError. */
  untyped: { op: string; error: string; input: string }[];
  /** Failed calls after which the datastore revision had moved. */
  writesOnFailure: { op: string; before: string; after: string; input: string }[];
  /** Calls after which Object.prototype was not as before. */
  prototypeTouched: string[];
  /** Milliseconds spent per operation. */
  timeByOp: Record<string, number>;
}

/** An empty tally. */
export function newTally(): FuzzTally {
  return { calls: 0, ok: 0, typed: {}, untyped: [], writesOnFailure: [], prototypeTouched: [], timeByOp: {} };
}

const ACCESSORS = ['ipPools', 'nodes', 'workloadEndpoints', 'networkPolicies', 'globalNetworkPolicies', 'tiers', 'kubernetesNetworkPolicies'] as const;
type AccessorName = (typeof ACCESSORS)[number];
const READS = new Set(['get', 'list', 'watch', 'syncSource']);
const WITH_STATUS = new Set<AccessorName>(['ipPools', 'nodes', 'tiers']);

/** A few names, so that creates collide and gets, updates and deletes find what was created. */
const nameArb = fc.constantFrom('a', 'b', 'default', 'allow-frontend', 'pool-a', 'worker-1', 'security');
const namespaceArb = fc.constantFrom('shop', 'default', 'kube-system');

/** Arrays and plain objects: what fast-check generated as structure (not boxed values, maps, …). */
function isWalkable(v: unknown): v is Record<string, unknown> {
  if (Array.isArray(v)) return true;
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Sets (or deletes) one field somewhere in `doc`, picking each step of the path from `seeds`. */
function mutateAt(doc: unknown, seeds: readonly number[], value: unknown, remove: boolean): void {
  let parent: unknown = doc;
  for (const [i, seed] of seeds.entries()) {
    if (!isWalkable(parent)) return;
    const keys = Object.keys(parent);
    const key = keys.length === 0 || seed % 4 === 0 ? `extra${seed % 3}` : keys[seed % keys.length]!;
    const child = (parent as Record<string, unknown>)[key];
    const last = i === seeds.length - 1 || !isWalkable(child);
    if (last) {
      if (remove) delete (parent as Record<string, unknown>)[key];
      else (parent as Record<string, unknown>)[key] = value;
      return;
    }
    parent = child;
  }
}

const mutationArb = fc.record({ seeds: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), value: anyValueArb, remove: fc.boolean() });

/** Valid documents of every kind, renamed into a small pool of names. */
const validDocArb = fc.tuple(anyValidDocArb, nameArb, namespaceArb, fc.boolean()).map(([doc, name, namespace, rename]) => {
  const copy = structuredClone(doc) as unknown as { kind: string; metadata: Record<string, unknown> };
  if (rename && copy.kind !== 'WorkloadEndpoint') copy.metadata.name = name;
  if (copy.metadata.namespace !== undefined) copy.metadata.namespace = namespace;
  return copy as unknown;
});

/** Valid documents with up to three mutations applied. */
const mutatedDocArb = fc.tuple(validDocArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([doc, mutations]) => {
  for (const m of mutations) mutateAt(doc, m.seeds, m.value, m.remove);
  return doc;
});

/** A document argument: valid, mutated, or not a document at all. */
export const documentArb: fc.Arbitrary<unknown> = fc.oneof({ weight: 2, arbitrary: validDocArb }, { weight: 5, arbitrary: mutatedDocArb }, { weight: 2, arbitrary: anyValueArb });

const optionValue = <T>(ok: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: ok }, { weight: 1, arbitrary: hostileValueArb });
const selectorTextArb = fc.oneof(fc.constantFrom('', 'app=web', 'app in (a,b),!legacy', 'a>1', '=', 'a in (', 'tier!=db'), fc.string({ maxLength: 30 }));

/** An options (or object reference) argument: well-formed, with hostile members, or hostile itself. */
export const optionsArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        name: optionValue(nameArb),
        namespace: optionValue(namespaceArb),
        labelSelector: optionValue(selectorTextArb),
        limit: optionValue(fc.integer({ min: 0, max: 5 })),
        continue: optionValue(fc.string({ maxLength: 20 })),
        resourceVersion: optionValue(fc.oneof(fc.constantFrom('1', '0', '999999999', '-1', 'abc'), fc.string({ maxLength: 10 }))),
        uid: optionValue(fc.uuid()),
        onParseError: optionValue(fc.constant(() => undefined)),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyValueArb },
);

/** Waits for a watch's first notification (or `settleMs`), then unsubscribes; rejects with its error. */
function firstNotification(observable: Observable<unknown>, settleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const held: { subscription?: Subscription } = {};
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      held.subscription?.unsubscribe();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(() => finish(), settleMs);
    held.subscription = observable.subscribe({ next: () => finish(), error: (e: unknown) => finish(e), complete: () => finish() });
    // A notification during subscribe() settled before the subscription existed.
    if (settled) held.subscription.unsubscribe();
  });
}

type AnyAccessor = Record<string, (arg?: unknown) => unknown>;

/** Calls of one accessor. */
const accessorCallArb: fc.Arbitrary<FuzzCall> = fc
  .tuple(
    fc.constantFrom(...ACCESSORS),
    fc.constantFrom('create', 'create', 'create', 'update', 'updateStatus', 'updateStored', 'get', 'delete', 'list', 'watch', 'syncSource'),
    documentArb,
    optionsArb,
    mutationArb,
  )
  .map(([accessor, chosen, doc, options, mutation]): FuzzCall => {
    // The Kubernetes NetworkPolicy accessor only reads.
    const method = accessor === 'kubernetesNetworkPolicies' && !READS.has(chosen) ? 'get' : chosen;
    const op = `${accessor}.${method}`;
    const of = (t: FuzzTarget): AnyAccessor => t.client[accessor] as unknown as AnyAccessor;
    switch (method) {
      case 'create':
      case 'update':
        return { op, input: doc, run: async (t) => of(t)[method]!(materialize(doc)) };
      case 'updateStatus':
        return { op, input: doc, run: async (t) => (WITH_STATUS.has(accessor) ? of(t).updateStatus!(materialize(doc)) : of(t).update!(materialize(doc))) };
      case 'updateStored':
        // Read a stored object, change one field, write it back: the path where updates succeed.
        return {
          op,
          input: mutation,
          run: async (t) => {
            const page = (await of(t).list!({ limit: 1 })) as { items: unknown[] };
            const stored = page.items[0];
            if (stored === undefined) return undefined;
            if (mutation.seeds.length > 1) mutateAt(stored, mutation.seeds, materialize(mutation.value), mutation.remove);
            return of(t).update!(stored);
          },
        };
      case 'watch':
        return { op, input: options, run: async (t) => firstNotification(of(t).watch!(materialize(options)) as Observable<unknown>, t.settleMs) };
      case 'syncSource':
        return { op, input: options, run: async (t) => (of(t).syncSource!(materialize(options)) as { list(): Promise<unknown> }).list() };
      default:
        return { op, input: options, run: async (t) => of(t)[method]!(materialize(options)) };
    }
  });

const podArb = fc.constant(null).map(() => ({
  metadata: { name: 'web-0', namespace: 'shop', uid: 'c0ffee00-0000-4000-8000-000000000001', resourceVersion: '42', labels: { app: 'web' }, annotations: {} },
  spec: { nodeName: 'node-1', serviceAccountName: 'web', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  status: { podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], phase: 'Running' },
}));
const kubePolicyArb = fc.constant(null).map(() => ({
  metadata: { name: 'np', namespace: 'shop', uid: 'c0ffee00-0000-4000-8000-000000000002', resourceVersion: '7' },
  spec: {
    podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, protocol: 'TCP' }, { port: 'http' }] }],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { x: 'y' } } }], ports: [{ port: 53, endPort: 60, protocol: 'UDP' }] }],
  },
}));
const kubeNodeArb = fc.constant(null).map(() => ({
  metadata: { name: 'node-1', uid: 'c0ffee00-0000-4000-8000-000000000003', resourceVersion: '9', labels: { a: 'b' }, annotations: { 'projectcalico.org/IPv4Address': '10.0.0.5/24' } },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
  status: { addresses: [{ type: 'InternalIP', address: '10.0.0.5' }] },
}));

/** A Kubernetes object argument: valid, mutated, or hostile. */
const kubeObjectArb = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 1, arbitrary: valid },
    { weight: 4, arbitrary: fc.tuple(valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([o, ms]) => (ms.forEach((m) => mutateAt(o, m.seeds, m.value, m.remove)), o)) },
    { weight: 1, arbitrary: anyValueArb },
  );

/**
 * Calls of the exported model functions and converters (one argument each, plus options). Their
 * results are boxed: some hand a non-string argument back, and awaiting a hostile value (a proxy)
 * would call its `then`.
 */
const modelCallArb: fc.Arbitrary<FuzzCall> = fc.oneof(
  fc.tuple(fc.constantFrom('validate', 'isValid', 'applyDefaults', 'serializeResource'), documentArb).map(([fn, doc]): FuzzCall => ({
    op: fn,
    input: doc,
    run: async () => ({ result: (api[fn] as (d: unknown) => unknown)(materialize(doc)) }),
  })),
  fc
    .tuple(fc.constantFrom('parseSelector', 'parseSelectorUncached', 'validateSelector', 'normaliseSelector', 'isSoleGlobalSelector', 'parseLabelSelector', 'parseWorkloadEndpointName', 'parsePoolCIDR', 'convertUID'), fc.oneof(selectorTextArb, anyValueArb))
    .map(([fn, text]): FuzzCall => ({ op: fn, input: text, run: async () => ({ result: (api[fn] as (t: unknown) => unknown)(materialize(text)) }) })),
  fc.tuple(fc.constantFrom('workloadEndpointName', 'computeWorkloadEndpointName', 'workloadEndpointNamePrefix'), optionsArb).map(([fn, ids]): FuzzCall => ({
    op: fn,
    input: ids,
    run: async () => ({ result: (api[fn] as (t: unknown) => unknown)(materialize(ids)) }),
  })),
  fc.tuple(fc.constantFrom('isReservedPolicyName', 'legacyPolicyName'), fc.constantFrom('NetworkPolicy', 'GlobalNetworkPolicy', 'IPPool'), fc.oneof(nameArb, anyValueArb)).map(([fn, kind, name]): FuzzCall => ({
    op: fn,
    input: name,
    run: async () => ({ result: (api[fn] as (k: unknown, n: unknown) => unknown)(kind, materialize(name)) }),
  })),
  fc.tuple(kubeObjectArb(podArb), optionsArb).map(([pod, options]): FuzzCall => ({ op: 'podToWorkloadEndpoint', input: pod, run: async () => api.podToWorkloadEndpoint(materialize(pod) as never, materialize(options) as never) })),
  fc.tuple(kubeObjectArb(kubePolicyArb), optionsArb).map(([np, options]): FuzzCall => ({ op: 'kubeNetworkPolicyToCalico', input: np, run: async () => api.kubeNetworkPolicyToCalico(materialize(np) as never, materialize(options) as never) })),
  fc.tuple(kubeObjectArb(kubeNodeArb), optionsArb).map(([node, options]): FuzzCall => ({ op: 'kubeNodeToCalico', input: node, run: async () => api.kubeNodeToCalico(materialize(node) as never, materialize(options) as never) })),
  fc.tuple(documentArb, fc.array(documentArb, { maxLength: 3 }), optionsArb).map(([endpoint, policies, options]): FuzzCall => ({
    op: 'policiesForEndpoint',
    input: [endpoint, policies],
    run: async () => api.policiesForEndpoint(materialize(endpoint) as never, materialize(policies) as never, materialize(options) as never),
  })),
);

/** Any call of the public API. */
export const callArb: fc.Arbitrary<FuzzCall> = fc.oneof({ weight: 3, arbitrary: accessorCallArb }, { weight: 1, arbitrary: modelCallArb });

/** The kinds whose revision the runner reads (any kind shows the store's global revision). */
async function storeRevision(client: CalicoClient): Promise<string> {
  return (await client.ipPools.list({ limit: 1 })).resourceVersion;
}

function shown(value: unknown): string {
  try {
    return fc.stringify(value).slice(0, 300);
  } catch {
    return '(cannot be shown)';
  }
}

const prototypeShape = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/**
 * Prepares a target for fuzzing: initialises the datastore (built-in tiers and so on), so that no
 * later call's initialisation is mistaken for a write.
 *
 * @param target The target.
 */
export async function prepareTarget(target: FuzzTarget): Promise<void> {
  await target.client.backend();
}

/**
 * Runs calls one after the other and records what each did.
 *
 * @param target Where the calls go (see {@link prepareTarget}).
 * @param calls The calls.
 * @param tally Where results are added.
 */
export async function runCalls(target: FuzzTarget, calls: Iterable<FuzzCall>, tally: FuzzTally): Promise<void> {
  const prototypeBefore = prototypeShape();
  let revision = await storeRevision(target.client);
  for (const call of calls) {
    tally.calls++;
    let failed = false;
    const started = performance.now();
    try {
      await call.run(target);
      tally.ok++;
    } catch (e) {
      failed = true;
      if (isCalicoError(e)) tally.typed[e.code] = (tally.typed[e.code] ?? 0) + 1;
      else tally.untyped.push({ op: call.op, error: e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : shown(e), input: shown(call.input) });
    }
    tally.timeByOp[call.op] = (tally.timeByOp[call.op] ?? 0) + performance.now() - started;
    const polluted = prototypeShape() !== prototypeBefore || ('polluted' in {});
    if (polluted) tally.prototypeTouched.push(`${call.op}: ${shown(call.input)}`);
    const after = await storeRevision(target.client);
    if (failed && after !== revision) tally.writesOnFailure.push({ op: call.op, before: revision, after, input: shown(call.input) });
    revision = after;
  }
}

/**
 * The calls of one fixed-seed run: `count` calls generated from `seed`, in batches so that a big
 * run never holds every input at once.
 *
 * @param seed The seed.
 * @param count How many calls.
 * @param batch How many are generated at a time.
 */
export function* generatedCalls(seed: number, count: number, batch = 1000): Generator<FuzzCall> {
  for (let start = 0; start < count; start += batch) {
    yield* fc.sample(callArb, { seed: seed + start, numRuns: Math.min(batch, count - start) });
  }
}
