/**
 * Resources named on the command line (`KIND NAME...`) turned into the same shape as file input.
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { UsageError } from '../command.js';
import { kindFromName, UnknownKindNameError, type CliKind } from '../kinds.js';
import { resolveNamespace } from '../namespace.js';
import type { PreparedResource } from '../prepare-resources.js';

/**
 * Resolves `KIND` as typed, with calicoctl's message for unknown names.
 *
 * @param typed The kind name.
 * @return The kind.
 * @throws UsageError `resource type '<name>' is not supported`.
 */
export function kindArgument(typed: string | undefined): CliKind {
  if (typed === undefined) throw new UsageError('a resource type is required');
  try {
    return kindFromName(typed);
  } catch (e) {
    if (e instanceof UnknownKindNameError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * One resource per name (§5 step 1), namespace resolved per §4.3.
 *
 * @param kind The kind.
 * @param names The names.
 * @param namespaceFlag `-n` ('' when not given).
 * @param allNamespaces `-A`.
 * @return The resources; a namespace problem is that resource's error.
 */
export function namedResources(kind: CliKind, names: readonly string[], namespaceFlag: string, allNamespaces = false): PreparedResource[] {
  return names.map((name) => {
    if (name === '') throw new UsageError('resource name may not be empty');
    const object: ResourceObject = { apiVersion: 'projectcalico.org/v3', kind: kind.kind, metadata: { name } };
    const ns = resolveNamespace(kind, undefined, { namespace: namespaceFlag, allNamespaces }, 'single');
    if ('error' in ns) return { kind, object, origin: 'command line', error: ns.error };
    if (ns.namespace !== undefined) object.metadata.namespace = ns.namespace;
    return { kind, object, origin: 'command line' };
  });
}
