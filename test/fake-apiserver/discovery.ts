/**
 * Discovery documents (`/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>`,
 * `/apis/<group>/<version>`) built from the currently installed resources, in the legacy
 * (non-aggregated) JSON form every client understands.
 *
 * @module
 */
import type { ServerState } from './context.js';
import { apiVersionOf } from './resources.js';
import type { ResourceDefinition } from './types.js';

const MAIN_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

interface GroupVersion {
  groupVersion: string;
  version: string;
}

/** Groups (other than core) and their versions, preferred (first registered) version first. */
function groups(state: ServerState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of state.registry.all()) {
    if (!d.group) continue;
    const versions = out.get(d.group) ?? [];
    if (!versions.includes(d.version)) versions.push(d.version);
    out.set(d.group, versions);
  }
  return out;
}

function groupDoc(name: string, versions: string[]): { name: string; versions: GroupVersion[]; preferredVersion: GroupVersion } {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] as GroupVersion };
}

/** `GET /api`. */
export function apiVersions(state: ServerState): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: state.address() }] };
}

/** `GET /apis`. */
export function apiGroupList(state: ServerState): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups(state)].map(([name, versions]) => groupDoc(name, versions)),
  };
}

/** `GET /apis/<group>`; undefined when the group is not installed. */
export function apiGroup(state: ServerState, group: string): unknown {
  const versions = groups(state).get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) };
}

function resourceEntries(d: ResourceDefinition): unknown[] {
  const main: Record<string, unknown> = {
    name: d.plural,
    singularName: d.singular,
    namespaced: d.namespaced,
    kind: d.kind,
    verbs: MAIN_VERBS,
  };
  if (d.shortNames?.length) main.shortNames = d.shortNames;
  if (d.categories?.length) main.categories = d.categories;
  const out: unknown[] = [main];
  if (d.statusSubresource) out.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: STATUS_VERBS });
  return out;
}

/** `GET /api/v1` or `/apis/<group>/<version>`; undefined when nothing is served there. */
export function apiResourceList(state: ServerState, group: string, version: string): unknown {
  const defs = state.registry.all().filter((d) => d.group === group && d.version === version);
  if (!defs.length && group !== '') return undefined;
  if (group === '' && version !== 'v1') return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: defs.flatMap(resourceEntries),
  };
}
