/**
 * The `-o/--output` value of `get` (cli.md §8, §7.4).
 *
 * @module
 */
import { shownText } from '../../errors.js';

/** A parsed `-o` value: a built-in table or document format, or a custom column list. */
export type OutputFormat = { type: 'ps' | 'wide' | 'yaml' | 'json' } | { type: 'custom'; columns: string[] };

/** An `-o` value the CLI cannot print with; the message is the exact line calicoctl prints. */
export class OutputFormatError extends Error {
  /**
   * @param message The line to print, for example `unrecognized output format 'xml'`.
   */
  constructor(message: string) {
    super(message);
    this.name = 'OutputFormatError';
  }
}

const CUSTOM_PREFIX = 'custom-columns=';
const NAMED_FORMATS: ReadonlyMap<string, 'ps' | 'wide' | 'yaml' | 'json'> = new Map([
  ['ps', 'ps'],
  ['wide', 'wide'],
  ['yaml', 'yaml'],
  ['yml', 'yaml'],
  ['json', 'json'],
] as const);

/**
 * Parses the text given to `-o`.
 *
 * `ps`, `wide`, `yaml` (or `yml`) and `json` are matched exactly; `custom-columns=A,B` gives the
 * listed column names as typed (empty entries dropped). Whether the columns exist for the kind is
 * only known when printing (see `columns.ts`).
 *
 * @param text The value as typed.
 * @return The format.
 * @throws OutputFormatError `output format go-template is not supported` for `go-template=…` and
 *   `go-template-file=…`; `need to specify at least one column` for `custom-columns=` without
 *   names; `unrecognized output format '<text>'` for anything else.
 */
export function parseOutputFormat(text: string): OutputFormat {
  const named = NAMED_FORMATS.get(text);
  if (named) return { type: named };
  if (text.startsWith(CUSTOM_PREFIX)) {
    const columns = text.slice(CUSTOM_PREFIX.length).split(',').filter((c) => c !== '');
    if (columns.length === 0) throw new OutputFormatError('need to specify at least one column');
    return { type: 'custom', columns };
  }
  if (text.startsWith('go-template=') || text.startsWith('go-template-file=')) {
    throw new OutputFormatError('output format go-template is not supported');
  }
  throw new OutputFormatError(`unrecognized output format '${shownText(text)}'`);
}
