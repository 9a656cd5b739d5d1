/**
 * `version [--client]` (cli.md §6.9).
 *
 * @module
 */
import type { CommandBody } from '../command.js';
import { UsageError } from '../command.js';
import { clientVersion, gitCommit } from '../version-info.js';

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
    try {
      const backend = await s.client.backend();
      const { value } = await backend.get({ kind: 'ClusterInformation', name: 'default' });
      const spec = (value.spec ?? {}) as { calicoVersion?: string; clusterType?: string };
      io.stdout(`Cluster Version:   ${spec.calicoVersion ?? ''}\nCluster Type:      ${spec.clusterType ?? ''}\n`);
    } catch {
      io.stdout('Unable to detect installed Calico version\n');
    }
    return 0;
  });
};
