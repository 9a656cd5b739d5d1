/**
 * `applyDefaults()`: the per-kind defaulting the client runs before validation on create and
 * update, and on every object it reads (model spec §2.1 step 5, §2.3 read-defaulting).
 *
 * @module
 */
import { applyGlobalNetworkPolicyDefaults } from './global-network-policy.js';
import { applyIPPoolDefaults } from './ippool.js';
import { applyNetworkPolicyDefaults } from './network-policy.js';
import { applyTierDefaults } from './tier.js';
import { assertPlainData } from './input-guard.js';
import { isCalicoKind, type CalicoKind } from './kinds.js';
import { applyNodeDefaults } from './node.js';
import { applyWorkloadEndpointDefaults } from './workload-endpoint.js';

/** A kind's defaulting function: pure, returns a new object. */
type Defaulter = <T>(resource: T) => T;

/** The defaulting function of each typed kind of the kind registry; one line per kind. */
const DEFAULTERS: Record<CalicoKind, Defaulter> = {
  IPPool: applyIPPoolDefaults,
  Node: applyNodeDefaults,
  WorkloadEndpoint: applyWorkloadEndpointDefaults,
  NetworkPolicy: applyNetworkPolicyDefaults,
  GlobalNetworkPolicy: applyGlobalNetworkPolicyDefaults,
  Tier: applyTierDefaults,
};

/**
 * Deep copy of plain data: arrays and plain objects are copied, other values (primitives, class
 * instances, functions) are kept as they are. Shared and cyclic references keep their shape.
 *
 * @param value Any value.
 * @return A copy that shares no array or plain object with `value`.
 */
export function deepCopy<T>(value: T): T {
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const done = copies.get(v);
    if (done !== undefined) return done;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      copies.set(v, out);
      for (const item of v) out.push(copy(item));
      return out;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const [k, item] of Object.entries(v)) {
      // defineProperty keeps a "__proto__" data key a plain key.
      if (k === '__proto__') Object.defineProperty(out, k, { value: copy(item), enumerable: true, writable: true, configurable: true });
      else out[k] = copy(item);
    }
    return out;
  };
  return copy(value) as T;
}

/**
 * Applies the defaults of the document's kind and returns a new object; the input is never
 * modified. Documents of unknown kinds (and non-objects) come back as a deep copy.
 *
 * The per-kind defaults are in the kind modules: IPPool (canonical CIDR, block size by family,
 * encapsulation `Never`, `nodeSelector` `all()`, `allowedUses`, `assignmentMode`), policies
 * (`tier` `default`, inferred `types`, the tier label), Tier (`order` 1000000, `defaultAction`
 * `Deny`), WorkloadEndpoint (computed name, owned labels). Node has none. Applying defaults twice
 * gives the same result as applying them once.
 *
 * ## Example
 * ```ts
 * applyDefaults<IPPool>({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16' } }).spec.blockSize;
 * // 26
 * ```
 * @param resource The document.
 * @return The defaulted copy.
 * @throws ValidationError when `resource` is not plain JSON data within the input limits
 *   (`model/input-guard.ts`), naming the offending path.
 */
export function applyDefaults<T>(resource: T): T {
  assertPlainData(resource);
  return applyDefaultsUnguarded(resource);
}

/**
 * {@link applyDefaults} for input that already passed the input guard (the client's own copy of
 * a document it guarded), without walking it a second time.
 *
 * @param resource Plain JSON data.
 * @return The defaulted copy.
 */
export function applyDefaultsUnguarded<T>(resource: T): T {
  const copy = deepCopy(resource);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return copy;
  const kind = (copy as { kind?: unknown }).kind;
  const defaulter = isCalicoKind(kind) ? DEFAULTERS[kind] : undefined;
  if (!defaulter) return copy;
  try {
    return defaulter(copy);
  } catch {
    // Defaulting runs before validation, on documents of any shape; if a kind's defaults cannot be
    // applied, validation reports why.
    return copy;
  }
}
