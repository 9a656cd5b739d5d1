/**
 * The kinds the CLI handles and the names users may type for them (cli.md §3).
 *
 * @module
 */
import { KIND_REGISTRY } from '../model/kind-registry.js';

/** One kind as the CLI knows it. */
export interface CliKind {
  /** The v3 kind, for example `IPPool`. */
  readonly kind: string;
  /** Every accepted name, lower case (matching is case-insensitive). */
  readonly names: readonly string[];
  /** True when objects of the kind live in a namespace. */
  readonly namespaced: boolean;
  /** True when the CLI only reads the kind (Profile). */
  readonly readOnly: boolean;
}

/** The kinds in scope (the registry's kinds with a CLI access), in the order help texts list them. */
export const CLI_KINDS: readonly CliKind[] = Object.freeze(
  KIND_REGISTRY.filter((k) => k.cli !== undefined).map((k) => Object.freeze({ kind: k.kind, names: k.cliNames, namespaced: k.namespaced, readOnly: k.cli === 'read-only' })),
);

const BY_NAME: ReadonlyMap<string, CliKind> = new Map(CLI_KINDS.flatMap((k) => k.names.map((n) => [n, k] as const)));
const BY_KIND: ReadonlyMap<string, CliKind> = new Map(CLI_KINDS.map((k) => [k.kind, k]));

/** A kind name on the command line that no kind answers to. */
export class UnknownKindNameError extends Error {
  constructor(readonly typed: string) {
    super(`resource type '${typed}' is not supported`);
    this.name = 'UnknownKindNameError';
  }
}

/**
 * Resolves a kind name typed on the command line (`ippools`, `GNP`, `wep`, …).
 *
 * @param typed The name as typed.
 * @return The kind.
 * @throws UnknownKindNameError `resource type '<name>' is not supported`.
 */
export function kindFromName(typed: string): CliKind {
  const found = BY_NAME.get(typed.toLowerCase());
  if (!found) throw new UnknownKindNameError(typed);
  return found;
}

/**
 * The CLI kind of a document's `kind` field (exact, case-sensitive), or undefined.
 *
 * @param kind The `kind` field of a document.
 * @return The kind, when it is in scope.
 */
export function kindFromDocument(kind: unknown): CliKind | undefined {
  return typeof kind === 'string' ? BY_KIND.get(kind) : undefined;
}
