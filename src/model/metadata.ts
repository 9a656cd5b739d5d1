/**
 * Metadata rules shared by every kind (model spec §4): the name syntax of each kind, the namespace
 * rule, label keys and values, and annotation keys and total size. The structural part of
 * `metadata` (types, unknown fields) is in the schema; everything here is code because it differs
 * per kind or needs more than a regular expression.
 *
 * Each check writes failing fields into a {@link ReportFn} and never throws; values of the wrong
 * type are skipped (the schema reports those).
 *
 * @module
 */
import { KINDS, type CalicoKind } from './kinds.js';
import type { ReportFn } from './field-report.js';
import { keyPath } from './schema-path.js';
import { isRecord } from './plain-object.js';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;

const LABEL_RE = new RegExp(`^${LABEL}$`);
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN}$`);
const NETWORK_POLICY_NAME_RE = new RegExp(`^(${LABEL}(\\.${LABEL})?|(knp|ossg)\\.default\\.${SUBDOMAIN})$`);
const GLOBAL_NETWORK_POLICY_NAME_RE = new RegExp(`^(${LABEL}\\.)?${LABEL}$`);
const QUALIFIED_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Longest DNS-1123 subdomain, and so the longest name of most kinds. */
export const MAX_SUBDOMAIN_LENGTH = 253;
/** Longest DNS-1123 label: tier names, namespaces, label values and label-key names. */
export const MAX_LABEL_LENGTH = 63;
/** Largest total size of an annotation map, in bytes (keys plus values). */
export const MAX_ANNOTATIONS_BYTES = 262_144;

/** True for a DNS-1123 label of at most 63 characters (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`). */
export function isDNS1123Label(s: string): boolean {
  return s.length <= MAX_LABEL_LENGTH && LABEL_RE.test(s);
}

/** True for a DNS-1123 subdomain (labels joined by `.`) of at most 253 characters. */
export function isDNS1123Subdomain(s: string): boolean {
  return s.length <= MAX_SUBDOMAIN_LENGTH && SUBDOMAIN_RE.test(s);
}

/** A name rule: the maximum length, the check, and the reason shown when it fails. */
interface NameRule {
  readonly maxLength: number;
  readonly test: (name: string) => boolean;
  readonly reason: string;
}

const SUBDOMAIN_RULE: NameRule = {
  maxLength: MAX_SUBDOMAIN_LENGTH,
  test: (n) => SUBDOMAIN_RE.test(n),
  reason: 'must be a lowercase DNS-1123 subdomain (labels of a-z, 0-9 and -, joined by dots)',
};

const NAME_RULES: Readonly<Record<CalicoKind, NameRule>> = {
  IPPool: SUBDOMAIN_RULE,
  Node: SUBDOMAIN_RULE,
  WorkloadEndpoint: SUBDOMAIN_RULE,
  NetworkPolicy: {
    maxLength: MAX_SUBDOMAIN_LENGTH,
    test: (n) => NETWORK_POLICY_NAME_RE.test(n),
    reason: 'must be a lowercase DNS-1123 label, or two labels joined by one dot (or a knp.default./ossg.default. name)',
  },
  GlobalNetworkPolicy: {
    maxLength: MAX_SUBDOMAIN_LENGTH,
    test: (n) => GLOBAL_NETWORK_POLICY_NAME_RE.test(n),
    reason: 'must be a lowercase DNS-1123 label, or two labels joined by one dot',
  },
  Tier: {
    maxLength: MAX_LABEL_LENGTH,
    test: (n) => LABEL_RE.test(n),
    reason: 'must be a lowercase DNS-1123 label (a-z, 0-9 and -, no dots)',
  },
};

/**
 * True when `name` is valid syntax for a `metadata.name` of `kind` (model spec §4.1). Names
 * reserved for converted Kubernetes policies (`knp.default.*`) are valid syntax; refusing writes to
 * them is the client's job.
 *
 * @param kind The kind.
 * @param name The candidate name (non-empty).
 */
export function isValidName(kind: CalicoKind, name: string): boolean {
  const rule = NAME_RULES[kind];
  return name.length > 0 && name.length <= rule.maxLength && rule.test(name);
}

/**
 * Checks `metadata.name`. An empty name is an error except for WorkloadEndpoint (whose name is
 * computed from the spec); with a `generateName` the reason says that generateName is unsupported.
 *
 * @param kind The kind.
 * @param name The name (any value; non-strings are left to the schema).
 * @param generateName `metadata.generateName`, if any.
 * @param report Receives the failure.
 * @param path Path of the name field (default `metadata.name`).
 */
export function checkName(kind: CalicoKind, name: unknown, generateName: unknown, report: ReportFn, path = 'metadata.name'): void {
  if (name !== undefined && name !== null && typeof name !== 'string') return;
  if (name === undefined || name === null || name === '') {
    if (kind === 'WorkloadEndpoint') return;
    if (typeof generateName === 'string' && generateName !== '') {
      report(path, 'required', 'is required: metadata.generateName is not supported');
    } else {
      report(path, 'required', 'is required');
    }
    return;
  }
  const rule = NAME_RULES[kind];
  if (name.length > rule.maxLength) {
    report(path, 'tooLong', `must be at most ${rule.maxLength} characters`);
    return;
  }
  if (!rule.test(name)) report(path, 'invalid', rule.reason, name);
}

