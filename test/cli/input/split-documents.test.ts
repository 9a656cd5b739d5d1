import { describe, expect, it } from 'vitest';
import { DocumentTooLargeError, MAX_DOCUMENT_BYTES, splitDocuments } from '../../../src/cli/input/split-documents.js';

describe('splitDocuments', () => {
  it('splits at lines beginning with ---, ignoring the rest of the line, and records where each starts', () => {
    const docs = splitDocuments('a: 1\n--- # two\nb: 2\n---trailing\nc: 3\n');
    expect(docs.map((d) => [d.number, d.firstLine, d.text])).toEqual([
      [1, 1, 'a: 1\n'],
      [2, 3, 'b: 2\n'],
      [3, 5, 'c: 3\n'],
    ]);
  });

  it('does not open an empty first document for a leading separator, but counts a comment-only one', () => {
    expect(splitDocuments('\n---\na: 1\n').map((d) => [d.number, d.text])).toEqual([[1, 'a: 1\n']]);
    expect(splitDocuments('# header\n---\na: 1\n').map((d) => d.number)).toEqual([1, 2]);
  });

  it('does not split at --- inside a line or indented, handles CRLF and a byte order mark', () => {
    expect(splitDocuments('a: "x --- y"\n  ---\n')).toHaveLength(1);
    const crlf = splitDocuments('\uFEFFa: 1\r\n---\r\nb: 2\r\n');
    expect(crlf.map((d) => d.text)).toEqual(['a: 1\r\n', 'b: 2\r\n']);
  });

  it('returns one empty document for empty input', () => {
    expect(splitDocuments('')).toEqual([{ number: 1, firstLine: 1, text: '' }]);
  });

  it('accepts exactly 10 MiB and refuses one byte more, naming the document', () => {
    const exact = 'x'.repeat(MAX_DOCUMENT_BYTES);
    expect(splitDocuments(`a: 1\n---\n${exact}`)[1]!.text.length).toBe(MAX_DOCUMENT_BYTES);
    let caught: unknown;
    try {
      splitDocuments(`a: 1\n---\n${exact}x`);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DocumentTooLargeError);
    expect((caught as Error).message).toBe('document 2 is larger than 10 MiB');
  });

  it('counts UTF-8 bytes, not characters, against the limit', () => {
    const wide = 'é'.repeat(MAX_DOCUMENT_BYTES / 2 + 1); // 2 bytes each
    expect(() => splitDocuments(wide)).toThrow(DocumentTooLargeError);
  });
});
