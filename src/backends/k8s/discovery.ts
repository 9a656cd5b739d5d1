/**
 * Which API group holds Calico's custom resources (backends spec §3.1), and which of them have a
 * `status` subresource, from the API server's discovery documents.
 *
 * @module
 */
import { isUnavailable } from '../../errors.js';
import { CALICO_API_VERSION } from '../../model/kinds.js';
import type { CrdFacts } from './context.js';
import { CRD_V1_API_VERSION, type CrdMode } from './crd-conversion.js';
import type { Transport } from './transport.js';

interface ApiGroupList {
  groups?: { name?: string }[];
}

interface ApiResourceList {
  resources?: { name?: string }[];
}

/**
 * The custom-resource mode a `calicoAPIGroup` setting selects: `projectcalico.org/v3`
 * (case-insensitive) selects v3, any other value v1.
 *
 * @param setting The configured group/version.
 * @return The mode.
 */
export function modeForSetting(setting: string): CrdMode {
  return setting.toLowerCase() === CALICO_API_VERSION ? 'v3' : 'v1';
}

/**
 * Discovers the Calico custom-resource facts.
 *
 * - With `calicoAPIGroup` set: that group, without asking.
 * - Otherwise `GET /apis`: `projectcalico.org` served and `crd.projectcalico.org` not → v3, else v1.
 *   An HTTP error answer (for example 403) means v1; an unreachable server rejects (so a
 *   transient outage does not fix the mode for the life of the backend).
 * - Then `GET /apis/<group>/<version>` lists the `<plural>/status` subresources; when that fails,
 *   they are unknown.
 *
 * @param transport The transport.
 * @param setting `calicoAPIGroup`, if configured.
 * @param onWarning Receives a notice when discovery is refused.
 * @return The facts.
 * @throws UnavailableError when the API server cannot be reached.
 */
export async function discoverCrdFacts(transport: Transport, setting: string | undefined, onWarning: (message: string) => void): Promise<CrdFacts> {
  let mode: CrdMode = 'v1';
  if (setting) mode = modeForSetting(setting);
  else {
    const res = await transport.request<ApiGroupList>({ method: 'GET', path: '/apis' }, { operation: 'Discover API groups' });
    if (res.ok) {
      const names = new Set((res.body?.groups ?? []).map((g) => g.name));
      if (names.has('projectcalico.org') && !names.has('crd.projectcalico.org')) mode = 'v3';
    } else onWarning(`API group discovery was refused (${res.code}); using ${CRD_V1_API_VERSION} for Calico resources`);
  }
  const basePath = mode === 'v3' ? `/apis/${CALICO_API_VERSION}` : `/apis/${CRD_V1_API_VERSION}`;
  let statusSubresources: Set<string> | undefined;
  try {
    const res = await transport.request<ApiResourceList>({ method: 'GET', path: basePath }, { operation: 'Discover Calico resources' });
    if (res.ok) {
      statusSubresources = new Set(
        (res.body?.resources ?? [])
          .map((r) => r.name ?? '')
          .filter((n) => n.endsWith('/status'))
          .map((n) => n.slice(0, -'/status'.length)),
      );
    }
  } catch (e) {
    if (!isUnavailable(e)) throw e;
  }
  return { mode, basePath, statusSubresources };
}
