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
import { openOrReport, stringFlag, withSession } from '../commands/command-support.js';
import { resourceErrorText } from '../error-text.js';
import type { CliSession } from '../session.js';
import { setDatastoreReady } from './cluster-lock.js';
import { ExportFileError, ipamEntryCount, parseExportFile, type ParsedExport } from './export-file.js';
import { ExportError } from './export-resources.js';
import { exportDatastore } from './run-export.js';
import { importDatastore, ipamRefusal } from './run-import.js';

function noArguments(input: CommandInput): void {
  if (input.args.length > 0) throw new UsageError(`unexpected argument "${input.args[0]}"`);
}

/**
 * Opens the session and its backend, runs `body`, and turns a failure into one line on stderr.
 *
 * @param input The command input.
 * @param body The command's work.
 * @return The exit code.
 */
async function withBackend(input: CommandInput, body: (backend: Backend, session: CliSession) => Promise<number>): Promise<number> {
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

/** A command that sets `ClusterInformation(default).spec.datastoreReady` and says so. */
function datastoreReadyCommand(ready: boolean, done: string): CommandBody {
  return async (input) => {
    noArguments(input);
    return await withBackend(input, async (backend) => {
      await setDatastoreReady(backend, ready);
      input.io.stdout(done);
      return 0;
    });
  };
}

/**
 * `datastore migrate lock`: initialises the datastore and sets
 * `ClusterInformation(default).spec.datastoreReady` to false. Resolves to 0, or 1 after printing
 * the error.
 */
export const runLock: CommandBody = datastoreReadyCommand(false, 'Datastore locked.\n');

/** `datastore migrate unlock`: sets `datastoreReady` back to true. Resolves to 0, or 1 after printing the error. */
export const runUnlock: CommandBody = datastoreReadyCommand(true, 'Datastore unlocked.\n');

/**
 * `datastore migrate export`: the three-section export file on stdout (see `exportDatastore`).
 *
 * @param input The command input.
 * @return 0, or 1 after printing the error.
 */
export const runExport: CommandBody = async (input) => {
  noArguments(input);
  return await withBackend(input, (backend, session) => exportDatastore(input.io, session, backend));
};

/**
 * Reads and parses the `-f` file, or prints why it cannot.
 *
 * @param input The command input.
 * @return The parsed file, or undefined after printing the error.
 */
async function readExportFile(input: CommandInput): Promise<ParsedExport | undefined> {
  const { io } = input;
  const filename = stringFlag(input, 'filename');
  if (filename === undefined) throw new UsageError('required flag "filename" (-f) not set');
  let text: string;
  try {
    text = filename === '-' ? await io.readStdin() : readFileSync(resolve(io.cwd, filename), 'utf8');
  } catch (e) {
    io.stderr(`failed to read ${filename}: ${(e as NodeJS.ErrnoException).code ?? resourceErrorText(e)}\n`);
    return undefined;
  }
  try {
    return parseExportFile(text, filename);
  } catch (e) {
    io.stderr(`${resourceErrorText(e)}\n`);
    return undefined;
  }
}

/**
 * `datastore migrate import -f FILE [--skip-ipam]`: the file is read and checked first (three
 * sections; IPAM entries need `--skip-ipam`), then imported (see `importDatastore`).
 *
 * @param input The command input.
 * @return 0 when everything was imported and verified, else 1 after printing why.
 */
export const runImport: CommandBody = async (input) => {
  noArguments(input);
  const file = await readExportFile(input);
  if (!file) return 1;
  const ipamCount = ipamEntryCount(file.ipam);
  if (ipamCount > 0 && input.flags['skip-ipam'] !== true) {
    input.io.stderr(`${ipamRefusal(ipamCount)}\n`);
    return 1;
  }
  return withBackend(input, (backend, session) => importDatastore(input.io, session, backend, file));
};
