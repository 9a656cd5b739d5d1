/**
 * WorkloadEndpoint names (model.md §8.2): the name of a WorkloadEndpoint is computed from the
 * identifiers in its spec, so the storage key alone says which node, workload and interface it is.
 *
 * A name is four segments joined with `-`: the node, the orchestrator, an orchestrator-specific
 * workload identifier (`pod` for `k8s`, `containerID` for `cni`, the literal `libnetwork` for
 * `libnetwork`, `workload` for anything else), and the endpoint. Every `-` inside a segment is
 * doubled first, so the name can be split back: a single `-` separates, `--` is a literal dash.
 *
 * @module
 */
import { types } from 'node:util';
import { ValidationError } from '../errors.js';

/** The spec fields a WorkloadEndpoint name is computed from. */
export interface WorkloadEndpointIdentifiers {
  /** Name of the Calico Node hosting the workload (`spec.node`). */
  node: string;
  /** Who created the workload (`spec.orchestrator`): `k8s`, `cni`, `libnetwork`, `openstack`, … */
  orchestrator: string;
  /** Endpoint name within the workload (`spec.endpoint`), for example `eth0`. */
  endpoint: string;
  /** Pod name (`spec.pod`); the third segment when the orchestrator is `k8s`. */
  pod?: string;
  /** Container ID (`spec.containerID`); the third segment when the orchestrator is `cni`. */
  containerID?: string;
  /** Workload name (`spec.workload`); the third segment for any other orchestrator except `libnetwork`. */
  workload?: string;
}

/** The name of one identifier field, as in the WorkloadEndpoint spec. */
export type WorkloadEndpointIdentifierField = keyof WorkloadEndpointIdentifiers;

/** Why one identifier cannot be used in a name. */
export interface WorkloadEndpointNameProblem {
  /** The spec field at fault (`node`, `pod`, …). */
  field: WorkloadEndpointIdentifierField;
  /** `required` when the field is empty; `invalid` when it starts or ends with `-`. */
  type: 'required' | 'invalid';
  /** What is wrong, without the field name. */
  message: string;
}

/** Result of {@link computeWorkloadEndpointName}: the name, or every problem that prevents it. */
export type WorkloadEndpointNameResult =
  | { ok: true; name: string }
  | { ok: false; problems: WorkloadEndpointNameProblem[] };

/** A segment of the name: which field supplies it. `orchestrator` appears twice for `libnetwork`. */
type SegmentFields = readonly [
  'node',
  'orchestrator',
  WorkloadEndpointIdentifierField,
  'endpoint',
];

/**
 * The spec fields that make up the four name segments for an orchestrator.
 *
 * ## Example
 * ```ts
 * nameSegmentFields('k8s'); // ['node', 'orchestrator', 'pod', 'endpoint']
 * nameSegmentFields('libnetwork'); // ['node', 'orchestrator', 'orchestrator', 'endpoint']
 * ```
 * @param orchestrator The orchestrator of the endpoint.
 * @return The field supplying each segment, in order.
 */
export function nameSegmentFields(orchestrator: string): SegmentFields {
  switch (orchestrator) {
    case 'k8s':
      return ['node', 'orchestrator', 'pod', 'endpoint'];
    case 'cni':
      return ['node', 'orchestrator', 'containerID', 'endpoint'];
    case 'libnetwork':
      return ['node', 'orchestrator', 'orchestrator', 'endpoint'];
    default:
      return ['node', 'orchestrator', 'workload', 'endpoint'];
  }
}

const IDENTIFIER_FIELDS = ['node', 'orchestrator', 'endpoint', 'pod', 'containerID', 'workload'] as const;

/**
 * The identifiers as plain strings, each read once: a field that is not a string counts as empty
 * (as an absent spec field does).
 *
 * @throws ValidationError (path `ids`) when `ids` is not an object or a field cannot be read.
 */
function readIdentifiers(ids: unknown): Partial<WorkloadEndpointIdentifiers> {
  if (ids === null || typeof ids !== 'object' || types.isProxy(ids)) throw new ValidationError([{ path: 'ids', type: 'invalid', message: 'must be an object of WorkloadEndpoint identifiers' }]);
  const out: Partial<WorkloadEndpointIdentifiers> = {};
  for (const field of IDENTIFIER_FIELDS) {
    let v: unknown;
    try {
      v = (ids as Record<string, unknown>)[field];
    } catch {
      throw new ValidationError([{ path: `ids.${field}`, type: 'invalid', message: 'could not be read' }]);
    }
    if (typeof v === 'string') out[field] = v;
  }
  return out;
}

function valueOf(ids: Partial<WorkloadEndpointIdentifiers>, field: WorkloadEndpointIdentifierField): string {
  return ids[field] ?? '';
}

function segmentProblem(field: WorkloadEndpointIdentifierField, value: string): WorkloadEndpointNameProblem | undefined {
  if (value.length === 0) return { field, type: 'required', message: 'must be set: it is part of the WorkloadEndpoint name' };
  if (value.startsWith('-')) return { field, type: 'invalid', message: "must not begin with '-'" };
  if (value.endsWith('-')) return { field, type: 'invalid', message: "must not end with '-'" };
  return undefined;
}

function escapeSegment(value: string): string {
  return value.replaceAll('-', '--');
}