/**
 * Checks `metadata.namespace`: required (non-empty) for namespaced kinds, forbidden for
 * cluster-scoped kinds, and when present a DNS-1123 label of at most 63 characters.
 *
 * @param kind The kind.
 * @param namespace The namespace (any value; non-strings are left to the schema).
 * @param report Receives the failure.
 * @param path Path of the namespace field (default `metadata.namespace`).
 */
export function checkNamespace(kind: CalicoKind, namespace: unknown, report: ReportFn, path = 'metadata.namespace'): void {
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') return;
  const present = typeof namespace === 'string' && namespace !== '';
  if (!KINDS[kind].namespaced) {
    if (present) report(path, 'forbidden', `must be empty: ${kind} is cluster-scoped`, namespace);
    return;
  }
  if (!present) {
    report(path, 'required', `is required: ${kind} is namespaced`);
    return;
  }
  if (namespace.length > MAX_LABEL_LENGTH) report(path, 'tooLong', `must be at most ${MAX_LABEL_LENGTH} characters`);
  else if (!LABEL_RE.test(namespace)) report(path, 'invalid', 'must be a lowercase DNS-1123 label', namespace);
}

/**
 * Why `key` is not a valid label key (`[prefix/]name`), or `undefined` when it is.
 * The prefix is a DNS-1123 subdomain of at most 253 characters; the name is 1-63 characters of
 * `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
 *
 * @param key The key to check.
 * @return The reason, or `undefined`.
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix === '') return 'prefix must not be empty';
    if (prefix.length > MAX_SUBDOMAIN_LENGTH) return `prefix must be at most ${MAX_SUBDOMAIN_LENGTH} characters`;
    if (!SUBDOMAIN_RE.test(prefix)) return 'prefix must be a lowercase DNS-1123 subdomain';
  }
  if (name === '') return 'name must not be empty';
  if (name.length > MAX_LABEL_LENGTH) return `name must be at most ${MAX_LABEL_LENGTH} characters`;
  if (!QUALIFIED_NAME_RE.test(name)) {
    return "name must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * Why `value` is not a valid label value, or `undefined` when it is: empty, or at most 63
 * characters of `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`.
 *
 * @param value The value to check.
 * @return The reason, or `undefined`.
 */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  if (!QUALIFIED_NAME_RE.test(value)) return "must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/**
 * Checks a label map: every key and every value (Kubernetes rules, model spec §4.3). Errors name
 * the entry: `metadata.labels["example.com/app"]`.
 *
 * @param labels The map (anything else is left to the schema).
 * @param path Path of the map.
 * @param report Receives the failures.
 */
export function checkLabels(labels: unknown, path: string, report: ReportFn): void {
  if (!isRecord(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const at = keyPath(path, key);
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) report(at, 'invalid', `invalid label key: ${keyProblem}`);
    if (typeof value !== 'string') continue;
    const valueProblem = labelValueProblem(value);
    if (valueProblem) report(at, value.length > MAX_LABEL_LENGTH ? 'tooLong' : 'invalid', `invalid label value: ${valueProblem}`, value);
  }
}

/** Number of bytes `s` takes in UTF-8 (what Go's `len` counts). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Checks an annotation map (model spec §4.4): each key, lower-cased, must be a valid label key,
 * and keys plus values must total at most 262144 bytes. Used for `metadata.annotations` and for
 * the `metadata.annotations` of policy rules. Values are never echoed in errors.
 *
 * ## Example
 * ```ts
 * checkAnnotations(rule.metadata?.annotations, 'spec.ingress[0].metadata.annotations', report);
 * ```
 * @param annotations The map (anything else is left to the schema).
 * @param path Path of the map.
 * @param report Receives the failures.
 */
export function checkAnnotations(annotations: unknown, path: string, report: ReportFn): void {
  if (!isRecord(annotations)) return;
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyProblem = labelKeyProblem(key.toLowerCase());
    if (keyProblem) report(keyPath(path, key), 'invalid', `invalid annotation key: ${keyProblem}`);
    total += utf8Length(key) + (typeof value === 'string' ? utf8Length(value) : 0);
  }
  if (total > MAX_ANNOTATIONS_BYTES) {
    report(path, 'tooLong', `total size of keys and values must be at most ${MAX_ANNOTATIONS_BYTES} bytes (is ${total})`);
  }
}

/**
 * Runs every metadata rule for a document of `kind`: name, namespace, labels and annotations.
 * Does nothing when `metadata` is not an object (the schema reports that).
 *
 * @param kind The document's kind.
 * @param metadata The document's `metadata`.
 * @param report Receives the failures.
 */
export function checkMetadata(kind: CalicoKind, metadata: unknown, report: ReportFn): void {
  if (!isRecord(metadata)) return;
  checkName(kind, metadata.name, metadata.generateName, report);
  checkNamespace(kind, metadata.namespace, report);
  checkLabels(metadata.labels, 'metadata.labels', report);
  checkAnnotations(metadata.annotations, 'metadata.annotations', report);
}
