/**
 * `create`, `apply`, `replace` and `validate` (cli.md §6.1–6.3, §6.8, §7.1).
 *
 * @module
 */
import { isAlreadyExists } from '../../errors.js';
import type { CommandBody, CommandInput } from '../command.js';
import { UsageError } from '../command.js';
import { operationsFor } from '../resource-ops.js';
import { resourceErrorText } from '../error-text.js';
import { reportWrites, type ResourceOutcome, type Verb } from '../summary.js';
import { applyOne, createOne, replaceOne } from '../write-actions.js';
import { validateResource } from '../input/load-resources.js';
import { progressReporter } from '../progress.js';
import { booleanFlag, loadInputOrReport, openOrReport, withSession } from './command-support.js';

type WriteMode = 'create' | 'apply' | 'replace';

const VERBS: Record<WriteMode | 'validate', Verb> = {
  create: { present: 'create', past: 'created' },
  apply: { present: 'apply', past: 'applied' },
  replace: { present: 'replace', past: 'replaced' },
  validate: { present: 'validate', past: 'validated' },
};

function noArguments(input: CommandInput): void {
  if (input.args.length > 0) throw new UsageError(`unexpected argument "${input.args[0]}": resources are read from -f`);
}

async function runWrite(input: CommandInput, mode: WriteMode): Promise<number> {
  noArguments(input);
  const resources = await loadInputOrReport(input, true);
  if (!resources) return 1;
  if (resources.length === 0) return reportWrites(input.io, VERBS[mode], []);
  const session = openOrReport(input);
  if (!session) return 1;
  const skipExists = mode === 'create' && booleanFlag(input, 'skip-exists');
  return withSession(session, async (s) => {
    // As calicoctl, initialise before writing; unlike it, not when no resource will be written.
    if (resources.some((r) => r.error === undefined)) await s.initialize();
    const outcomes: ResourceOutcome[] = [];
    // On a terminal, a long run says how far it got (never into a pipe or a file).
    const progress = input.io.stderrIsTTY ? progressReporter(input.io, VERBS[mode].past, resources.length) : undefined;
    for (const r of resources) {
      progress?.(outcomes.length);
      if (r.error !== undefined) {
        outcomes.push({ kind: r.kind.kind, error: r.error });
        continue;
      }
      try {
        const ops = operationsFor(s.client, r.kind);
        if (mode === 'create') await createOne(ops, r.object);
        else if (mode === 'apply') await applyOne(ops, r.object);
        else await replaceOne(ops, r.object);
        outcomes.push({ kind: r.kind.kind });
      } catch (e) {
        if (skipExists && isAlreadyExists(e)) outcomes.push({ kind: r.kind.kind });
        else outcomes.push({ kind: r.kind.kind, error: resourceErrorText(e) });
      }
    }
    return reportWrites(input.io, VERBS[mode], outcomes);
  });
}

/** `create -f FILE`. */
export const runCreate: CommandBody = (input) => runWrite(input, 'create');
/** `apply -f FILE`. */
export const runApply: CommandBody = (input) => runWrite(input, 'apply');
/** `replace -f FILE`. */
export const runReplace: CommandBody = (input) => runWrite(input, 'replace');

/** `validate -f FILE`: every resource checked offline, each failure reported (§6.8). */
export const runValidate: CommandBody = async (input) => {
  noArguments(input);
  const resources = await loadInputOrReport(input, false);
  if (!resources) return 1;
  const outcomes: ResourceOutcome[] = resources.map((r) => {
    if (r.error !== undefined) return { kind: r.kind.kind, error: r.error };
    const problem = r.kind.readOnly ? undefined : validateResource(r.object);
    return problem === undefined ? { kind: r.kind.kind } : { kind: r.kind.kind, error: problem };
  });
  return reportWrites(input.io, VERBS.validate, outcomes);
};
