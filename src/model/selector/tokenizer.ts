/**
 * The selector tokenizer: turns selector text into tokens, faithfully to Calico's rules.
 *
 * Only the space and the horizontal tab are whitespace. Labels are runs of `A–Z a–z 0–9 _ . / -`
 * (at most 512 characters). String literals run to the next occurrence of their own quote
 * character, with no escapes. `has(`, `all(` and `global(` are single tokens that swallow their
 * arguments and closing parenthesis. The word operators (`contains`, `starts with`, `ends with`,
 * `not in`, `in`) are recognised only directly after a label; anywhere else those words are
 * ordinary labels. The whole input is tokenized before parsing starts, so a lexical problem is
 * reported before any grammatical one, as in Calico.
 *
 * @module
 */
import { SelectorParseError } from '../../errors.js';

/** The longest label (key) a selector may mention, in characters. */
export const MAX_LABEL_LENGTH = 512;

/** What a {@link Token} is. */
export type TokenKind =
  | 'label'
  | 'string'
  | '{'
  | '}'
  | ','
  | '=='
  | '!='
  | 'in'
  | 'not in'
  | 'contains'
  | 'starts with'
  | 'ends with'
  | '!'
  | '&&'
  | '||'
  | '('
  | ')'
  | 'has'
  | 'all'
  | 'global'
  | 'eof';

/** One token of a selector. */
export interface Token {
  /** What the token is. */
  readonly kind: TokenKind;
  /** The label name (for `label` and `has`) or the literal's content (for `string`); otherwise empty. */
  readonly value: string;
  /** Offset of the token's first character in the input. */
  readonly pos: number;
}

const SPACE = 0x20;
const TAB = 0x09;

/** `LABEL_CHAR[c]` is 1 for every ASCII code that may appear in a label. */
const LABEL_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_./-]/.test(ch)) LABEL_CHAR[c] = 1;
}

/**
 * True for a character that may appear in a label: `A–Z a–z 0–9 _ . / -`.
 *
 * @param code A UTF-16 code unit.
 * @return Whether it is a label character.
 */
export function isLabelChar(code: number): boolean {
  return code < 128 && LABEL_CHAR[code] === 1;
}

/**
 * True when `text` is one whole valid label: 1–512 label characters and nothing else.
 *
 * @param text The candidate label.
 * @return Whether a selector could mention it as a label.
 */
export function isValidSelectorLabel(text: string): boolean {
  if (text.length === 0 || text.length > MAX_LABEL_LENGTH) return false;
  for (let i = 0; i < text.length; i++) if (!isLabelChar(text.charCodeAt(i))) return false;
  return true;
}

