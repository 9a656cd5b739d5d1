/**
 * `label KIND NAME key=value [--overwrite]` and `label KIND NAME key --remove` (cli.md §6.7).
 *
 * @module
 */
import { UsageError, type CommandBody } from '../command.js';
import { shownText } from '../../errors.js';
import { resourceErrorText } from '../error-text.js';
import { booleanFlag } from './command-support.js';
import { kindArgument } from './named-resources.js';
import { withNamedObject } from './with-named-object.js';

/** `label`. */
export const runLabel: CommandBody = async (input) => {
  const { io } = input;
  const [typed, name, labelArg, ...extra] = input.args;
  const kind = kindArgument(typed);
  if (name === undefined || labelArg === undefined) throw new UsageError('label needs KIND NAME key=value (or KIND NAME key --remove)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const remove = booleanFlag(input, 'remove');
  const overwrite = booleanFlag(input, 'overwrite');
  let key = labelArg;
  let value = '';
  if (!remove) {
    const eq = labelArg.indexOf('=');
    if (eq < 0) {
      io.stderr(`invalid label ${shownText(labelArg)}\n`);
      return 1;
    }
    key = labelArg.slice(0, eq);
    value = labelArg.slice(eq + 1);
  }
  return withNamedObject(input, kind, name, '', async (ops, current) => {
    const labels = { ...(current.metadata.labels ?? {}) };
    const present = Object.hasOwn(labels, key);
    let message: string;
    if (remove) {
      if (!present) {
        io.stderr(`cannot remove label of ${typed} ${name}, key ${shownText(key)} does not exist\n`);
        return 1;
      }
      delete labels[key];
      message = `Successfully removed label ${key} from ${typed} ${name}`;
    } else if (!present) {
      labels[key] = value;
      message = `Successfully set label ${key} on ${typed} ${name}`;
    } else if (labels[key] === value || overwrite) {
      labels[key] = value;
      message = `Successfully updated label ${key} on ${typed} ${name}`;
    } else {
      io.stderr(`failed to update label of ${typed} ${name}, key ${shownText(key)} is already present. please use '--overwrite' to set a new value\n`);
      return 1;
    }
    try {
      await ops.update({ ...current, metadata: { ...current.metadata, labels } });
    } catch (e) {
      io.stderr(`failed to update ${typed} ${name}, label not changed: ${resourceErrorText(e)}\n`);
      return 1;
    }
    io.stdout(`${message}\n`);
    return 0;
  });
};
