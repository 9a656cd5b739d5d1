/**
 * `validate()`: the one entry point that checks a document completely — envelope, schema,
 * metadata rules and the kind's semantic rules — and reports every failing field.
 *
 * @module
 */
import type { FieldError } from '../errors.js';
import { collectFieldErrors, type ReportFn } from './field-report.js';
import { checkGlobalNetworkPolicy } from './global-network-policy.js';
import { checkIPPool } from './ippool.js';
import { checkNetworkPolicy } from './network-policy.js';
import { checkTier } from './tier.js';
import { CALICO_API_VERSION, isCalicoKind, KINDS, type CalicoKind } from './kinds.js';
import { plainDataError } from './input-guard.js';
import { checkMetadata } from './metadata.js';
import { checkNode } from './node.js';
import { validateSchema } from './schema-validator.js';
import { checkWorkloadEndpoint } from './workload-endpoint.js';
import { isRecord } from './plain-object.js';

/** The outcome of {@link validate}. */
export interface ValidationResult {
  /** True when `errors` is empty. */
  valid: boolean;
  /** Every failing field, each with a JSON path from the document root. */
  errors: FieldError[];
}

/**
 * A kind's semantic check. The parameter type is `never` so that checks declared over their own
 * input shapes fit; they must accept any value, because they also run on documents that failed
 * the schema.
 */
type SemanticCheck = (resource: never, report: ReportFn) => void;

/** The semantic check of each typed kind of the kind registry (model spec §6–§11); one line per kind. */
const SEMANTIC_CHECKS: Record<CalicoKind, SemanticCheck> = {
  IPPool: checkIPPool,
  Node: checkNode,
  WorkloadEndpoint: checkWorkloadEndpoint,
  NetworkPolicy: checkNetworkPolicy,
  GlobalNetworkPolicy: checkGlobalNetworkPolicy,
  Tier: checkTier,
};

/** The kinds `validate` knows, as its message lists them. */
const KNOWN_KINDS_MESSAGE = `must be one of ${Object.keys(KINDS).join(', ')}`;

/** Errors of the envelope: the document is an object, apiVersion is exactly v3, the kind is known. */
function checkEnvelope(doc: unknown, report: ReportFn): CalicoKind | undefined {
  if (!isRecord(doc)) {
    report('', 'invalid', 'must be an object with apiVersion, kind, metadata and spec');
    return undefined;
  }
  const { apiVersion, kind } = doc;
  if (apiVersion === undefined || apiVersion === '') report('apiVersion', 'required', 'is required');
  else if (apiVersion !== CALICO_API_VERSION) {
    report('apiVersion', 'notSupported', `must be ${CALICO_API_VERSION}`, typeof apiVersion === 'string' && apiVersion.length <= 128 ? apiVersion : undefined);
  }
  if (kind === undefined || kind === '') {
    report('kind', 'required', 'is required');
    return undefined;
  }
  if (!isCalicoKind(kind)) {
    report('kind', 'notSupported', KNOWN_KINDS_MESSAGE, typeof kind === 'string' && kind.length <= 128 ? kind : undefined);
    return undefined;
  }
  return kind;
}

/**
 * Merges the error lists of the successive stages. Within a stage every distinct error is kept;
 * a later stage's error on a path an earlier stage already reported is dropped, so one problem is
 * not reported twice by the schema and by code.
 */
function merge(stages: readonly FieldError[][]): FieldError[] {
  const out: FieldError[] = [];
  const earlierPaths = new Set<string>();
  for (const stage of stages) {
    const seen = new Set<string>();
    for (const e of stage) {
      const key = `${e.path}\u0000${e.type}\u0000${e.message}`;
      if (earlierPaths.has(e.path) || seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
    for (const e of stage) earlierPaths.add(e.path);
  }
  return out;
}

function runSemanticCheck(kind: CalicoKind, doc: Record<string, unknown>, report: ReportFn, schemaFailed: boolean): void {
  const check = SEMANTIC_CHECKS[kind];
  if (!check) return;
  try {
    check(doc as never, report);
  } catch {
    // The checks are written to tolerate any input. If one still throws on a document that already
    // failed the schema, the schema errors describe the problem; otherwise say so without details.
    if (!schemaFailed) report('', 'invalid', `the ${kind} rules could not be evaluated for this document`);
  }
}

/**
 * Validates a document completely and never throws, whatever the input.
 *
 * First the input guard (`model/input-guard.ts`): a value that is not plain JSON data within the
 * input limits (a function, a class instance, a cycle, nesting beyond 100 levels, more than
 * 1.5 MiB) gets that one error, with its path, and nothing else is checked. Then, in order: the envelope (`apiVersion` exactly `projectcalico.org/v3`, a known `kind`), the kind's
 * JSON schema (types, enums, ranges, formats, unknown fields), the metadata rules (name syntax per
 * kind, namespace, labels, annotations) and the kind's semantic rules. Every error is collected;
 * nothing stops at the first. Defaults are not applied: run `applyDefaults` (from `defaults.ts`) first, as the
 * client does, when validating user input.
 *
 * ## Example
 * ```ts
 * const result = validate({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'Pool1' }, spec: { cidr: '10.0.0.1/24' } });
 * // result.valid === false
 * // result.errors: metadata.name (invalid), spec.cidr (host bits set), ...
 * ```
 * @param resource Any value: typically a parsed YAML or JSON document.
 * @return `valid` and the list of failing fields.
 */
export function validate(resource: unknown): ValidationResult {
  const guard = plainDataError(resource);
  return guard === undefined ? validateUnguarded(resource) : { valid: false, errors: [guard] };
}

/**
 * {@link validate} for input that already passed the input guard (the client's own copy of a
 * document it guarded), without walking it a second time. Never throws.
 *
 * @param resource Plain JSON data.
 * @return `valid` and the list of failing fields.
 */
export function validateUnguarded(resource: unknown): ValidationResult {
  try {
    const envelope = collectFieldErrors();
    const kind = checkEnvelope(resource, envelope.report);
    if (kind === undefined) return { valid: false, errors: envelope.errors };
    const doc = resource as Record<string, unknown>;
    const schemaErrors = validateSchema(kind, doc);
    const metadata = collectFieldErrors();
    checkMetadata(kind, doc.metadata, metadata.report);
    const semantic = collectFieldErrors();
    runSemanticCheck(kind, doc, semantic.report, schemaErrors.length > 0);
    const errors = merge([envelope.errors, schemaErrors, metadata.errors, semantic.errors]);
    return { valid: errors.length === 0, errors };
  } catch {
    // Only reachable through hostile inputs (throwing getters, proxies, exotic prototypes).
    return { valid: false, errors: [{ path: '', type: 'invalid', message: 'the document could not be read as plain JSON data' }] };
  }
}

/**
 * True when {@link validate} finds no error.
 *
 * @param resource Any value.
 */
export function isValid(resource: unknown): boolean {
  return validate(resource).valid;
}
