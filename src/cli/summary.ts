/**
 * The closing messages of the multi-resource commands (cli.md §7): success lines on stdout,
 * errors on stderr, and the exit status.
 *
 * @module
 */
import type { CliIO } from './io.js';

/** The outcome of one resource. */
export interface ResourceOutcome {
  /** The resource's kind. */
  kind: string;
  /** The error text when it failed. */
  error?: string;
}

/** The verb of a command in both forms, for example `create` / `created`. */
export interface Verb {
  /** Infinitive: `create`. */
  present: string;
  /** Past tense: `created`. */
  past: string;
}

/** `'IPPool' ` when every outcome has the same kind, else ``. */
function kindWord(outcomes: readonly ResourceOutcome[], kindHint?: string): string {
  const kinds = new Set(outcomes.map((o) => o.kind));
  const only = kindHint ?? (kinds.size === 1 ? [...kinds][0] : undefined);
  return only ? `'${only}' ` : '';
}

/** Go's `fmt` rendering of a slice of errors: `[a b c]`. */
export function bracketed(errors: readonly string[]): string {
  return `[${errors.join(' ')}]`;
}

/**
 * Prints the summary of create / apply / replace / validate (§7.1, §7.2 with the library rule).
 *
 * @param io Streams.
 * @param verb The command's verb.
 * @param outcomes One per resource, in order.
 * @param kindHint The kind when it was given on the command line.
 * @return The exit status.
 */
export function reportWrites(io: CliIO, verb: Verb, outcomes: readonly ResourceOutcome[], kindHint?: string): number {
  if (outcomes.length === 0) {
    io.stdout('No resources specified\n');
    return 0;
  }
  const kind = kindWord(outcomes, kindHint);
  const errors = outcomes.flatMap((o) => (o.error === undefined ? [] : [o.error]));
  const handled = outcomes.length - errors.length;
  if (errors.length === 0) {
    io.stdout(`Successfully ${verb.past} ${handled} ${kind}resource(s)\n`);
    return 0;
  }
  if (handled > 0) {
    io.stdout(`Partial success: ${verb.past} the first ${handled} out of ${outcomes.length} ${kind}resources:\n`);
    io.stderr(`hit error: ${bracketed(errors)}\n`);
  } else if (outcomes.length === 1) {
    io.stderr(`failed to ${verb.present} ${kind}resource: ${bracketed(errors)}\n`);
  } else {
    io.stderr(`failed to ${verb.present} any ${kind}resources: ${bracketed(errors)}\n`);
  }
  return 1;
}

/**
 * Prints the summary of delete (§7.3).
 *
 * @param io Streams.
 * @param outcomes One per resource, in order.
 * @param kindHint The kind when it was given on the command line.
 * @return The exit status.
 */
export function reportDeletes(io: CliIO, outcomes: readonly ResourceOutcome[], kindHint?: string): number {
  if (outcomes.length === 0) {
    io.stdout('No resources specified\n');
    return 0;
  }
  const kind = kindWord(outcomes, kindHint);
  const failures = outcomes.filter((o) => o.error !== undefined);
  const handled = outcomes.length - failures.length;
  if (handled > 0) io.stdout(`Successfully deleted ${handled} ${kind}resource(s)\n`);
  for (const f of failures) io.stderr(`Failed to delete ${kind}resource: ${f.error}\n`);
  return failures.length === 0 ? 0 : 1;
}
