/**
 * Small pieces every datastore command repeats: reading common flags, opening the session with
 * calicoctl's failure message, and turning a load failure into `failed to execute command: ...`.
 *
 * @module
 */
import { UsageError, type CommandInput } from '../command.js';
import { ClientConfigError, openSession, type CliSession } from '../session.js';
import { PrepareError, prepareResources, type PreparedResource } from '../prepare-resources.js';
import { describeError } from '../describe-error.js';

/** A string flag's value, or undefined. */
export function stringFlag(input: CommandInput, name: string): string | undefined {
  const v = input.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean flag's value. */
export function booleanFlag(input: CommandInput, name: string): boolean {
  return input.flags[name] === true;
}

/** The session, or undefined after printing `Failed to create Calico API client: ...`. */
export function openOrReport(input: CommandInput): CliSession | undefined {
  try {
    return openSession(stringFlag(input, 'config'), input.io);
  } catch (e) {
    if (e instanceof ClientConfigError) {
      input.io.stderr(`Failed to create Calico API client: ${describeError(e, input.debug)}\n`);
      return undefined;
    }
    throw e;
  }
}

/**
 * Loads `-f` input for a command, or prints `failed to execute command: ...` and returns undefined.
 *
 * @param input The command input.
 * @param validate Validate every resource completely (writes).
 * @return The prepared resources.
 */
export async function loadInputOrReport(input: CommandInput, validate: boolean): Promise<PreparedResource[] | undefined> {
  const filename = stringFlag(input, 'filename');
  if (filename === undefined) throw new UsageError('required flag "filename" (-f) not set');
  try {
    return await prepareResources({
      filename,
      recursive: booleanFlag(input, 'recursive'),
      skipEmpty: booleanFlag(input, 'skip-empty'),
      namespace: stringFlag(input, 'namespace') ?? '',
      validate,
      io: input.io,
    });
  } catch (e) {
    if (e instanceof PrepareError) {
      input.io.stderr(`failed to execute command: ${describeError(e, input.debug)}\n`);
      return undefined;
    }
    throw e;
  }
}

/**
 * Runs `body` with an open session and closes it afterwards, whatever happens.
 *
 * @param session The session.
 * @param body The work.
 * @return What `body` returned.
 */
export async function withSession<T>(session: CliSession, body: (s: CliSession) => Promise<T>): Promise<T> {
  try {
    return await body(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}
