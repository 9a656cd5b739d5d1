/**
 * The error of unusable `-f` input (cli.md §4): the whole command stops before anything is
 * written.
 *
 * @module
 */

/**
 * The input cannot be used. The message names the source and, where there is one, the document
 * (and list item) at fault; it does not carry the `failed to execute command: ` prefix, which the
 * caller adds.
 */
export class InputError extends Error {
  /**
   * @param message What is wrong and where.
   */
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * How a source is named in messages: standard input (`-`) is `stdin`, a path is shown as given.
 *
 * @param source A path, or `-`.
 * @return The name for messages.
 */
export function sourceLabel(source: string): string {
  return source === '-' ? 'stdin' : source;
}
