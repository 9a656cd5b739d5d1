/**
 * The shared front half of the file-driven commands: load every document (nothing is written
 * before all of them parse), resolve each resource's namespace (§4.3; a problem there is that
 * resource's error), and, for writes, validate every resource offline so that one invalid document
 * stops the command before anything is written.
 *
 * @module
 */
import type { ResourceObject } from '../backends/backend.js';
import type { CliIO } from './io.js';
import type { CliKind } from './kinds.js';
import { loadResources, InputError, validateResource, type LoadedResource } from './input/load-resources.js';
import { resolveNamespace } from './namespace.js';

/** A resource ready for its action, or the per-resource error that replaces the action. */
export interface PreparedResource {
  /** The kind. */
  kind: CliKind;
  /** The document, namespace resolved (a deep copy of the loaded object). */
  object: ResourceObject;
  /** Where it came from, for messages: `pools.yaml document 2`. */
  origin: string;
  /** Set when the resource cannot be processed (namespace rules). */
  error?: string;
}

/** Why the whole command stops before any action. */
export class PrepareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrepareError';
  }
}

/** Options of {@link prepareResources}. */
export interface PrepareOptions {
  /** `-f` value. */
  filename: string;
  /** `-R`. */
  recursive: boolean;
  /** `--skip-empty`. */
  skipEmpty: boolean;
  /** `-n` value ('' when not given). */
  namespace: string;
  /** Validate every resource completely (writes). */
  validate: boolean;
  /** Streams, environment, working directory. */
  io: CliIO;
}

function originOf(r: LoadedResource): string {
  const source = r.source === '-' ? 'stdin' : r.source;
  return `${source} document ${r.document}${r.item === undefined ? '' : ` item ${r.item}`}`;
}

function identity(obj: ResourceObject): string {
  const name = obj.metadata?.name ?? '';
  return obj.metadata?.namespace ? `${obj.kind}(${obj.metadata.namespace}/${name})` : `${obj.kind}(${name})`;
}

/**
 * Loads and prepares the resources of `-f`.
 *
 * @param options See {@link PrepareOptions}.
 * @return The resources in document order.
 * @throws PrepareError for any load, parse or (with `validate`) validation problem; nothing has been written.
 */
export async function prepareResources(options: PrepareOptions): Promise<PreparedResource[]> {
  let loaded: LoadedResource[];
  try {
    loaded = await loadResources({ filename: options.filename, recursive: options.recursive, skipEmpty: options.skipEmpty, validate: 'structure', io: options.io });
  } catch (e) {
    if (e instanceof InputError) throw new PrepareError(e.message);
    throw e;
  }
  const prepared: PreparedResource[] = [];
  const invalid: string[] = [];
  for (const r of loaded) {
    const object = structuredClone(r.object);
    object.metadata ??= {};
    const ns = resolveNamespace(r.kind, object.metadata.namespace || undefined, { namespace: options.namespace, allNamespaces: false }, 'single');
    if ('error' in ns) {
      prepared.push({ kind: r.kind, object, origin: originOf(r), error: ns.error });
      continue;
    }
    if (ns.namespace !== undefined) object.metadata.namespace = ns.namespace;
    if (options.validate && !r.kind.readOnly) {
      const problem = validateResource(object);
      if (problem !== undefined) invalid.push(`${originOf(r)}: ${identity(object)}: ${problem}`);
    }
    prepared.push({ kind: r.kind, object, origin: originOf(r) });
  }
  if (invalid.length > 0) throw new PrepareError(invalid.join('; '));
  return prepared;
}
