/**
 * Turns CustomResourceDefinition manifests (`apiextensions.k8s.io/v1`) into resource definitions:
 * scope, names, the `status` subresource, `selectableFields` and the `openAPIV3Schema` used for
 * pruning, defaulting and validation. Calico's real manifests are read at test time from
 * `/work/shared/calico-crds/` (override with `CALICO_CRD_DIR`); nothing is copied into the project.
 *
 * ## Example
 * ```ts
 * const defs = loadCrdFile(calicoCrdFile('ippools'));
 * ```
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { FieldGetter, JsonObject, JsonValue, KubeObject, PrinterColumn, ResourceDefinition, SchemaNode } from './types.js';

/** Where Calico's `crd.projectcalico.org/v1` manifests live on these machines. */
export { CALICO_CRD_DIR } from '../support/calico-crds-dir.js';
import { CALICO_CRD_DIR } from '../support/calico-crds-dir.js';

/** The Calico CRDs installed by default (plurals). */
export const DEFAULT_CALICO_CRDS = ['ippools', 'networkpolicies', 'globalnetworkpolicies', 'tiers', 'clusterinformations'] as const;

/** Options for {@link resourcesFromCrd}. */
export interface CrdOverrides {
  /** Serve the CRD under another group (e.g. `projectcalico.org` to imitate v3-CRD clusters). */
  group?: string;
  /** Serve it under another version name (e.g. `v3`). */
  version?: string;
}

/** Path of Calico's manifest for a plural, e.g. `ippools` → `.../crd.projectcalico.org_ippools.yaml`. */
export function calicoCrdFile(plural: string, dir: string = CALICO_CRD_DIR): string {
  return join(dir, `crd.projectcalico.org_${plural}.yaml`);
}

function pathGetter(jsonPath: string): FieldGetter {
  const parts = jsonPath.replace(/^\./, '').split('.');
  return (o: KubeObject) => {
    let cur: unknown = o;
    for (const p of parts) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    return cur === undefined || cur === null ? '' : typeof cur === 'string' ? cur : JSON.stringify(cur);
  };
}

function printerColumn(c: JsonObject): PrinterColumn {
  const col: PrinterColumn = { name: String(c.name ?? ''), type: String(c.type ?? 'string'), jsonPath: String(c.jsonPath ?? '') };
  if (typeof c.format === 'string') col.format = c.format;
  if (typeof c.description === 'string') col.description = c.description;
  if (typeof c.priority === 'number') col.priority = c.priority;
  return col;
}

/**
 * Builds one resource definition per served version of a CRD manifest.
 *
 * @param manifest The parsed CRD object.
 * @param overrides Optional group/version renaming.
 * @return The definitions (storage version first).
 */
export function resourcesFromCrd(manifest: JsonObject, overrides: CrdOverrides = {}): ResourceDefinition[] {
  if (manifest.kind !== 'CustomResourceDefinition') throw new Error('not a CustomResourceDefinition manifest');
  const spec = manifest.spec as JsonObject;
  const names = spec.names as JsonObject;
  const versions = (spec.versions as JsonObject[]).filter((v) => v.served !== false);
  versions.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  return versions.map((v) => {
    const sub = (v.subresources ?? {}) as JsonObject;
    const statusSubresource = sub.status !== undefined;
    const fields: Record<string, FieldGetter> = {};
    for (const f of (v.selectableFields ?? []) as JsonObject[]) {
      const jp = String(f.jsonPath);
      fields[jp.replace(/^\./, '')] = pathGetter(jp);
    }
    const schema = ((v.schema as JsonObject | undefined)?.openAPIV3Schema ?? undefined) as SchemaNode | undefined;
    const def: ResourceDefinition = {
      group: overrides.group ?? String(spec.group),
      version: overrides.version ?? String(v.name),
      plural: String(names.plural),
      singular: String(names.singular ?? String(names.kind).toLowerCase()),
      kind: String(names.kind),
      listKind: String(names.listKind ?? `${String(names.kind)}List`),
      namespaced: spec.scope === 'Namespaced',
      shortNames: (names.shortNames ?? []) as string[],
      categories: (names.categories ?? []) as string[],
      statusSubresource,
      statusStrategy: 'status-only',
      custom: true,
      generation: true,
      updateKeepsStatus: statusSubresource,
      allowUnconditionalUpdate: false,
      returnDeletedObject: false,
      listItemsHaveTypeMeta: true,
      nameRule: 'dns-subdomain',
      fields,
    };
    if (schema) def.schema = schema;
    const columns = (v.additionalPrinterColumns ?? []) as JsonObject[];
    if (columns.length) def.printerColumns = columns.map((c) => printerColumn(c));
    const crdName = (manifest.metadata as JsonObject | undefined)?.name;
    if (typeof crdName === 'string') def.crdName = crdName;
    return def;
  });
}

/**
 * Reads a manifest file (YAML, possibly several documents) and returns every CRD in it.
 *
 * @param path The file.
 */
export function readCrdManifests(path: string): JsonObject[] {
  if (!existsSync(path)) {
    throw new Error(`CRD manifest ${path} not found; set CALICO_CRD_DIR to the folder holding Calico's CRD manifests`);
  }
  const text = readFileSync(path, 'utf8');
  const cached = parsed.get(path);
  if (cached?.text === text) return structuredClone(cached.manifests);
  const out: JsonObject[] = [];
  for (const d of parseAllDocuments(text)) {
    const value = d.toJS() as JsonValue;
    if (value && typeof value === 'object' && !Array.isArray(value) && value.kind === 'CustomResourceDefinition') out.push(value);
  }
  parsed.set(path, { text, manifests: out });
  return structuredClone(out);
}

/** Parsed manifests by path (test suites start many servers from the same files). */
const parsed = new Map<string, { text: string; manifests: JsonObject[] }>();

/**
 * A CRD manifest served under another group and/or storage-version name (the CRD's name follows
 * the group: `<plural>.<group>`).
 *
 * @param manifest The parsed CRD.
 * @param overrides Group/version renaming.
 */
export function withOverrides(manifest: JsonObject, overrides: CrdOverrides): JsonObject {
  if (overrides.group === undefined && overrides.version === undefined) return manifest;
  const m = structuredClone(manifest);
  const spec = m.spec as JsonObject;
  if (overrides.group !== undefined) {
    spec.group = overrides.group;
    m.metadata = { ...((m.metadata ?? {}) as JsonObject), name: `${String((spec.names as JsonObject).plural)}.${overrides.group}` };
  }
  if (overrides.version !== undefined) {
    const storage = (spec.versions as JsonObject[]).find((v) => v.storage === true);
    if (storage) storage.name = overrides.version;
  }
  return m;
}

/**
 * Reads a manifest file (YAML, possibly several documents) and returns the definitions of every
 * CRD in it.
 *
 * @param path The file.
 * @param overrides Optional group/version renaming.
 */
export function loadCrdFile(path: string, overrides: CrdOverrides = {}): ResourceDefinition[] {
  return readCrdManifests(path).flatMap((m) => resourcesFromCrd(withOverrides(m, overrides)));
}
