/**
 * The resources of one parsed document (cli.md §4.2): a single resource, a typed list
 * (`IPPoolList` with `items`) or an array of resources, each checked strictly: the
 * `projectcalico.org/v3` envelope and a CLI kind, no unknown field anywhere, a name, and — with
 * full validation — every model rule.
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import { applyDefaults } from '../../model/defaults.js';
import { validate } from '../../model/validate.js';
import { fieldErrorsText } from '../error-text.js';
import { kindFromDocument, type CliKind } from '../kinds.js';
import { InputError } from './input-error.js';
import { isRecord } from '../../model/plain-object.js';

/** How thoroughly resources are checked while loading. */
export type ValidationMode = 'full' | 'structure';

/** One checked resource of a document. */
export interface DocumentResource {
  /** 0-based index inside a list or array document; undefined for a single resource. */
  item?: number;
  /** Its kind. */
  kind: CliKind;
  /** The resource as written (`metadata` is an object, `{}` when it was absent). */
  object: ResourceObject;
}

const CALICO_API_VERSION = 'projectcalico.org/v3';
const LIST_SUFFIX = 'List';
/** Fields of a typed list document besides `items`. */
const LIST_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'items']);
/** Top-level fields of a Profile, the one CLI kind without a schema (read-only, structure only). */
const PROFILE_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
const UNKNOWN_FIELD = 'field in document is not recognized or is in the wrong location';

type JsonObject = Record<string, unknown>;

/** A field value for an error message: strings as they are, anything else as short JSON. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

function unknownType(kind: unknown, apiVersion: unknown): string {
  return `unknown resource type (${shown(kind)}) and/or version (${shown(apiVersion)})`;
}

/** `IPPool(name)` or `NetworkPolicy(namespace/name)`, as Calico names resources in errors. */
function identity(kind: CliKind, object: ResourceObject): string {
  const name = typeof object.metadata.name === 'string' ? object.metadata.name : '';
  const namespace = object.metadata.namespace;
  return typeof namespace === 'string' && namespace !== '' ? `${kind.kind}(${namespace}/${name})` : `${kind.kind}(${name})`;
}

/** The path of the first field the kind's schema does not know, if any. */
function firstUnknownField(kind: CliKind, object: JsonObject): string | undefined {
  if (kind.kind === 'Profile') return Object.keys(object).find((key) => !PROFILE_FIELDS.has(key));
  return validate(object).errors.find((e) => e.type === 'forbidden' && e.message === 'unknown field')?.path;
}

/**
 * Validates one resource completely, as the client would before writing it: defaults are applied
 * to a copy first, then every schema, metadata and semantic rule runs.
 *
 * The message has Calico's shape: `error with field <path> = '<value>' (<reason>)` for one field
 * (without ` = '<value>'` when the error carries no value), and `error with the following fields:
 * -  <path> = '<value>' (<reason>); -  ...` for several — the items are joined with `; ` so the
 * error stays on one line.
 *
 * @param resource The resource as loaded (it is not modified).
 * @return The message, or undefined when the resource is valid.
 */
export function validateResource(resource: ResourceObject): string | undefined {
  const { errors } = validate(applyDefaults(resource));
  return errors.length === 0 ? undefined : fieldErrorsText(errors);
}

/**
 * Checks one resource value of a document.
 *
 * @param value The parsed value.
 * @param where `<source> document <n>[ item <i>]`, for messages.
 * @param mode Whether to run every model rule too.
 * @return The kind and the resource.
 * @throws InputError naming `where` and the resource.
 */
function checkResource(value: unknown, where: string, mode: ValidationMode): { kind: CliKind; object: ResourceObject } {
  if (!isRecord(value)) throw new InputError(`${where}: a resource must be an object with apiVersion, kind, metadata and spec`);
  const kind = kindFromDocument(value.kind);
  if (value.apiVersion !== CALICO_API_VERSION || !kind) throw new InputError(`${where}: ${unknownType(value.kind, value.apiVersion)}`);
  if (value.metadata === undefined || value.metadata === null) value.metadata = {};
  if (!isRecord(value.metadata)) throw new InputError(`${where}: ${kind.kind}: error with field metadata (must be an object)`);
  const object = value as unknown as ResourceObject;
  const unknown = firstUnknownField(kind, value);
  if (unknown !== undefined) throw new InputError(`${where}: ${identity(kind, object)}: ${UNKNOWN_FIELD}: ${unknown}`);
  const name = object.metadata.name;
  // A WorkloadEndpoint's name may be left out: the client derives it from the spec.
  if (kind.kind !== 'WorkloadEndpoint' && (typeof name !== 'string' || name === '')) {
    throw new InputError(`${where}: ${kind.kind}: error with field metadata.name (is required)`);
  }
  if (mode === 'full' && !kind.readOnly) {
    const problem = validateResource(object);
    if (problem !== undefined) throw new InputError(`${where}: ${identity(kind, object)}: ${problem}`);
  }
  return { kind, object };
}

/** The items of a typed list document, after checking its envelope; undefined when `doc` is no list. */
function listItems(doc: JsonObject, where: string): { items: unknown[]; itemKind: string } | undefined {
  const listKind = doc.kind;
  if (typeof listKind !== 'string' || !listKind.endsWith(LIST_SUFFIX) || !Object.hasOwn(doc, 'items')) return undefined;
  const itemKind = listKind.slice(0, -LIST_SUFFIX.length);
  if (doc.apiVersion !== CALICO_API_VERSION || !kindFromDocument(itemKind)) throw new InputError(`${where}: ${unknownType(listKind, doc.apiVersion)}`);
  const unknown = Object.keys(doc).find((key) => !LIST_FIELDS.has(key));
  if (unknown !== undefined) throw new InputError(`${where}: ${listKind}: ${UNKNOWN_FIELD}: ${unknown}`);
  if (doc.items === null) return { items: [], itemKind };
  if (!Array.isArray(doc.items)) throw new InputError(`${where}: ${listKind}: error with field items (must be a list)`);
  return { items: doc.items, itemKind };
}

/**
 * The resources of one parsed, non-empty document, in order.
 *
 * A typed list's items must be of the list's kind (`IPPoolList` holds IPPools). Objects are used
 * as parsed, not copied; an absent `metadata` becomes `{}`.
 *
 * @param parsed The document's value (not null).
 * @param where `<source> document <n>`, for messages.
 * @param mode Whether to run every model rule too.
 * @return The resources.
 * @throws InputError for the first problem, naming `where`, the item and the resource.
 */
export function documentResources(parsed: unknown, where: string, mode: ValidationMode): DocumentResource[] {
  let items: unknown[];
  let itemKind: string | undefined;
  if (Array.isArray(parsed)) items = parsed;
  else if (isRecord(parsed)) {
    const list = listItems(parsed, where);
    if (!list) return [{ ...checkResource(parsed, where, mode) }];
    ({ items, itemKind } = list);
  } else {
    throw new InputError(`${where}: expected a resource, a typed list or an array of resources, found a ${typeof parsed}`);
  }
  return items.map((value, item) => {
    const itemWhere = `${where} item ${item}`;
    const checked = checkResource(value, itemWhere, mode);
    if (itemKind !== undefined && checked.kind.kind !== itemKind) {
      throw new InputError(`${itemWhere}: a ${itemKind}${LIST_SUFFIX} cannot hold a ${checked.kind.kind}`);
    }
    return { item, ...checked };
  });
}
