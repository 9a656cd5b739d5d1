/**
 * `datastore migrate lock | unlock | export | import` (cli.md §9).
 *
 * Library rules beyond calicoctl: export reads etcd **or** Kubernetes (so data can go
 * etcd → Kubernetes → etcd), and import writes into either. The IPAM section is exported from etcd
 * (raw keys, node names rewritten); from Kubernetes it is written empty. Import does not install
 * CRDs: a Kubernetes target without a Calico CRD that the file needs fails before anything is
 * written, naming it. IPAM import is not supported: a file with IPAM entries is refused before
 * anything is written unless `--skip-ipam` is given. After importing, every object is read back and
 * compared with the file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend } from '../../backends/backend.js';
import { UsageError, type CommandBody, type CommandInput } from '../command.js';
import { resourceErrorText } from '../error-text.js';
import type { CliSession } from '../session.js';
import { openOrReport, stringFlag, withSession } from '../commands/command-support.js';
import { isLocked, readClusterInformation, setDatastoreReady, updateClusterSpec } from './cluster-lock.js';
import { exportResources, ExportError } from './export-resources.js';
import { exportEtcdIpam } from './ipam-export.js';
import { ExportFileError, ipamEntryCount, kindListText, parseExportFile, trailerText } from './export-file.js';
import { existingResources, importResources, verifyImport } from './import-resources.js';
import { progressReporter } from './progress.js';

function noArguments(input: CommandInput): void {
  if (input.args.length > 0) throw new UsageError(`unexpected argument "${input.args[0]}"`);
}

async function withBackend(input: CommandInput, body: (backend: Backend, session: CliSession) => Promise<number>): Promise<number> {
  noArguments(input);
  const session = openOrReport(input);
  if (!session) return 1;
  return withSession(session, async (s) => {
    try {
      return await body(await s.client.backend(), s);
    } catch (e) {
      const text = e instanceof ExportError || e instanceof ExportFileError ? e.message : resourceErrorText(e);
      input.io.stderr(`${text}\n`);
      return 1;
    }
  });
}

/** `datastore migrate lock`. */
export const runLock: CommandBody = (input) =>
  withBackend(input, async (backend) => {
    await setDatastoreReady(backend, false);
    input.io.stdout('Datastore locked.\n');
    return 0;
  });

/** `datastore migrate unlock`. */
export const runUnlock: CommandBody = (input) =>
  withBackend(input, async (backend) => {
    await setDatastoreReady(backend, true);
    input.io.stdout('Datastore unlocked.\n');
    return 0;
  });

/** `datastore migrate export`. */
export const runExport: CommandBody = (input) =>
  withBackend(input, async (backend, session) => {
    const { io } = input;
    const type = session.config.datastoreType;
    if (type !== 'etcdv3' && type !== 'kubernetes') {
      io.stderr(`invalid datastore type: ${type} to export from for datastore migration. Datastore type must be etcdv3 or kubernetes\n`);
      return 1;
    }
    if (!(await isLocked(backend))) {
      io.stderr('datastore is not locked. Run the `calico-datastore datastore migrate lock` command in order to begin migration\n');
      return 1;
    }
    const progress = progressReporter(io, 'exported');
    const { lists, nodeNames } = await exportResources(backend, type === 'etcdv3', progress);
    const clusterInformation = (await readClusterInformation(backend)).value;
    const ipam = session.config.datastoreType === 'etcdv3' ? await exportEtcdIpam(session.config, nodeNames) : {};
    // Nothing is printed until everything has been read, so a failed export leaves no half file.
    for (const list of lists) io.stdout(kindListText(list));
    io.stdout(trailerText(clusterInformation, ipam));
    return 0;
  });

/** `datastore migrate import -f FILE`. */
export const runImport: CommandBody = async (input) => {
  const { io } = input;
  const filename = stringFlag(input, 'filename');
  if (filename === undefined) throw new UsageError('required flag "filename" (-f) not set');
  let text: string;
  try {
    text = filename === '-' ? await io.readStdin() : readFileSync(resolve(io.cwd, filename), 'utf8');
  } catch (e) {
    io.stderr(`failed to read ${filename}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  let parsed: ReturnType<typeof parseExportFile>;
  try {
    parsed = parseExportFile(text, filename);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n`);
    return 1;
  }
  const skipIpam = input.flags['skip-ipam'] === true;
  const ipamCount = ipamEntryCount(parsed.ipam);
  if (ipamCount > 0 && !skipIpam) {
    io.stderr(
      `the file holds ${ipamCount} IPAM entries, and importing IPAM data is not supported by calico-datastore; nothing was written. Re-run with --skip-ipam to import everything else (pod address allocations are then not migrated)\n`,
    );
    return 1;
  }
  return withBackend(input, async (backend) => {
    // Checks before any write: every kind with objects can be stored, and the target is empty.
    for (const list of parsed.lists) {
      if (list.items.length === 0) continue;
      try {
        await backend.list({ kind: list.kind, limit: 1 });
      } catch (e) {
        io.stderr(`the target datastore cannot store ${list.kind} objects (${resourceErrorText(e)}); nothing was written\n`);
        return 1;
      }
    }
    const existing = await existingResources(backend);
    if (existing.length > 0) {
      io.stderr(`the target datastore already holds Calico resources (${existing.join(', ')}); import needs an empty datastore. Nothing was written\n`);
      return 1;
    }
    if (ipamCount > 0) io.stderr(`[WARNING] skipping ${ipamCount} IPAM entries: pod address allocations were not migrated\n`);
    await setDatastoreReady(backend, false);
    const { written, warnings } = await importResources(backend, parsed.lists, progressReporter(io, 'imported'));
    for (const w of warnings) io.stderr(`${w}\n`);
    const source = (parsed.clusterInformation.spec ?? {}) as { clusterGUID?: string; calicoVersion?: string };
    await updateClusterSpec(backend, (spec) => ({
      ...spec,
      ...(source.clusterGUID ? { clusterGUID: source.clusterGUID } : {}),
      ...(source.calicoVersion ? { calicoVersion: source.calicoVersion } : {}),
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
  });
};

