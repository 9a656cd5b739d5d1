/**
 * `delete (KIND NAME... | -f FILE)` (cli.md §6.4, §7.3).
 *
 * @module
 */
import { isNotFound } from '../../errors.js';
import { UsageError, type CommandBody } from '../command.js';
import { operationsFor } from '../resource-ops.js';
import { resourceErrorText } from '../error-text.js';
import { reportDeletes, type ResourceOutcome } from '../summary.js';
import type { PreparedResource } from '../prepare-resources.js';
import { booleanFlag, loadInputOrReport, openOrReport, stringFlag, withSession } from './command-support.js';
import { kindArgument, namedResources } from './named-resources.js';

/** `delete`. */
export const runDelete: CommandBody = async (input) => {
  let resources: PreparedResource[] | undefined;
  let kindHint: string | undefined;
  if (stringFlag(input, 'filename') !== undefined) {
    if (input.args.length > 0) throw new UsageError('give either KIND NAME... or -f FILE, not both');
    resources = await loadInputOrReport(input, false);
    if (!resources) return 1;
  } else {
    const [typed, ...names] = input.args;
    const kind = kindArgument(typed);
    if (names.length === 0) throw new UsageError('delete needs at least one NAME (or -f FILE)');
    resources = namedResources(kind, names, stringFlag(input, 'namespace') ?? '');
    kindHint = kind.kind;
  }
  if (resources.length === 0) return reportDeletes(input.io, []);
  const session = openOrReport(input);
  if (!session) return 1;
  const skipMissing = booleanFlag(input, 'skip-not-exists');
  return withSession(session, async (s) => {
    const outcomes: ResourceOutcome[] = [];
    for (const r of resources) {
      if (r.error !== undefined) {
        outcomes.push({ kind: r.kind.kind, error: r.error });
        continue;
      }
      const m = r.object.metadata;
      try {
        await operationsFor(s.client, r.kind).delete({
          name: m.name ?? '',
          ...(m.namespace ? { namespace: m.namespace } : {}),
          ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
        });
        outcomes.push({ kind: r.kind.kind });
      } catch (e) {
        if (skipMissing && isNotFound(e)) outcomes.push({ kind: r.kind.kind });
        else outcomes.push({ kind: r.kind.kind, error: resourceErrorText(e) });
      }
    }
    return reportDeletes(input.io, outcomes, kindHint);
  });
};