/**
 * Computes the name of a WorkloadEndpoint from its identifiers, reporting every identifier that
 * is missing or cannot be escaped. When the orchestrator itself is missing, the
 * orchestrator-specific identifier is not reported (it is not known which one is needed).
 *
 * ## Example
 * ```ts
 * computeWorkloadEndpointName({ node: 'a-b', orchestrator: 'k8s', pod: 'c-d', endpoint: 'eth0' });
 * // { ok: true, name: 'a--b-k8s-c--d-eth0' }
 * ```
 * @param given The identifiers; extra properties are ignored, and one that is not a string counts as empty.
 * @return The name, or the problems.
 * @throws ValidationError when `given` is not an object or cannot be read.
 */
export function computeWorkloadEndpointName(given: Partial<WorkloadEndpointIdentifiers>): WorkloadEndpointNameResult {
  const ids = readIdentifiers(given);
  const orchestrator = valueOf(ids, 'orchestrator');
  const fields = nameSegmentFields(orchestrator);
  const problems: WorkloadEndpointNameProblem[] = [];
  const seen = new Set<WorkloadEndpointIdentifierField>();
  const parts: string[] = [];
  for (const field of fields) {
    const value = valueOf(ids, field);
    if (seen.has(field)) {
      parts.push(escapeSegment(value));
      continue;
    }
    seen.add(field);
    if (field !== 'node' && field !== 'orchestrator' && field !== 'endpoint' && orchestrator === '') continue;
    const problem = segmentProblem(field, value);
    if (problem) problems.push(problem);
    else parts.push(escapeSegment(value));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, name: parts.join('-') };
}

/**
 * The name of a WorkloadEndpoint, or `''` when an identifier is missing or starts or ends with
 * `-`. Use {@link computeWorkloadEndpointName} to learn which identifier is at fault.
 *
 * ## Example
 * ```ts
 * workloadEndpointName({ node: 'node1', orchestrator: 'k8s', pod: 'frontend-5d8c', endpoint: 'eth0' });
 * // 'node1-k8s-frontend--5d8c-eth0'
 * ```
 * @param ids The identifiers.
 * @return The computed name, or `''`.
 */
export function workloadEndpointName(ids: Partial<WorkloadEndpointIdentifiers>): string {
  const result = computeWorkloadEndpointName(ids);
  return result.ok ? result.name : '';
}

/**
 * Splits a name at every single `-` (a `--` pair is a literal dash) and un-doubles the dashes.
 * The first character never starts a separator, as in Calico.
 */
function splitName(name: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < name.length; i++) {
    if (name[i] !== '-') continue;
    if (name[i + 1] === '-') {
      i++;
      continue;
    }
    parts.push(name.slice(start, i).replaceAll('--', '-'));
    start = i + 1;
  }
  parts.push(name.slice(start).replaceAll('--', '-'));
  return parts;
}

/**
 * Parses a WorkloadEndpoint name back into its identifiers. Returns `undefined` unless the name is
 * exactly what {@link workloadEndpointName} computes for the identifiers it yields (four
 * non-empty segments, correctly escaped; for `libnetwork` the third segment is `libnetwork`).
 * Only structure is checked, not the format of each identifier.
 *
 * ## Example
 * ```ts
 * parseWorkloadEndpointName('a--b-k8s-c--d-eth0');
 * // { node: 'a-b', orchestrator: 'k8s', pod: 'c-d', endpoint: 'eth0' }
 * ```
 * @param name The WorkloadEndpoint name.
 * @return The identifiers, or `undefined`.
 */
export function parseWorkloadEndpointName(name: string): WorkloadEndpointIdentifiers | undefined {
  if (typeof name !== 'string' || name.length < 7) return undefined;
  const parts = splitName(name);
  if (parts.length !== 4) return undefined;
  const [node, orchestrator, third, endpoint] = parts as [string, string, string, string];
  const ids: WorkloadEndpointIdentifiers = { node, orchestrator, endpoint };
  const field = nameSegmentFields(orchestrator)[2];
  if (field === 'pod' || field === 'containerID' || field === 'workload') ids[field] = third;
  else if (third !== orchestrator) return undefined;
  return workloadEndpointName(ids) === name ? ids : undefined;
}

/**
 * The name prefix shared by every WorkloadEndpoint whose leading identifiers are known: the
 * escaped segments up to the first missing one, each followed by `-` (`node1-` for "all
 * endpoints of node1"). With every identifier known, the full name.
 *
 * A prefix can also match endpoints of other nodes (`node1--x-k8s-web-eth0` belongs to node
 * `node1-x` but starts with `node1-`): callers must re-check `spec.node` on every result.
 *
 * ## Example
 * ```ts
 * workloadEndpointNamePrefix({ node: 'node1' }); // 'node1-'
 * workloadEndpointNamePrefix({ node: 'node1', orchestrator: 'k8s' }); // 'node1-k8s-'
 * ```
 * @param given The known identifiers.
 * @return The prefix, or `undefined` when the node is unknown or a known identifier starts or
 *   ends with `-` (no endpoint can have it).
 */
export function workloadEndpointNamePrefix(given: Partial<WorkloadEndpointIdentifiers>): string | undefined {
  const partial = readIdentifiers(given);
  const orchestrator = valueOf(partial, 'orchestrator');
  const parts: string[] = [];
  for (const field of nameSegmentFields(orchestrator)) {
    const value = valueOf(partial, field);
    if (value === '') return parts.length === 0 ? undefined : `${parts.join('-')}-`;
    if (segmentProblem(field, value)) return undefined;
    parts.push(escapeSegment(value));
  }
  return parts.join('-');
}
