/**
 * Server-side printing: `meta.k8s.io` `Table` answers for clients that ask for them with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (or `v1beta1`), as `kubectl get` does.
 *
 * Columns are those of the real server: Nodes `Name Status Roles Age Version` (+ wide
 * `Internal-IP External-IP OS-Image Kernel-Version Container-Runtime`), Pods
 * `Name Ready Status Restarts Age` (+ `IP Node Nominated Node Readiness Gates`), Namespaces
 * `Name Status Age`, NetworkPolicies `Name Pod-Selector Age`, ServiceAccounts `Name Secrets Age`,
 * CRDs `Name Created At`, custom resources `Name` + the version's `additionalPrinterColumns`
 * (`Age` when it has none). Wide columns carry `priority: 1`, like the server's. Rows carry the
 * object as `PartialObjectMetadata` unless `includeObject=Object` or `None`. In a watch, only the
 * first event's Table has `columnDefinitions`.
 *
 * @module
 */
import type { RequestContext } from './context.js';
import { badRequest } from './status.js';
import type { JsonObject, JsonValue, KubeObject, PrinterColumn, ResourceDefinition } from './types.js';

/** One `columnDefinitions[]` entry. */
interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/**
 * A duration the way the server prints ages (`45s`, `3m20s`, `5h10m`, `12d`, `2y30d`).
 *
 * @param ms Milliseconds.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function age(ts: JsonValue | undefined): string {
  if (typeof ts !== 'string' || !ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(Date.now() - t);
}

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const objAt = (o: KubeObject | JsonObject, key: string): JsonObject => (isObj(o[key] as JsonValue) ? (o[key] as JsonObject) : {});
const listAt = (o: JsonObject, key: string): JsonObject[] => (Array.isArray(o[key]) ? (o[key] as JsonValue[]).filter(isObj) : []);
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

function nodeRow(o: KubeObject): Cell[] {
  const status = objAt(o, 'status');
  const ready = listAt(status, 'conditions').find((c) => c.type === 'Ready');
  const states = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (objAt(o, 'spec').unschedulable === true) states.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  const info = objAt(status, 'nodeInfo');
  const address = (type: string): string => text(listAt(status, 'addresses').find((a) => a.type === type)?.address) || '<none>';
  return [
    o.metadata?.name ?? '',
    states.join(','),
    roles.size ? [...roles].sort().join(',') : '<none>',
    age(o.metadata?.creationTimestamp),
    text(info.kubeletVersion),
    address('InternalIP'),
    address('ExternalIP'),
    text(info.osImage) || '<unknown>',
    text(info.kernelVersion) || '<unknown>',
    text(info.containerRuntimeVersion) || '<unknown>',
  ];
}

function podRow(o: KubeObject): Cell[] {
  const spec = objAt(o, 'spec');
  const status = objAt(o, 'status');
  let reason = text(status.reason) || text(status.phase);
  let restarts = 0;
  let ready = 0;
  let hasRunning = false;
  let lastRestart = '';
  const statuses = listAt(status, 'containerStatuses');
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i] as JsonObject;
    restarts += typeof c.restartCount === 'number' ? c.restartCount : 0;
    const state = objAt(c, 'state');
    const finished = text(objAt(objAt(c, 'lastState'), 'terminated').finishedAt);
    if (finished > lastRestart) lastRestart = finished;
    if (text(objAt(state, 'waiting').reason)) reason = text(objAt(state, 'waiting').reason);
    else if (isObj(state.terminated)) {
      const t = state.terminated;
      reason = text(t.reason) || (typeof t.signal === 'number' && t.signal !== 0 ? `Signal:${t.signal}` : `ExitCode:${typeof t.exitCode === 'number' ? t.exitCode : 0}`);
    } else if (c.ready === true && isObj(state.running)) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = listAt(status, 'conditions').some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  if (o.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (o.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${age(lastRestart)} ago)` : String(restarts);
  const podIp = text(listAt(status, 'podIPs')[0]?.ip) || '<none>';
  const gates = listAt(spec, 'readinessGates');
  const gateText = gates.length
    ? `${gates.filter((g) => listAt(status, 'conditions').some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
    : '<none>';
  return [
    o.metadata?.name ?? '',
    `${ready}/${listAt(spec, 'containers').length}`,
    reason,
    restartText,
    age(o.metadata?.creationTimestamp),
    podIp,
    text(spec.nodeName) || '<none>',
    text(status.nominatedNodeName) || '<none>',
    gateText,
  ];
}

/** `metav1.FormatLabelSelector`: `a=b,c in (d)`, `<none>` for an empty selector. */
function formatSelector(sel: JsonObject): string {
  const parts: string[] = [];
  for (const k of Object.keys(objAt(sel, 'matchLabels')).sort()) parts.push(`${k}=${text(objAt(sel, 'matchLabels')[k])}`);
  for (const e of listAt(sel, 'matchExpressions')) {
    const values = Array.isArray(e.values) ? (e.values as JsonValue[]).map(text).sort().join(',') : '';
    const op = text(e.operator);
    if (op === 'In') parts.push(`${text(e.key)} in (${values})`);
    else if (op === 'NotIn') parts.push(`${text(e.key)} notin (${values})`);
    else if (op === 'Exists') parts.push(text(e.key));
    else if (op === 'DoesNotExist') parts.push(`!${text(e.key)}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

interface Printer {
  columns: Column[];
  row(o: KubeObject): Cell[];
}

const BUILTIN_PRINTERS: Record<string, Printer> = {
  '/nodes': {
    columns: [
      NAME,
      col('Status', 'string', 'The status of the node'),
      col('Roles', 'string', 'The roles of the node'),
      AGE,
      col('Version', 'string', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('External-IP', 'string', 'List of addresses reachable to the node.', 1),
      col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', 1),
      col('Kernel-Version', 'string', 'Kernel Version reported by the node.', 1),
      col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node.', 1),
    ],
    row: nodeRow,
  },
  '/pods': {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'string', 'IP address allocated to the pod.', 1),
      col('Node', 'string', 'Name of the Node the Pod is scheduled to.', 1),
      col('Nominated Node', 'string', 'Name of the Node that the Pod may be scheduled to once preemption completes.', 1),
      col('Readiness Gates', 'string', 'Conditions the Pod must meet to be ready.', 1),
    ],
    row: podRow,
  },
  '/namespaces': {
    columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
    row: (o) => [o.metadata?.name ?? '', text(objAt(o, 'status').phase), age(o.metadata?.creationTimestamp)],
  },
  '/serviceaccounts': {
    columns: [NAME, col('Secrets', 'string', 'Secrets the ServiceAccount may use.'), AGE],
    row: (o) => [o.metadata?.name ?? '', Array.isArray(o.secrets) ? o.secrets.length : 0, age(o.metadata?.creationTimestamp)],
  },
  'apiextensions.k8s.io/customresourcedefinitions': {
    columns: [NAME, col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
    row: (o) => [o.metadata?.name ?? '', text(o.metadata?.creationTimestamp ?? undefined)],
  },
  'networking.k8s.io/networkpolicies': {
    columns: [NAME, col('Pod-Selector', 'string', 'Selects the pods to which this NetworkPolicy object applies.'), AGE],
    row: (o) => [o.metadata?.name ?? '', formatSelector(objAt(objAt(o, 'spec'), 'podSelector')), age(o.metadata?.creationTimestamp)],
  },
};

/** Follows a simple JSONPath (`.spec.cidr`, `.status.addresses[0].address`); undefined when absent. */
function follow(o: KubeObject, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = o as unknown as JsonValue;
  for (const part of path.replace(/^\./, '').split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) cur = isObj(cur) ? cur[m[1]] : undefined;
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

/** How the server renders a JSONPath result as text (objects and lists as JSON). */
function jsonPathText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function customCell(c: PrinterColumn, o: KubeObject): Cell {
  const v = follow(o, c.jsonPath);
  if (v === undefined || v === null) return null;
  switch (c.type) {
    case 'string':
      return jsonPathText(v);
    case 'date':
      return typeof v === 'string' ? (Number.isNaN(Date.parse(v)) ? '<invalid>' : age(v)) : null;
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    default:
      return null;
  }
}

function printerFor(def: ResourceDefinition): Printer {
  const builtin = BUILTIN_PRINTERS[`${def.group}/${def.plural}`];
  if (builtin && !def.custom) return builtin;
  const custom = def.printerColumns;
  if (custom) {
    const columns = custom.map((c) => col(c.name, c.type, c.description ?? '', c.priority ?? 0, c.format ?? ''));
    return { columns: [NAME, ...columns], row: (o) => [o.metadata?.name ?? '', ...custom.map((c) => customCell(c, o))] };
  }
  return { columns: [NAME, col('Age', 'date', AGE.description)], row: (o) => [o.metadata?.name ?? '', age(o.metadata?.creationTimestamp)] };
}

/** What a request asked for: a Table in `meta.k8s.io/<version>` with some object detail, or nothing. */
export interface TableRequest {
  /** `meta.k8s.io` version of the Table. */
  version: 'v1' | 'v1beta1';
  /** `includeObject`. */
  include: 'None' | 'Metadata' | 'Object';
}

/**
 * Reads the `Accept` header: a Table when its first acceptable type is `as=Table;g=meta.k8s.io`
 * in `v1` or `v1beta1`.
 *
 * @param ctx The request.
 * @return The table request, or undefined for plain JSON.
 */
export function tableRequest(ctx: RequestContext): TableRequest | undefined {
  const accept = ctx.req.headers.accept ?? '';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (type !== 'application/json') continue;
    const p = Object.fromEntries(params.map((x) => x.split('=').map((s) => s.trim()) as [string, string]));
    if (!p.as) return undefined;
    if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) {
      const include = ctx.query.get('includeObject') ?? 'Metadata';
      if (include !== 'None' && include !== 'Metadata' && include !== 'Object') throw badRequest(`unrecognized includeObject value: ${JSON.stringify(include)}`);
      return { version: p.v, include: (include || 'Metadata') as TableRequest['include'] };
    }
  }
  return undefined;
}

function rowObject(def: ResourceDefinition, req: TableRequest, wire: KubeObject): JsonValue | undefined {
  if (req.include === 'None') return undefined;
  if (req.include === 'Object') return wire as unknown as JsonValue;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${req.version}`, metadata: (wire.metadata ?? {}) as JsonValue };
}

/**
 * Builds a Table of objects (already in their wire form).
 *
 * @param def The resource.
 * @param req What the client asked for.
 * @param objects The objects.
 * @param metadata List metadata (`resourceVersion`, `continue`, ...).
 * @param headers Include `columnDefinitions` (false for later watch events).
 */
export function toTable(def: ResourceDefinition, req: TableRequest, objects: KubeObject[], metadata: JsonObject, headers = true): JsonObject {
  const printer = printerFor(def);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${req.version}`,
    metadata,
    columnDefinitions: headers ? (printer.columns as unknown as JsonValue) : null,
    rows: objects.map((o) => {
      const row: JsonObject = { cells: printer.row(o) };
      const obj = rowObject(def, req, o);
      if (obj !== undefined) row.object = obj;
      return row;
    }),
  };
}
