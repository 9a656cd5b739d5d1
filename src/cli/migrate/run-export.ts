/**
 * The `datastore migrate export` flow: checks, the three sections, printing.
 *
 * @module
 */
import type { Backend } from '../../backends/backend.js';
import type { CliIO } from '../io.js';
import type { CliSession } from '../session.js';
import { isLocked, readClusterInformation } from './cluster-lock.js';
import { kindListText, trailerText } from './export-file.js';
import { exportResources } from './export-resources.js';
import { exportEtcdIpam } from './ipam-export.js';
import { progressReporter } from '../progress.js';

/**
 * Exports a locked etcd or Kubernetes datastore to stdout (cli.md §9.2).
 *
 * Beyond calicoctl, a Kubernetes datastore can be the source too (so data can go etcd →
 * Kubernetes → etcd). Its Node names already are Kubernetes names, so nothing is renamed, and its
 * IPAM section is `{}`: Kubernetes keeps IPAM in other custom resources, which this library does not
 * migrate. Everything is read before anything is printed, so a failed export prints no half file;
 * the text is then written one kind at a time.
 *
 * @param io Streams.
 * @param session The open session (its configuration says which datastore this is).
 * @param backend The session's backend.
 * @return The exit code.
 * @throws ExportError for a Node without a `k8s` orchestrator reference (etcd sources).
 */
export async function exportDatastore(io: CliIO, session: CliSession, backend: Backend): Promise<number> {
  const { config } = session;
  if (config.datastoreType !== 'etcdv3' && config.datastoreType !== 'kubernetes') {
    io.stderr(`invalid datastore type: ${config.datastoreType} to export from for datastore migration. Datastore type must be etcdv3 or kubernetes\n`);
    return 1;
  }
  if (!(await isLocked(backend))) {
    io.stderr('datastore is not locked. Run the `calicoctl datastore migrate lock` command in order to begin migration\n');
    return 1;
  }
  const { lists, nodeNames } = await exportResources(backend, config.datastoreType, progressReporter(io, 'exported'));
  const clusterInformation = (await readClusterInformation(backend)).value;
  const ipam = config.datastoreType === 'etcdv3' ? await exportEtcdIpam(config, nodeNames) : {};
  for (const list of lists) io.stdout(kindListText(list));
  io.stdout(trailerText(clusterInformation, ipam));
  return 0;
}
