/**
 * Table layout identical to calicoctl's (Go `text/tabwriter` with minimum width 5, padding 3,
 * space padding, every cell tab-terminated) — cli.md §8.2.
 *
 * @module
 */

/** Narrowest a column may be, padding included. */
const MIN_COLUMN_WIDTH = 5;
/** Spaces added after the longest cell of a column. */
const COLUMN_PADDING = 3;

/** Width of a cell as tabwriter counts it: one per Unicode code point. */
function cellWidth(cell: string): number {
  let width = 0;
  for (const _ of cell) width += 1;
  return width;
}

/**
 * Renders one table: the header row, one row per entry, then an empty line.
 *
 * Each column is as wide as its longest cell plus 3, but at least 5. Every cell, the last of a
 * row included, is left-aligned and padded with spaces to its column's width, so every row ends
 * in spaces. With no rows the header is printed alone, still followed by the empty line.
 *
 * @param header The column names.
 * @param rows The cells of each row, one per column.
 * @return The table text, ending with `\n\n`.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    all.reduce((widest, row) => Math.max(widest, cellWidth(row[column] ?? '') + COLUMN_PADDING), MIN_COLUMN_WIDTH),
  );
  const lines = all.map((row) => widths.map((width, column) => {
    const cell = row[column] ?? '';
    return cell + ' '.repeat(width - cellWidth(cell));
  }).join(''));
  return `${lines.join('\n')}\n\n`;
}
