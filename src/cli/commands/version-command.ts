/**
 * `version [--client]` (cli.md §6.9): the client's version, then the cluster's from
 * `ClusterInformation(default)`; a cluster that cannot be read (unreachable, credentials refused,
 * not initialised) is an error with exit status 1, as in calicoctl.
 *
 * @module
 */
import type { CommandBody } from '../command.js';
import { UsageError } from '../command.js';
import { clientVersion, gitCommit } from '../version-info.js';
import { isUnauthorized } from '../../errors.js';
import { resourceErrorText } from '../error-text.js';

/** `version`. */
export const runVersion: CommandBody = async (input) => {
  const { io } = input;
  if (input.args.length > 0) throw new UsageError(`unexpected argument "${input.args[0]}"`);
  io.stdout(`Client Version:    ${clientVersion()}\nGit commit:        ${gitCommit()}\n`);
  if (input.flags.client === true) return 0;
  // The datastore client loads only when the cluster is asked (keeps `version --client` fast).
  const { openOrReport, withSession } = await import('./command-support.js');
  const session = openOrReport(input);
  if (!session) return 1;
  return withSession(session, async (s) => {
    let spec: { calicoVersion?: string; clusterType?: string };
    try {
      const backend = await s.client.backend();
      spec = ((await backend.get({ kind: 'ClusterInformation', name: 'default' })).value.spec ?? {}) as typeof spec;
    } catch (e) {
      // As calicoctl: a datastore that cannot be read is a failure, not an unknown version.
      io.stderr(`unable to retrieve Cluster Version or Type: ${isUnauthorized(e) ? 'authentication failed: ' : ''}${resourceErrorText(e)}\n`);
      return 1;
    }
    io.stdout(`Cluster Version:   ${spec.calicoVersion || 'unknown'}\nCluster Type:      ${spec.clusterType || 'unknown'}\n`);
    return 0;
  });
};
