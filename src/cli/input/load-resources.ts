/**
 * Reading `-f` input (cli.md §4): a file, standard input or a directory; multi-document YAML or
 * JSON; single resources, typed lists and arrays. Every source and document is read, parsed and
 * checked before the function returns, so one bad document stops the command before anything is
 * written.
 *
 * @module
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ResourceObject } from '../../backends/backend.js';
import { plainDataError } from '../../model/input-guard.js';
import type { CliIO } from '../io.js';
import type { CliKind } from '../kinds.js';
import { documentResources, type ValidationMode } from './document-resources.js';
import { InputError, sourceLabel } from './input-error.js';
import { inputSources } from './input-sources.js';
import { MAX_TEXT_NESTING, nestsTooDeeply } from './nesting-estimate.js';
import { DocumentTooLargeError, MAX_DOCUMENT_BYTES, splitDocuments, type SourceDocument } from './split-documents.js';

export { InputError } from './input-error.js';
export { validateResource } from './document-resources.js';

/** One resource read from the input. */
export interface LoadedResource {
  /** The path as given (a directory's files joined onto it), or `-` for standard input (`stdin` in messages). */
  source: string;
  /** 1-based YAML document number in that source. */
  document: number;
  /** 0-based index inside a typed list or array document; undefined for a single resource. */
  item?: number;
  /** Its kind. */
  kind: CliKind;
  /** The resource as written (`metadata` is `{}` when the document had none). */
  object: ResourceObject;
}

/** Where and how to read. */
export interface LoadOptions {
  /** `-f` value; `-` is standard input; relative paths resolve against `io.cwd`. */
  filename: string;
  /** Read the subdirectories of a directory too (`-R`). */
  recursive: boolean;
  /** An empty file or directory contributes nothing instead of failing (`--skip-empty`). */
  skipEmpty: boolean;
  /**
   * `full`: also apply defaults and run every model rule on each resource (create, apply, replace,
   * validate); `structure`: envelope, unknown fields and `metadata.name` only (get, delete).
   */
  validate: ValidationMode;
  /** Standard input and the working directory. */
  io: CliIO;
}

/** Options `yaml` parses each document with: duplicate keys are errors, aliases are bounded. */
const YAML_OPTIONS = { uniqueKeys: true, maxAliasCount: 100 } as const;

/**
 * Largest JSON size of one parsed document, aliases expanded: twice the largest document text,
 * since JSON spells the same data with more punctuation than YAML. Lists of many resources fit;
 * each resource is still held to the client's 1.5 MiB limit when it is written.
 */
const MAX_PARSED_BYTES = 2 * MAX_DOCUMENT_BYTES;

/** The parser's first message line without its own (document-relative) position. */
function parserMessage(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Parses one document.
 *
 * @param document The document's text and position.
 * @param where `<source> document <n>`, for messages.
 * @return The parsed value (null or undefined for a document of comments only).
 * @throws InputError with the parser's message and the line:column in the source, when known, or
 *   naming the path of a value that is not JSON data or nests beyond the input limit.
 */
function parseDocument(document: SourceDocument, where: string): unknown {
  const tooDeep = new InputError(`${where}: failed to parse as YAML/JSON: the document nests more than ${MAX_TEXT_NESTING} levels deep`);
  if (nestsTooDeeply(document.text)) throw tooDeep;
  let parsed: unknown;
  try {
    parsed = parseYaml(document.text, YAML_OPTIONS);
  } catch (e) {
    // The parser recurses per level; should a document the estimate let through still overflow
    // the stack, say why rather than repeat the engine's message.
    if (e instanceof RangeError || (e instanceof Error && e.message.includes('Maximum call stack size exceeded'))) throw tooDeep;
    const position = e instanceof YAMLParseError ? e.linePos?.[0] : undefined;
    const at = position ? ` at line ${document.firstLine + position.line - 1}:${position.col}` : '';
    throw new InputError(`${where}: failed to parse as YAML/JSON${at}: ${parserMessage(e)}`);
  }
  // YAML can say more than JSON (`!!binary`, `!!set`) and nest deeper than the library accepts.
  const problem = plainDataError(parsed, { maxBytes: MAX_PARSED_BYTES });
  if (problem) throw new InputError(`${where}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  return parsed;
}

/**
 * The resources of one source's text, in order. Documents holding only whitespace or comments are
 * skipped.
 *
 * @param text The source's text.
 * @param source The source as given, or `-`.
 * @param mode How thoroughly to check.
 * @return The resources.
 * @throws InputError for the first problem.
 */
function sourceResources(text: string, source: string, mode: ValidationMode): LoadedResource[] {
  const label = sourceLabel(source);
  let documents: SourceDocument[];
  try {
    documents = splitDocuments(text);
  } catch (e) {
    if (e instanceof DocumentTooLargeError) throw new InputError(`${label}: ${e.message}`);
    throw e;
  }
  const out: LoadedResource[] = [];
  for (const document of documents) {
    const where = `${label} document ${document.number}`;
    const parsed = parseDocument(document, where);
    if (parsed === null || parsed === undefined) continue;
    for (const r of documentResources(parsed, where, mode)) out.push({ source, document: document.number, ...r });
  }
  return out;
}

/**
 * Reads every resource of `-f`.
 *
 * Sources are read one after the other, and each is parsed completely before the next is read;
 * the first problem throws, so a caller that writes only after this returns writes nothing when
 * any document is bad. Without `skipEmpty`, a file without resources fails with
 * `no resources specified in file <f>` (also inside a directory, as calicoctl does) and a
 * directory without input files with `no resources specified in directory <d>`.
 *
 * @param options See {@link LoadOptions}.
 * @return The resources in input order (empty only with `skipEmpty`; the caller then prints
 *   `No resources specified`).
 * @throws InputError for any problem, naming the source, document and item where there is one.
 */
export async function loadResources(options: LoadOptions): Promise<LoadedResource[]> {
  const { directory, sources } = await inputSources(options.filename, options.recursive, options.io);
  const all: LoadedResource[] = [];
  for (const { source, read } of sources) {
    const found = sourceResources(await read(), source, options.validate);
    if (found.length === 0 && !options.skipEmpty) throw new InputError(`no resources specified in file ${sourceLabel(source)}`);
    for (const r of found) all.push(r);
  }
  if (directory !== undefined && all.length === 0 && !options.skipEmpty) throw new InputError(`no resources specified in directory ${directory}`);
  return all;
}
