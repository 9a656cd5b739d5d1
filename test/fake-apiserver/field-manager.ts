/**
 * `metadata.managedFields`: who owns which fields, and server-side apply on top of it.
 *
 * - Create, update and non-apply patches are `Update` operations: the writer's entry gains the
 *   fields it added or changed, which every other manager loses; removed fields leave every set.
 * - An apply (`application/apply-patch+yaml`) is an `Apply` operation: the manager's entry
 *   becomes exactly the fields of its configuration. Fields another manager owns whose value the
 *   configuration would change are conflicts — 409 `Apply failed with N conflict(s): ...` —
 *   unless `force=true`, which takes them over. Fields set to the value they already have are
 *   shared. Fields the manager applied before and leaves out now are removed from the object
 *   unless another manager owns them.
 * - An entry whose fields did not change keeps its timestamp; entries left with no fields go.
 *
 * @module
 */
import {
  addPath,
  fieldsOf,
  fromFieldsV1,
  mergeApplied,
  pathText,
  removeAt,
  toFieldsV1,
  under,
  valueAt,
  type FieldPath,
  type FieldSet,
} from './field-set.js';
import { canonical } from './object-meta.js';
import { apiVersionOf } from './resources.js';
import { apiFailure, failureStatus } from './status.js';
import type { JsonObject, JsonValue, KubeObject, ResourceDefinition } from './types.js';

/** Who writes. */
export interface ManagerRef {
  manager: string;
  /** `status` for writes to `/status`. */
  subresource?: string;
}

interface Entry {
  raw: JsonObject;
  set: FieldSet;
}

const sameEntry = (raw: JsonObject, ref: ManagerRef, operation: 'Apply' | 'Update'): boolean =>
  raw.manager === ref.manager && raw.operation === operation && (raw.subresource ?? undefined) === ref.subresource;

function entriesOf(obj: KubeObject | undefined): Entry[] {
  return (obj?.metadata?.managedFields ?? []).map((raw) => ({ raw: raw as JsonObject, set: fromFieldsV1((raw as JsonObject).fieldsV1) }));
}

function partOf(def: ResourceDefinition, ref: ManagerRef): 'main' | 'status' | 'all' {
  if (ref.subresource === 'status') return 'status';
  return def.updateKeepsStatus || (def.custom && def.statusSubresource) ? 'main' : 'all';
}

function sameSet(a: FieldSet, b: FieldSet): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

/** Replaces or appends the writer's entry and drops empty ones. */
function withEntry(def: ResourceDefinition, entries: Entry[], ref: ManagerRef, operation: 'Apply' | 'Update', set: FieldSet, time: string): JsonObject[] {
  const out: JsonObject[] = [];
  let placed = false;
  const render = (previous: JsonObject | undefined): JsonObject => {
    const unchanged = previous && sameSet(fromFieldsV1(previous.fieldsV1), set);
    const entry: JsonObject = {
      manager: ref.manager,
      operation,
      apiVersion: apiVersionOf(def),
      time: unchanged ? (previous.time as string) : time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(set),
    };
    if (ref.subresource) entry.subresource = ref.subresource;
    return entry;
  };
  for (const e of entries) {
    if (sameEntry(e.raw, ref, operation)) {
      if (set.size) out.push(render(e.raw));
      placed = true;
    } else if (e.set.size) {
      out.push({ ...e.raw, fieldsV1: toFieldsV1(e.set) });
    }
  }
  if (!placed && set.size) out.push(render(undefined));
  return out;
}

/** True when the value at `path` differs between two objects (list items: presence only). */
function changedAt(before: KubeObject | undefined, after: KubeObject, path: FieldPath): boolean {
  const a = valueAt(before as JsonValue | undefined, path);
  const b = valueAt(after as JsonValue, path);
  if (path[path.length - 1]?.startsWith('k:')) return (a === undefined) !== (b === undefined);
  return a === undefined || b === undefined ? a !== b : canonical(a) !== canonical(b);
}

/**
 * Records an `Update` (create, update, patch) in `next.metadata.managedFields`.
 *
 * @param def The resource.
 * @param old The stored object (undefined on create).
 * @param next The object about to be stored (changed in place).
 * @param ref The writer.
 * @param time The entry's timestamp.
 */
