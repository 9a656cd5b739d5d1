/**
 * The shared front half of the single-object commands (`patch`, `label`): resolve the named
 * object's namespace, open the session, read the object, and print any failure with the
 * command's prefix.
 *
 * @module
 */
import type { ResourceObject } from '../../backends/backend.js';
import type { CommandInput } from '../command.js';
import type { CliKind } from '../kinds.js';
import { operationsFor, type KindOperations } from '../resource-ops.js';
import { resourceErrorText } from '../error-text.js';
import { openOrReport, stringFlag, withSession } from './command-support.js';
import { namedResources } from './named-resources.js';

/**
 * Reads `kind`/`name` (namespace from `-n`) and runs `body` on it with the kind's operations.
 *
 * @param input The command input.
 * @param kind The kind.
 * @param name The object's name.
 * @param errorPrefix Put before every error line, for example `hit error: `.
 * @param body The command's work on the object; returns the exit status.
 * @return The exit status (1 after printing an error).
 */
export async function withNamedObject(
  input: CommandInput,
  kind: CliKind,
  name: string,
  errorPrefix: string,
  body: (ops: KindOperations, current: ResourceObject) => Promise<number>,
): Promise<number> {
  const { io } = input;
  const [target] = namedResources(kind, [name], stringFlag(input, 'namespace') ?? '');
  if (target!.error !== undefined) {
    io.stderr(`${errorPrefix}${target!.error}\n`);
    return 1;
  }
  const namespace = target!.object.metadata.namespace;
  const session = openOrReport(input);
  if (!session) return 1;
  return withSession(session, async (s) => {
    const ops = operationsFor(s.client, kind);
    let current: ResourceObject;
    try {
      current = await ops.get({ name, ...(namespace ? { namespace } : {}) });
    } catch (e) {
      io.stderr(`${errorPrefix}${resourceErrorText(e)}\n`);
      return 1;
    }
    return body(ops, current);
  });
}
