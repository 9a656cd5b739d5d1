/**
 * The bytes of one `-f` source as text (cli.md §4): strict UTF-8, at most
 * {@link MAX_SOURCE_BYTES}, and no control characters, which YAML does not allow anywhere in a
 * stream (calicoctl's parser refuses them too). A binary file thus fails with a message naming
 * the source and line instead of parsing into nonsense.
 *
 * @module
 */
import { InputError } from './input-error.js';

/**
 * Largest source read, in bytes: ten of the largest documents (10 MiB each). It bounds the memory
 * one `-f` file or standard input can take.
 */
export const MAX_SOURCE_BYTES = 100 * 1024 * 1024;

/** C0 and C1 control characters other than tab, line feed, carriage return and NEL, and the two non-characters YAML excludes. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a source's bytes.
 *
 * @param bytes The bytes read.
 * @param label The source as messages name it (`stdin`, a path).
 * @return The text.
 * @throws InputError when the bytes are not UTF-8 or hold control characters.
 */
export function sourceText(bytes: Uint8Array, label: string): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new InputError(`${label}: the file is not valid UTF-8 text`);
  }
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < bad.index; i = text.indexOf('\n', i + 1)) line++;
    throw new InputError(`${label}: control characters are not allowed (line ${line}): is it a binary file?`);
  }
  return text;
}

/**
 * The error for a source over {@link MAX_SOURCE_BYTES}.
 *
 * @param label The source as messages name it.
 * @return The error.
 */
export function sourceTooLarge(label: string): InputError {
  return new InputError(`${label}: the file is larger than ${MAX_SOURCE_BYTES / (1024 * 1024)} MiB`);
}
