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
import type { FieldGetter, JsonObject, JsonValue, KubeObject, ResourceDefinition, SchemaNode } from './types.js';

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
    return def;
  });
}

/**
 * Reads a manifest file (YAML, possibly several documents) and returns the definitions of every
 * CRD in it.
 *
 * @param path The file.
 * @param overrides Optional group/version renaming.
 */
export function loadCrdFile(path: string, overrides: CrdOverrides = {}): ResourceDefinition[] {
  if (!existsSync(path)) {
    throw new Error(`CRD manifest ${path} not found; set CALICO_CRD_DIR to the folder holding Calico's CRD manifests`);
  }
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const out: ResourceDefinition[] = [];
  for (const d of docs) {
    const value = d.toJS() as JsonValue;
    if (value && typeof value === 'object' && !Array.isArray(value) && value.kind === 'CustomResourceDefinition') {
      out.push(...resourcesFromCrd(value, overrides));
    }
  }
  return out;
}
