/**
 * The `datastore migrate import` flow: every check before the first write, then lock, write,
 * copy the cluster identity, and verify.
 *
 * @module
 */
import type { Backend } from '../../backends/backend.js';
import type { CliIO } from '../io.js';
import type { CliSession } from '../session.js';
import { setDatastoreReady, updateClusterSpec } from './cluster-lock.js';
import { ipamEntryCount, type ParsedExport } from './export-file.js';
import { importResources } from './import-resources.js';
import { kubernetesTargetProblems } from './kubernetes-target.js';
import { MIGRATION_KINDS } from './migration-kinds.js';
import { progressReporter } from '../progress.js';
import { keyOf } from './resource-keys.js';
import { existingResources } from './target-contents.js';
import { verifyImport } from './verify-import.js';

const MIGRATION_KIND_NAMES = new Set(MIGRATION_KINDS.map((k) => k.kind));

/**
 * The refusal for an IPAM section with entries and no `--skip-ipam`.
 *
 * @param count The number of IPAM entries.
 * @return The line.
 */
export function ipamRefusal(count: number): string {
  return `the file holds ${count} IPAM entries, and importing IPAM data is not supported by calico-datastore; nothing was written. Re-run with --skip-ipam to import everything else (pod address allocations are then not migrated)`;
}

/**
 * Why the target cannot take the file, checked before anything is written: the datastore type, the
 * file's kinds, on Kubernetes the CRDs and namespaces, and that the target holds no Calico resources.
 *
 * @param session The target session.
 * @param backend Its backend.
 * @param env Environment (kubeconfig lookup).
 * @param file The parsed file.
 * @return One line, or undefined when the import may go ahead.
 */
async function targetProblem(session: CliSession, backend: Backend, env: CliIO['env'], file: ParsedExport): Promise<string | undefined> {
  const { config } = session;
  if (config.datastoreType !== 'etcdv3' && config.datastoreType !== 'kubernetes') {
    return `invalid datastore type: ${config.datastoreType} to import into for datastore migration. Datastore type must be etcdv3 or kubernetes`;
  }
  const odd = file.lists.find((l) => !MIGRATION_KIND_NAMES.has(l.kind));
  if (odd) return `the file holds a ${odd.kind}List, which datastore migration does not move; nothing was written`;
  if (config.datastoreType === 'kubernetes') {
    const withItems = file.lists.filter((l) => l.items.length > 0);
    const namespaces = withItems.flatMap((l) => l.items.map((i) => keyOf({ ...i, kind: l.kind }).namespace ?? '')).filter((n) => n !== '');
    const problems = await kubernetesTargetProblems(config, env, { kinds: withItems.map((l) => l.kind), namespaces });
    if (problems.length > 0) return `the Kubernetes target is not ready for this file: ${problems.join('; ')}. Nothing was written`;
  }
  const existing = await existingResources(backend, config.datastoreType === 'kubernetes');
  if (existing.length > 0) {
    return `the target datastore already holds Calico resources (${existing.join(', ')}); import needs an empty datastore. Nothing was written`;
  }
  return undefined;
}

/**
 * Imports a parsed export file into an etcd or Kubernetes datastore (cli.md §9.1–9.3).
 *
 * Before the first write: the target type and the file's kinds are checked; a Kubernetes target
 * must serve every Calico CRD the file needs and have its namespaces (CRDs are not installed: a
 * missing one is named in the error); and the target must hold no Calico resources other than
 * those every datastore has. Then the target is initialised and locked, section 1 is applied in
 * file order (Nodes without a Kubernetes Node are skipped with a warning), `clusterGUID` and
 * `calicoVersion` are copied into the target's ClusterInformation, and every written object is read
 * back and compared with the file. The IPAM section is never imported (the caller has refused it or
 * been told to skip it). The target stays locked.
 *
 * @param io Streams.
 * @param session The target session.
 * @param backend Its backend.
 * @param file The parsed file.
 * @return The exit code: 0 when everything was written and verified.
 */
export async function importDatastore(io: CliIO, session: CliSession, backend: Backend, file: ParsedExport): Promise<number> {
  const problem = await targetProblem(session, backend, io.env, file);
  if (problem) {
    io.stderr(`${problem}\n`);
    return 1;
  }
  const ipamCount = ipamEntryCount(file.ipam);
  if (ipamCount > 0) io.stderr(`[WARNING] skipping ${ipamCount} IPAM entries: pod address allocations were not migrated\n`);

  await setDatastoreReady(backend, false);
  const { written, warnings } = await importResources(backend, file.lists, progressReporter(io, 'imported'));
  for (const w of warnings) io.stderr(`${w}\n`);
  const source = (file.clusterInformation.spec ?? {}) as { clusterGUID?: unknown; calicoVersion?: unknown };
  await updateClusterSpec(backend, (spec) => ({
    ...spec,
    ...(typeof source.clusterGUID === 'string' && source.clusterGUID ? { clusterGUID: source.clusterGUID } : {}),
    ...(typeof source.calicoVersion === 'string' && source.calicoVersion ? { calicoVersion: source.calicoVersion } : {}),
  }));

  const problems = await verifyImport(backend, written);
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`verify: ${p}\n`);
    io.stderr(`import verification failed for ${problems.length} of ${written.length} resource(s)\n`);
    return 1;
  }
  io.stdout(`Verified ${written.length} resource(s): all match.\n`);
  io.stdout('Datastore information successfully imported. Please refer to the datastore migration documentation for next steps.\n');
  return 0;
}
