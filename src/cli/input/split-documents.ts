/**
 * Splitting a YAML stream into documents the way calicoctl does (cli.md §4.2): at every line that
 * begins with `---`, ignoring the rest of that line. Each document may be at most 10 MiB.
 *
 * @module
 */

/** Largest document accepted, in bytes. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** One document of a stream. */
export interface SourceDocument {
  /** 1-based position in the stream. */
  number: number;
  /** Its text. */
  text: string;
}

/**
 * Splits `text` into documents.
 *
 * @param text The whole source.
 * @return The documents, in order (empty ones included, so numbers match what users count).
 * @throws Error naming the document when one exceeds {@link MAX_DOCUMENT_BYTES}.
 */
export function splitDocuments(text: string): SourceDocument[] {
  const docs: SourceDocument[] = [];
  let current: string[] = [];
  let sawContent = false;
  const flush = (): void => {
    const body = current.join('\n');
    if (Buffer.byteLength(body, 'utf8') > MAX_DOCUMENT_BYTES) {
      throw new RangeError(`document ${docs.length + 1} is larger than 10 MiB`);
    }
    docs.push({ number: docs.length + 1, text: body });
    current = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('---')) {
      // A leading separator does not open an empty first document.
      if (sawContent || docs.length > 0) flush();
      sawContent = true;
      continue;
    }
    if (line.trim() !== '') sawContent = true;
    current.push(line);
  }
  flush();
  return docs;
}
