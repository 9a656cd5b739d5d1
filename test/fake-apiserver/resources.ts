/**
 * The set of resources the fake server currently serves ("installed" APIs). Discovery, routing
 * and seeding look resources up here; tests add or remove CRDs at run time to imitate clusters
 * with or without Calico's API groups.
 *
 * @module
 */
import type { ResourceDefinition } from './types.js';

/** The installed resources. */
export interface ResourceRegistry {
  /** Installs (or replaces) a resource for its group/version/plural. */
  register(def: ResourceDefinition): void;
  /** Removes a resource from every version (or one); true when something was removed. */
  unregister(group: string, plural: string, version?: string): boolean;
  /** The resource served at `/{api|apis/group}/version/plural`, if installed. */
  find(group: string, version: string, plural: string): ResourceDefinition | undefined;
  /** The resource whose objects have this `apiVersion` and `kind`. */
  findByKind(apiVersion: string, kind: string): ResourceDefinition | undefined;
  /** Every installed resource. */
  all(): ResourceDefinition[];
}

/** Splits `group/version` (or `v1` for the core group). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `v1` for the core group, `group/version` otherwise. */
export function apiVersionOf(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The storage identity of a resource (shared by all its versions). */
export function resourceId(def: Pick<ResourceDefinition, 'group' | 'plural'>): string {
  return `${def.group}/${def.plural}`;
}

/** Creates an empty registry. */
export function createResourceRegistry(initial: readonly ResourceDefinition[] = []): ResourceRegistry {
  const defs: ResourceDefinition[] = [];
  const registry: ResourceRegistry = {
    register(def) {
      const i = defs.findIndex((d) => d.group === def.group && d.version === def.version && d.plural === def.plural);
      if (i >= 0) defs[i] = def;
      else defs.push(def);
    },
    unregister(group, plural, version) {
      let removed = false;
      for (let i = defs.length - 1; i >= 0; i--) {
        const d = defs[i] as ResourceDefinition;
        if (d.group === group && d.plural === plural && (version === undefined || d.version === version)) {
          defs.splice(i, 1);
          removed = true;
        }
      }
      return removed;
    },
    find(group, version, plural) {
      return defs.find((d) => d.group === group && d.version === version && d.plural === plural);
    },
    findByKind(apiVersion, kind) {
      const { group, version } = splitApiVersion(apiVersion);
      return defs.find((d) => d.group === group && d.version === version && d.kind === kind);
    },
    all() {
      return [...defs];
    },
  };
  for (const d of initial) registry.register(d);
  return registry;
}