function skipWhitespace(input: string, i: number): number {
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function isWordBoundary(input: string, i: number): boolean {
  return i >= input.length || !isLabelChar(input.charCodeAt(i));
}

/** Matches a one-word operator at `i` that must end at a word boundary; returns the end offset or -1. */
function matchWord(input: string, i: number, word: string): number {
  if (!input.startsWith(word, i)) return -1;
  const end = i + word.length;
  return isWordBoundary(input, end) ? end : -1;
}

/**
 * Matches a two-word operator at `i`, allowing any whitespace (even none) between the words.
 * As in Calico, the word boundary is checked after the whitespace that follows the second word.
 */
function matchTwoWords(input: string, i: number, first: string, second: string): number {
  if (!input.startsWith(first, i)) return -1;
  const j = skipWhitespace(input, i + first.length);
  if (!input.startsWith(second, j)) return -1;
  const end = j + second.length;
  return isWordBoundary(input, skipWhitespace(input, end)) ? end : -1;
}

/** Scans a label starting at `i`; returns its end offset (equal to `i` when there is none). */
function scanLabel(input: string, i: number): number {
  const n = input.length;
  while (i < n && isLabelChar(input.charCodeAt(i))) i++;
  return i;
}

function fail(input: string, pos: number, reason: string): never {
  throw new SelectorParseError(input, pos, reason);
}

/** Describes the character at `pos` for an error message, naming invisible ones. */
function describeChar(input: string, pos: number): string {
  const code = input.codePointAt(pos) ?? 0;
  switch (code) {
    case 0x0a:
      return 'newline (only space and tab are whitespace)';
    case 0x0d:
      return 'carriage return (only space and tab are whitespace)';
    default:
      return code < 0x20 || code === 0x7f || code > 0x7e ? `character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `character '${String.fromCodePoint(code)}'`;
  }
}

/** Reads a label at `i`; `what` describes what was expected when there is none. Returns the end offset. */
function readLabel(input: string, i: number, what: string): number {
  const end = scanLabel(input, i);
  if (end === i) fail(input, i, `${what} but found ${i >= input.length ? 'the end of the selector' : describeChar(input, i)}`);
  if (end - i > MAX_LABEL_LENGTH) fail(input, i, `label is longer than ${MAX_LABEL_LENGTH} characters`);
  return end;
}

/** Reads `(` … `)` of `all(` / `global(` (the keyword already consumed); returns the end offset. */
function readEmptyCall(input: string, start: number, i: number, name: string): number {
  i = skipWhitespace(input, i);
  if (input.charCodeAt(i) !== 0x29) fail(input, i, `expected ')' to close ${name}( at offset ${start}; ${name}() takes no argument`);
  return i + 1;
}

/** The operator after a label, or undefined. Order matters: Calico tries them in this order. */
function readOperatorAfterLabel(input: string, i: number): { kind: TokenKind; end: number } | undefined {
  let end = matchWord(input, i, 'contains');
  if (end >= 0) return { kind: 'contains', end };
  end = matchTwoWords(input, i, 'starts', 'with');
  if (end >= 0) return { kind: 'starts with', end };
  end = matchTwoWords(input, i, 'ends', 'with');
  if (end >= 0) return { kind: 'ends with', end };
  end = matchTwoWords(input, i, 'not', 'in');
  if (end >= 0) return { kind: 'not in', end };
  end = matchWord(input, i, 'in');
  if (end >= 0) return { kind: 'in', end };
  return undefined;
}

/**
 * Tokenizes a selector. The result always ends with one `eof` token.
 *
 * Runs in time linear in the input length.
 *
 * ## Example
 * ```ts
 * tokenize('a notin {"x"}').map((t) => t.kind); // ['label', 'not in', '{', 'string', '}', 'eof']
 * ```
 * @param input The selector text.
 * @return The tokens, each with its offset.
 * @throws {SelectorParseError} On a character or sequence that is not a token.
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const n = input.length;
  let lastKind: TokenKind | undefined;
  let i = 0;
  const push = (kind: TokenKind, value: string, pos: number): void => {
    tokens.push({ kind, value, pos });
    lastKind = kind;
  };
  for (;;) {
    i = skipWhitespace(input, i);
    if (i >= n) {
      push('eof', '', n);
      return tokens;
    }
    const start = i;
    const c = input.charCodeAt(i);
    switch (c) {
      case 0x28: // (
        push('(', '', i++);
        continue;
      case 0x29: // )
        push(')', '', i++);
        continue;
      case 0x7b: // {
        push('{', '', i++);
        continue;
      case 0x7d: // }
        push('}', '', i++);
        continue;
      case 0x2c: // ,
        push(',', '', i++);
        continue;
      case 0x22: // "
      case 0x27: {
        // '
        const close = input.indexOf(c === 0x22 ? '"' : "'", i + 1);
        if (close < 0) fail(input, i, 'unterminated string literal');
        push('string', input.slice(i + 1, close), i);
        i = close + 1;
        continue;
      }
      case 0x3d: // =
        if (input.charCodeAt(i + 1) !== 0x3d) fail(input, i, "expected '==' but found a single '='");
        push('==', '', i);
        i += 2;
        continue;
      case 0x21: // !
        if (input.charCodeAt(i + 1) === 0x3d) {
          push('!=', '', i);
          i += 2;
        } else {
          push('!', '', i++);
        }
        continue;
      case 0x26: // &
        if (input.charCodeAt(i + 1) !== 0x26) fail(input, i, "expected '&&' but found a single '&'");
        push('&&', '', i);
        i += 2;
        continue;
      case 0x7c: // |
        if (input.charCodeAt(i + 1) !== 0x7c) fail(input, i, "expected '||' but found a single '|'");
        push('||', '', i);
        i += 2;
        continue;
      default:
        break;
    }
    if (lastKind === 'label') {
      const op = readOperatorAfterLabel(input, i);
      if (op === undefined) {
        const wordEnd = scanLabel(input, i);
        const found = wordEnd > i ? (wordEnd - i <= 32 ? `'${input.slice(i, wordEnd)}'` : 'another label') : describeChar(input, i);
        fail(input, i, `expected an operator after the label ('==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with') but found ${found}`);
      }
      push(op.kind, '', i);
      i = op.end;
    } else if (input.startsWith('has(', i)) {
      const labelStart = skipWhitespace(input, i + 4);
      const labelEnd = readLabel(input, labelStart, 'expected a label inside has(');
      i = skipWhitespace(input, labelEnd);
      if (input.charCodeAt(i) !== 0x29) fail(input, i, `expected ')' to close has( at offset ${start}; has() takes exactly one label`);
      push('has', input.slice(labelStart, labelEnd), start);
      i++;
    } else if (input.startsWith('all(', i)) {
      i = readEmptyCall(input, start, i + 4, 'all');
      push('all', '', start);
    } else if (input.startsWith('global(', i)) {
      i = readEmptyCall(input, start, i + 7, 'global');
      push('global', '', start);
    } else {
      if (!isLabelChar(c)) fail(input, i, `unexpected ${describeChar(input, i)}`);
      const end = readLabel(input, i, 'expected a label');
      push('label', input.slice(i, end), i);
      i = end;
    }
  }
}
