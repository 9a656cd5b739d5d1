/**
 * The single entry point that turns what `get` found into the text it prints (cli.md §8).
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { cellValue, checkCustomColumns, kindColumns, NAMESPACE_COLUMN, type CellContext } from './columns.js';
import { inCalicoFieldOrder } from './document-order.js';
import type { OutputFormat } from './output-format.js';
import { renderTable } from './table.js';
import { toCalicoYaml } from './yaml-text.js';

/** One printed thing: the result of a list, or one object. Set exactly one of the two. */
export interface PrintUnit {
  /** A list result: every item and the revision of the list. */
  list?: { items: ResourceObject[]; resourceVersion: string };
  /** One object (a named get). */
  object?: ResourceObject;
}

/** Everything `renderOutput` needs. */
export interface RenderRequest {
  /** The parsed `-o` value. */
  format: OutputFormat;
  /** The v3 kind being printed, for example `IPPool`. */
  kind: string;
  /** True when the kind lives in namespaces. */
  namespaced: boolean;
  /** True when `-A` or `-n` was given: tables of namespaced kinds then start with `NAMESPACE`. */
  showNamespace: boolean;
  /** The printed things, in order. */
  units: PrintUnit[];
  /**
   * The cluster default AS number shown as `(<n>)` in Node `ASN` cells; `unknown` when it could
   * not be read.
   * @default '64512'
   */
  defaultASNumber?: string;
}

/** Calico's default AS number, used when the caller did not look one up. */
const CALICO_DEFAULT_AS_NUMBER = '64512';
const API_VERSION = 'projectcalico.org/v3';

function unitItems(unit: PrintUnit): ResourceObject[] {
  if (unit.list) return unit.list.items;
  return unit.object ? [unit.object] : [];
}

function tierOrder(tier: ResourceObject): number {
  const spec = tier.spec as { order?: unknown } | undefined;
  return typeof spec?.order === 'number' ? spec.order : Infinity;
}

/** Tier lists print by ascending order, tiers without one last; other lists keep their order. */
function withTiersOrdered(unit: PrintUnit, kind: string): PrintUnit {
  if (kind !== 'Tier' || !unit.list) return unit;
  const items = [...unit.list.items].sort((a, b) => {
    const x = tierOrder(a);
    const y = tierOrder(b);
    return x === y ? 0 : x < y ? -1 : 1;
  });
  return { list: { ...unit.list, items } };
}

function tableHeader(request: Omit<RenderRequest, 'units'>): string[] {
  const { format } = request;
  if (format.type === 'custom') {
    checkCustomColumns(request.kind, format.columns);
    return [...format.columns];
  }
  const columns = kindColumns(request.kind);
  const base = format.type === 'wide' ? columns.wide : columns.ps;
  return request.namespaced && request.showNamespace ? [NAMESPACE_COLUMN, ...base] : [...base];
}

function renderTables(request: RenderRequest, units: readonly PrintUnit[]): string {
  return units
    .map((unit) => {
      const table = tableBuilder(request);
      table.add(unitItems(unit));
      return table.text();
    })
    .join('');
}

/** A table filled a page at a time: only the cells of each row are kept, not the objects. */
export interface TableBuilder {
  /** Adds one row per object. */
  add(items: readonly ResourceObject[]): void;
  /** The table, with the header and the empty line after it (Go's tabwriter aligns over all rows). */
  text(): string;
}

/**
 * Starts one table of `request.kind` in `request.format` (`ps`, `wide` or custom columns).
 *
 * @param request Everything of a {@link RenderRequest} but its units.
 * @return The builder.
 * @throws OutputFormatError for a custom column the kind does not have.
 */
export function tableBuilder(request: Omit<RenderRequest, 'units'>): TableBuilder {
  const header = tableHeader(request);
  const context: CellContext = { defaultASNumber: request.defaultASNumber ?? CALICO_DEFAULT_AS_NUMBER };
  const rows: string[][] = [];
  return {
    add(items) {
      for (const item of items) rows.push(header.map((column) => cellValue(column, item, context)));
    },
    text: () => renderTable(header, rows),
  };
}

/** The document for one unit: the object, or the typed List object for a list. */
function printedDocument(unit: PrintUnit, kind: string): unknown {
  if (!unit.list) return inCalicoFieldOrder(unit.object);
  return {
    kind: `${kind}List`,
    apiVersion: API_VERSION,
    metadata: { resourceVersion: unit.list.resourceVersion },
    items: unit.list.items.map(inCalicoFieldOrder),
  };
}

function printedValue(units: readonly PrintUnit[], kind: string): unknown {
  const documents = units.map((unit) => printedDocument(unit, kind));
  return documents.length === 1 ? documents[0] : documents;
}

/**
 * Renders `get` output.
 *
 * - `ps`, `wide`, `custom-columns`: one table per unit (a list is one table of all its items, a
 *   named object is a table of its own with its own header), each followed by an empty line.
 *   `NAMESPACE` is the first column for namespaced kinds when `showNamespace` is set (never added
 *   to custom columns).
 * - `yaml`, `json`: a single unit prints as that object, or as the typed `<Kind>List` object for a
 *   list (`items: []` when empty); several units print as a sequence/array of those. JSON has
 *   two-space indentation, Calico's field order, no HTML escaping and a trailing newline; YAML
 *   has sorted keys (see `yaml-text.ts`).
 *
 * Tier lists are sorted by `spec.order` ascending with unordered tiers last.
 *
 * @param request The format, kind and units to print.
 * @return The text for stdout (empty when there is nothing to print as a table).
 * @throws OutputFormatError `unknown heading <H>, valid values are: <list>` for a custom column
 *   the kind does not have.
 */
export function renderOutput(request: RenderRequest): string {
  const units = request.units.map((unit) => withTiersOrdered(unit, request.kind));
  switch (request.format.type) {
    case 'yaml':
      return toCalicoYaml(printedValue(units, request.kind));
    case 'json':
      return `${JSON.stringify(printedValue(units, request.kind), null, 2)}\n`;
    default:
      return renderTables(request, units);
  }
}
