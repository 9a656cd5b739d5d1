/**
 * A quick look at how deeply a YAML document nests, taken before parsing it. The parser's memory
 * and stack grow with the nesting (nine megabytes of `[` exhaust a 4 GB heap), so a document that
 * nests far beyond any resource is refused before the parser sees it.
 *
 * The scan is one pass over the text. It counts open flow collections (`[`, `{`) outside quoted
 * scalars and comments, and, per line, the indentation plus the block indicators (`- - - x`,
 * `a: - - x`) that open a level each. Brackets inside plain scalars count too, so the estimate
 * errs high; the bound it is compared with ({@link MAX_TEXT_NESTING}) is ten times the data
 * limit the parsed document is then held to, so no document that limit accepts is refused here.
 *
 * @module
 */
import { INPUT_LIMITS } from '../../model/input-guard.js';

/** Nesting above which a document is not parsed. */
export const MAX_TEXT_NESTING = 10 * INPUT_LIMITS.maxDepth;

/** Characters after which a quote opens a quoted scalar (elsewhere it is part of a plain one). */
const TOKEN_START = new Set([' ', '\t', '\n', ':', ',', '[', '{', '-', '?']);

/**
 * True when the estimated nesting of `text` exceeds {@link MAX_TEXT_NESTING}.
 *
 * @param text One document.
 * @return Whether to refuse it unparsed.
 */
export function nestsTooDeeply(text: string): boolean {
  let flow = 0;
  let lineStart = true;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      level = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        if (++level > MAX_TEXT_NESTING) return true;
        continue;
      }
      lineStart = false;
    }
    const prev = i === 0 ? '\n' : text[i - 1]!;
    if ((c === '-' || c === '?') && text[i + 1] === ' ' && flow === 0 && (prev === ' ' || prev === '\n')) {
      if (++level > MAX_TEXT_NESTING) return true;
    } else if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
    } else if ((c === '"' || c === "'") && TOKEN_START.has(prev)) {
      i = quotedEnd(text, i, c);
    } else if (c === '[' || c === '{') {
      if (++flow > MAX_TEXT_NESTING) return true;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
  }
  return false;
}

/** Index of the quote that closes the scalar opened at `start` (the text's end when unclosed). */
function quotedEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}