export function recordUpdate(def: ResourceDefinition, old: KubeObject | undefined, next: KubeObject, ref: ManagerRef, time: string): void {
  const part = partOf(def, ref);
  const schema = def.schema;
  const oldSet = old ? fieldsOf(old, schema, part) : new Map<string, FieldPath>();
  const newSet = fieldsOf(next, schema, part);
  const touched: FieldSet = new Map();
  for (const [k, p] of newSet) if (!oldSet.has(k) || changedAt(old, next, p)) touched.set(k, p);
  for (const [k, p] of oldSet) if (!newSet.has(k)) touched.set(k, p);
  const entries = entriesOf(old);
  const own = entries.find((e) => sameEntry(e.raw, ref, 'Update'));
  const mine: FieldSet = new Map(own?.set ?? []);
  for (const e of entries) {
    if (e === own) continue;
    for (const k of touched.keys()) e.set.delete(k);
  }
  for (const [k, p] of touched) {
    if (newSet.has(k)) mine.set(k, p);
    else mine.delete(k);
  }
  (next.metadata ?? (next.metadata = {})).managedFields = withEntry(def, entries, ref, 'Update', mine, time);
}

/** Options of {@link applyConfiguration}. */
export interface ApplyOptions extends ManagerRef {
  /** `force=true`: take over conflicting fields. */
  force: boolean;
}

interface Conflict {
  entry: JsonObject;
  path: FieldPath;
}

function managerText(e: JsonObject): string {
  let s = JSON.stringify(String(e.manager ?? ''));
  if (e.subresource) s += ` with subresource ${JSON.stringify(String(e.subresource))}`;
  return e.operation === 'Update' ? `${s} using ${String(e.apiVersion ?? '')}` : s;
}

function conflictError(conflicts: Conflict[]): Error {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${managerText(c.entry)}`, field: pathText(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0] as Conflict;
    message = `Apply failed with 1 conflict: conflict with ${managerText(c.entry)}: ${pathText(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = managerText(c.entry);
      byManager.set(m, [...(byManager.get(m) ?? []), pathText(c.path)]);
    }
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...(byManager.get(m) ?? []).map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return apiFailure(failureStatus(409, 'Conflict', message, { causes }));
}

/**
 * Applies a configuration to the live object (or to nothing, on create): the merged object with
 * its new `managedFields`, or a 409 for conflicts.
 *
 * @param def The resource.
 * @param live The stored object, undefined when the apply creates it.
 * @param config The applied configuration (type meta checked).
 * @param opts Manager, subresource and `force`.
 * @param time The entry's timestamp.
 */
export function applyConfiguration(def: ResourceDefinition, live: KubeObject | undefined, config: KubeObject, opts: ApplyOptions, time: string): KubeObject {
  const part = partOf(def, opts);
  const applied = structuredClone(config);
  if (part === 'main') delete applied.status;
  if (part === 'status') {
    for (const k of Object.keys(applied)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata' && k !== 'status') delete applied[k];
  }
  const mine = fieldsOf(applied, def.schema, part);
  const merged = mergeApplied(live as JsonValue | undefined, applied as JsonValue, def.schema) as KubeObject;
  const entries = entriesOf(live);
  const own = entries.find((e) => sameEntry(e.raw, opts, 'Apply'));

  const conflicts: Conflict[] = [];
  for (const e of entries) {
    if (e === own) continue;
    for (const [k, p] of mine) if (e.set.has(k) && changedAt(live, merged, p)) conflicts.push({ entry: e.raw, path: p });
  }
  if (conflicts.length && !opts.force) throw conflictError(conflicts);
  for (const c of conflicts) entries.find((e) => e.raw === c.entry)?.set.delete(JSON.stringify(c.path));

  // Fields this manager applied before and leaves out now go, unless someone else holds them.
  for (const [k, p] of own?.set ?? []) {
    if (mine.has(k)) continue;
    const held = entries.some((e) => e !== own && [...e.set.values()].some((q) => under(q, p)));
    if (!held) removeAt(merged as JsonValue, p);
  }
  const set: FieldSet = new Map();
  for (const p of mine.values()) addPath(set, p);
  (merged.metadata ?? (merged.metadata = {})).managedFields = withEntry(def, entries, opts, 'Apply', set, time);
  return merged;
}
