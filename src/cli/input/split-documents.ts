/**
 * Splitting a YAML stream into documents the way calicoctl does (cli.md §4.2): at every line that
 * begins with `---`, ignoring the rest of that line. Each document may be at most 10 MiB.
 *
 * The source is scanned once and each document is a slice of it, so no second copy of a large
 * input is built.
 *
 * @module
 */

/** Largest document accepted, in bytes (UTF-8). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** One document of a stream. */
export interface SourceDocument {
  /** 1-based position in the stream. */
  number: number;
  /** 1-based line of the source on which the document's text starts. */
  firstLine: number;
  /** Its text (without the separator line). */
  text: string;
}

/** A document is larger than {@link MAX_DOCUMENT_BYTES}. */
export class DocumentTooLargeError extends RangeError {
  /**
   * @param documentNumber 1-based number of the offending document.
   */
  constructor(readonly documentNumber: number) {
    super(`document ${documentNumber} is larger than 10 MiB`);
    this.name = 'DocumentTooLargeError';
  }
}

const BYTE_ORDER_MARK = '\uFEFF';

/** True when `text` between `start` and `end` holds anything but whitespace. */
function hasContent(text: string, start: number, end: number): boolean {
  return /\S/.test(text.slice(start, end));
}

/**
 * Splits `text` into documents.
 *
 * A separator line at the very start (after blank lines only) does not open an empty first
 * document, so `---\nkind: ...` is document 1, as users count. Documents that hold only whitespace
 * or comments are returned too (the caller skips them), so the numbers match the separators.
 *
 * @param text The whole source.
 * @return The documents, in order.
 * @throws DocumentTooLargeError when one exceeds {@link MAX_DOCUMENT_BYTES}.
 */
export function splitDocuments(text: string): SourceDocument[] {
  const source = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const docs: SourceDocument[] = [];
  let docStart = 0;
  let docFirstLine = 1;
  let line = 1;
  let lineStart = 0;
  const push = (end: number): void => {
    const body = source.slice(docStart, end);
    // A UTF-8 byte is at most 3 per UTF-16 unit, so only long texts need an exact count.
    if (body.length * 3 > MAX_DOCUMENT_BYTES && Buffer.byteLength(body, 'utf8') > MAX_DOCUMENT_BYTES) {
      throw new DocumentTooLargeError(docs.length + 1);
    }
    docs.push({ number: docs.length + 1, firstLine: docFirstLine, text: body });
  };
  while (lineStart <= source.length) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? source.length : newline;
    if (source.startsWith('---', lineStart)) {
      if (docs.length > 0 || hasContent(source, docStart, lineStart)) push(lineStart);
      docStart = lineEnd + 1;
      docFirstLine = line + 1;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
    line += 1;
  }
  push(source.length);
  return docs;
}
