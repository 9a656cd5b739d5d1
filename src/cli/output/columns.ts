/**
 * Table columns per kind and the text of each cell (cli.md §8.1).
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { parseASNumber } from '../../model/numorstring.js';
import { formatGoFloat } from './go-float.js';
import { OutputFormatError } from './output-format.js';

/** What a cell may need beyond the object itself. */
export interface CellContext {
  /**
   * The cluster's default AS number as Node `ASN` cells show it in parentheses when a node has no
   * `spec.bgp.asNumber`: the BGPConfiguration default's `spec.asNumber`, `64512` when there is
   * none, or `unknown` when it could not be read.
   */
  defaultASNumber: string;
}

/** The column lists of one kind. */
export interface KindColumns {
  /** The default (`-o ps`) columns, without `NAMESPACE`. */
  readonly ps: readonly string[];
  /** The `-o wide` columns, without `NAMESPACE`. */
  readonly wide: readonly string[];
  /** Every column `custom-columns=` may name, in the order the unknown-heading error lists them. */
  readonly valid: readonly string[];
}

type CellReader = (object: ResourceObject, context: CellContext) => string;

/** The column every namespaced kind adds in front when `-A` or `-n` is given. */
export const NAMESPACE_COLUMN = 'NAMESPACE';

/** Go's `<nil>`, printed for an absent pointer field. */
const NIL = '<nil>';

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = Object.prototype.hasOwnProperty.call(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/** A scalar as Go's `%v` shows it; absent values are empty (Go's zero string). */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const specText = (...path: string[]): CellReader => (o) => text(field(o.spec, ...path));
const specFlag = (name: string): CellReader => (o) => String(field(o.spec, name) === true);
const specModeOrNever = (name: string): CellReader => (o) => text(field(o.spec, name)) || 'Never';
const specJoined = (name: string): CellReader => (o) => list(field(o.spec, name)).map(text).join(',');

const readName: CellReader = (o) => text(o.metadata?.name);
const readNamespace: CellReader = (o) => text(o.metadata?.namespace);

const readOrder: CellReader = (o) => {
  const order = field(o.spec, 'order');
  return order === undefined || order === null ? NIL : text(order);
};

const readNodeASN: CellReader = (o, context) => {
  const bgp = field(o.spec, 'bgp');
  if (bgp === undefined || bgp === null) return '';
  const asNumber = field(bgp, 'asNumber');
  if (asNumber === undefined || asNumber === null) return `(${context.defaultASNumber})`;
  const parsed = parseASNumber(asNumber);
  return parsed.ok ? String(parsed.value) : text(asNumber);
};

const readAssignmentMode: CellReader = (o) => {
  const mode = field(o.spec, 'assignmentMode');
  return mode === undefined || mode === null ? NIL : text(mode);
};

const readWorkload: CellReader = (o) => text(field(o.spec, 'workload')) || text(field(o.spec, 'pod'));

const readNATs: CellReader = (o) =>
  list(field(o.spec, 'ipNATs'))
    .map((nat) => `{${text(field(nat, 'internalIP'))} ${text(field(nat, 'externalIP'))}}`)
    .join(',');

const readLabelsToApply: CellReader = (o) => {
  const labels = field(o.spec, 'labelsToApply');
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return '';
  return Object.keys(labels)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${text((labels as Record<string, unknown>)[key])}`)
    .join(',');
};

const POLICY_CELLS: Readonly<Record<string, CellReader>> = {
  NAME: readName,
  TIER: specText('tier'),
  ORDER: readOrder,
  SELECTOR: specText('selector'),
};

/**
 * Per kind: every column it can show, in the order they are listed, with how to read the cell.
 * The wide columns come first in their table order, then the extra custom-only columns.
 */
const CELLS: Readonly<Record<string, Readonly<Record<string, CellReader>>>> = {
  Node: { NAME: readName, ASN: readNodeASN, IPV4: specText('bgp', 'ipv4Address'), IPV6: specText('bgp', 'ipv6Address') },
  IPPool: {
    NAME: readName,
    CIDR: specText('cidr'),
    NAT: specFlag('natOutgoing'),
    IPIPMODE: specModeOrNever('ipipMode'),
    VXLANMODE: specModeOrNever('vxlanMode'),
    DISABLED: specFlag('disabled'),
    DISABLEBGPEXPORT: specFlag('disableBGPExport'),
    SELECTOR: specText('nodeSelector'),
    ASSIGNMENTMODE: readAssignmentMode,
  },
  WorkloadEndpoint: {
    NAME: readName,
    WORKLOAD: readWorkload,
    NODE: specText('node'),
    NETWORKS: specJoined('ipNetworks'),
    INTERFACE: specText('interfaceName'),
    PROFILES: specJoined('profiles'),
    NATS: readNATs,
    NAMESPACE: readNamespace,
    ORCHESTRATOR: specText('orchestrator'),
  },
  NetworkPolicy: { ...POLICY_CELLS, NAMESPACE: readNamespace },
  GlobalNetworkPolicy: POLICY_CELLS,
  Profile: { NAME: readName, LABELS: readLabelsToApply },
  Tier: { NAME: readName, ORDER: readOrder },
};

const TABLE_COLUMNS: Readonly<Record<string, { ps: readonly string[]; wide: readonly string[] }>> = {
  Node: { ps: ['NAME'], wide: ['NAME', 'ASN', 'IPV4', 'IPV6'] },
  IPPool: {
    ps: ['NAME', 'CIDR', 'SELECTOR'],
    wide: ['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR', 'ASSIGNMENTMODE'],
  },
  WorkloadEndpoint: {
    ps: ['WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE'],
    wide: ['NAME', 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', 'PROFILES', 'NATS'],
  },
  NetworkPolicy: { ps: ['NAME', 'TIER'], wide: ['NAME', 'TIER', 'ORDER', 'SELECTOR'] },
  GlobalNetworkPolicy: { ps: ['NAME', 'TIER'], wide: ['NAME', 'TIER', 'ORDER', 'SELECTOR'] },
  Profile: { ps: ['NAME'], wide: ['NAME', 'LABELS'] },
  Tier: { ps: ['NAME', 'ORDER'], wide: ['NAME', 'ORDER'] },
};

function cellsOf(kind: string): Readonly<Record<string, CellReader>> {
  const cells = Object.prototype.hasOwnProperty.call(CELLS, kind) ? CELLS[kind] : undefined;
  if (!cells) throw new Error(`no table columns are defined for kind ${kind}`);
  return cells;
}

/**
 * The column lists of a kind.
 *
 * @param kind A v3 kind in the CLI's scope, for example `IPPool`.
 * @return Its ps, wide and valid custom columns.
 * @throws Error when the kind has no table (not one of the CLI's kinds).
 */
export function kindColumns(kind: string): KindColumns {
  const valid = Object.keys(cellsOf(kind));
  const table = TABLE_COLUMNS[kind];
  if (!table) throw new Error(`no table columns are defined for kind ${kind}`);
  return { ps: table.ps, wide: table.wide, valid };
}

/**
 * Checks `custom-columns=` names against the kind's columns.
 *
 * @param kind The v3 kind being printed.
 * @param columns The requested column names.
 * @throws OutputFormatError `unknown heading <H>, valid values are: <list>` for the first unknown
 *   name; the list is the kind's valid columns joined with `, `.
 */
export function checkCustomColumns(kind: string, columns: readonly string[]): void {
  const cells = cellsOf(kind);
  const unknown = columns.find((c) => !Object.prototype.hasOwnProperty.call(cells, c));
  if (unknown !== undefined) {
    throw new OutputFormatError(`unknown heading ${unknown}, valid values are: ${Object.keys(cells).join(', ')}`);
  }
}

/**
 * The text of one table cell.
 *
 * Which field a column shows depends on the object's `kind` (IPPool `SELECTOR` is
 * `spec.nodeSelector`, a policy's is `spec.selector`).
 *
 * @param column A column name valid for the object's kind.
 * @param object The object of the row.
 * @param context The cluster default AS number for Node `ASN`.
 * @return The cell text (possibly empty).
 * @throws OutputFormatError when the column is not one of the kind's columns.
 */
export function cellValue(column: string, object: ResourceObject, context: CellContext): string {
  const cells = cellsOf(object.kind);
  const read = Object.prototype.hasOwnProperty.call(cells, column) ? cells[column] : undefined;
  if (!read) checkCustomColumns(object.kind, [column]);
  return read ? read(object, context) : '';
}
