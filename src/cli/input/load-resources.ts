/**
 * Reading `-f` input (cli.md §4): a file, standard input or a directory; multi-document YAML or
 * JSON; single resources, typed lists and arrays. Every source and document is parsed and checked
 * before the function returns, so a bad document stops the command before anything is written.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ResourceObject } from '../../backends/backend.js';
import { applyDefaults } from '../../model/defaults.js';
import { validate } from '../../model/validate.js';
import type { CliIO } from '../io.js';
import { kindFromDocument, type CliKind } from '../kinds.js';
import { fieldErrorsText } from '../error-text.js';
import { splitDocuments } from './split-documents.js';

/** One resource read from the input. */
export interface LoadedResource {
  /** The path as given, or `-` for standard input. */
  source: string;
  /** 1-based document number in that source. */
  document: number;
  /** 0-based index inside a list or array document. */
  item?: number;
  /** Its kind. */
  kind: CliKind;
  /** The resource as written. */
  object: ResourceObject;
}

/** Where and how to read. */
export interface LoadOptions {
  /** `-f` value; `-` is standard input. */
  filename: string;
  /** Read subdirectories of a directory. */
  recursive: boolean;
  /** An empty source contributes nothing instead of failing. */
  skipEmpty: boolean;
  /** `full`: also apply defaults and validate every resource; `structure`: envelope, unknown fields and name only. */
  validate: 'full' | 'structure';
  /** Streams and working directory. */
  io: CliIO;
}

/** The input cannot be used; the message names the source and document. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const CALICO_API_VERSION = 'projectcalico.org/v3';
const INPUT_EXTENSIONS = /\.(ya?ml|json)$/i;

function listDirectory(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...listDirectory(path, true));
    } else if (INPUT_EXTENSIONS.test(e.name)) out.push(path);
  }
  return out;
}

function describeSource(source: string): string {
  return source === '-' ? 'stdin' : source;
}

function unknownFieldPath(obj: unknown): string | undefined {
  const { errors } = validate(obj);
  return errors.find((e) => e.type === 'forbidden' && e.message === 'unknown field')?.path;
}

/**
 * Validates one resource completely (defaults first, as the client does before writing).
 *
 * @param resource The resource.
 * @return Calico's message for its field errors, or undefined when it is valid.
 */
export function validateResource(resource: ResourceObject): string | undefined {
  const { errors } = validate(applyDefaults(resource));
  return errors.length === 0 ? undefined : fieldErrorsText(errors);
}

function checkResource(value: unknown, where: string, mode: LoadOptions['validate']): { kind: CliKind; object: ResourceObject } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: a resource must be an object`);
  const doc = value as Record<string, unknown>;
  const kind = kindFromDocument(doc.kind);
  if (doc.apiVersion !== CALICO_API_VERSION || !kind) {
    throw new InputError(`${where}: unknown resource type (${String(doc.kind ?? '')}) and/or version (${String(doc.apiVersion ?? '')})`);
  }
  const object = doc as unknown as ResourceObject;
  const name = typeof object.metadata === 'object' && object.metadata !== null ? object.metadata.name : undefined;
  const id = `${kind.kind}(${name ?? ''})`;
  if (!kind.readOnly) {
    const unknown = unknownFieldPath(object);
    if (unknown !== undefined) throw new InputError(`${where}: ${id}: field in document is not recognized or is in the wrong location: ${unknown}`);
  }
  if (kind.kind !== 'WorkloadEndpoint' && (typeof name !== 'string' || name === '')) {
    throw new InputError(`${where}: ${kind.kind}: error with field metadata.name (is required)`);
  }
  if (mode === 'full' && !kind.readOnly) {
    const problem = validateResource(object);
    if (problem !== undefined) throw new InputError(`${where}: ${id}: ${problem}`);
  }
  return { kind, object };
}

function resourcesOf(parsed: unknown, source: string, document: number, mode: LoadOptions['validate']): LoadedResource[] {
  const where = `${describeSource(source)} document ${document}`;
  let items: unknown[] | undefined;
  if (Array.isArray(parsed)) items = parsed;
  else if (typeof parsed === 'object' && parsed !== null) {
    const d = parsed as Record<string, unknown>;
    if (typeof d.kind === 'string' && d.kind.endsWith('List') && Object.hasOwn(d, 'items')) {
      if (!Array.isArray(d.items)) throw new InputError(`${where}: items must be a list`);
      if (d.apiVersion !== CALICO_API_VERSION || !kindFromDocument(d.kind.slice(0, -'List'.length))) {
        throw new InputError(`${where}: unknown resource type (${d.kind}) and/or version (${String(d.apiVersion ?? '')})`);
      }
      items = d.items;
    }
  } else {
    throw new InputError(`${where}: expected a resource, a list or an array of resources`);
  }
  if (!items) {
    const { kind, object } = checkResource(parsed, where, mode);
    return [{ source, document, kind, object }];
  }
  return items.map((value, item) => {
    const { kind, object } = checkResource(value, `${where} item ${item}`, mode);
    return { source, document, item, kind, object };
  });
}

function parseSource(text: string, source: string, mode: LoadOptions['validate']): LoadedResource[] {
  const out: LoadedResource[] = [];
  let documents: ReturnType<typeof splitDocuments>;
  try {
    documents = splitDocuments(text);
  } catch (e) {
    throw new InputError(`${describeSource(source)}: ${(e as Error).message}`);
  }
  for (const { number, text: body } of documents) {
    let parsed: unknown;
    try {
      parsed = parseYaml(body, { uniqueKeys: true, maxAliasCount: 100 });
    } catch (e) {
      const first = ((e as Error).message ?? '').split('\n')[0];
      throw new InputError(`${describeSource(source)} document ${number}: failed to parse as YAML/JSON: ${first}`);
    }
    if (parsed === null || parsed === undefined) continue; // only comments
    out.push(...resourcesOf(parsed, source, number, mode));
  }
  return out;
}

/**
 * Reads every resource of `-f`.
 *
 * @param options See {@link LoadOptions}.
 * @return The resources in input order (an empty array only with `skipEmpty`).
 * @throws InputError for any problem, naming the source and document.
 */
export async function loadResources(options: LoadOptions): Promise<LoadedResource[]> {
  const { filename, io } = options;
  const sources: Array<{ source: string; read: () => Promise<string> }> = [];
  let directory: string | undefined;
  if (filename === '-') sources.push({ source: '-', read: () => io.readStdin() });
  else {
    const path = resolve(io.cwd, filename);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new InputError(`cannot read ${filename}: no such file or directory`);
    }
    if (isDir) {
      directory = filename;
      for (const file of listDirectory(path, options.recursive)) sources.push({ source: file, read: async () => readFileSync(file, 'utf8') });
    } else sources.push({ source: filename, read: async () => readFileSync(path, 'utf8') });
  }
  const all: LoadedResource[] = [];
  for (const s of sources) {
    let text: string;
    try {
      text = await s.read();
    } catch (e) {
      throw new InputError(`cannot read ${describeSource(s.source)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const found = parseSource(text, s.source, options.validate);
    if (found.length === 0 && directory === undefined && !options.skipEmpty) throw new InputError(`no resources specified in file ${describeSource(s.source)}`);
    all.push(...found);
  }
  if (directory !== undefined && all.length === 0 && !options.skipEmpty) throw new InputError(`no resources specified in directory ${directory}`);
  return all;
}
