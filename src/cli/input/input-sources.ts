/**
 * Where `-f` reads from (cli.md §4.1): one file, standard input, or the `.yaml`/`.yml`/`.json`
 * files of a directory in lexical order (subdirectories only when recursive).
 *
 * @module
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliIO } from '../io.js';
import { InputError, sourceLabel } from './input-error.js';
import { MAX_SOURCE_BYTES, sourceText, sourceTooLarge } from './input-text.js';

/** One source of documents. */
export interface InputSource {
  /** The path as given (a directory's files are joined onto the directory as given), or `-`. */
  readonly source: string;
  /** Reads the whole source as text. */
  read(): Promise<string>;
}

/** The sources of one `-f` value. */
export interface InputSources {
  /** The directory as given, when `-f` named a directory. */
  readonly directory?: string;
  /** The sources in reading order. */
  readonly sources: readonly InputSource[];
}

/** Extensions of the files read from a directory (case-insensitive). */
const INPUT_EXTENSIONS = /\.(ya?ml|json)$/i;

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads a file, turning failures into an {@link InputError} naming it.
 *
 * @param shown The path as given.
 * @param absolute The path resolved against the working directory.
 * @return The file's text (UTF-8).
 * @throws InputError when it cannot be read, is larger than {@link MAX_SOURCE_BYTES}, or is not text.
 */
async function readSourceFile(shown: string, absolute: string): Promise<string> {
  let bytes: Buffer;
  try {
    if ((await stat(absolute)).size > MAX_SOURCE_BYTES) throw sourceTooLarge(shown);
    bytes = await readFile(absolute);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${shown}: ${reason(e)}`);
  }
  return sourceText(bytes, shown);
}

/**
 * The input files under a directory, as [path as shown, absolute path], in walk order: entries by
 * name, a subdirectory's files where the subdirectory sorts (as Go's `filepath.Walk`). Symbolic
 * links to directories are not followed, so the walk cannot loop.
 */
async function listDirectory(shown: string, absolute: string, recursive: boolean): Promise<Array<[string, string]>> {
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`cannot read ${shown}: ${reason(e)}`);
  }
  entries.sort(byName);
  const out: Array<[string, string]> = [];
  for (const entry of entries) {
    const entryShown = join(shown, entry.name);
    const entryAbsolute = join(absolute, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...(await listDirectory(entryShown, entryAbsolute, true)));
    } else if (INPUT_EXTENSIONS.test(entry.name)) {
      out.push([entryShown, entryAbsolute]);
    }
  }
  return out;
}

/**
 * Resolves a `-f` value into its sources. Nothing is read yet except a directory's listing.
 *
 * @param filename The `-f` value; `-` is standard input; relative paths resolve against `io.cwd`.
 * @param recursive Whether a directory's subdirectories are read too.
 * @param io Standard input and the working directory.
 * @return The sources, and the directory when `filename` is one.
 * @throws InputError when the path does not exist or cannot be read.
 */
export async function inputSources(filename: string, recursive: boolean, io: CliIO): Promise<InputSources> {
  if (filename === '-') return { sources: [{ source: '-', read: () => io.readStdin() }] };
  const absolute = resolve(io.cwd, filename);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(absolute)).isDirectory();
  } catch (e) {
    throw new InputError(`cannot read ${sourceLabel(filename)}: ${reason(e)}`);
  }
  if (!isDirectory) return { sources: [{ source: filename, read: () => readSourceFile(filename, absolute) }] };
  const files = await listDirectory(filename, absolute, recursive);
  return {
    directory: filename,
    sources: files.map(([shown, path]) => ({ source: shown, read: () => readSourceFile(shown, path) })),
  };
}
