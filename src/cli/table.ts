/** One column of a text table the CLI prints. */
export interface TableColumn {
  /** Its header; the header row is written when a column has one (or as `TableOptions.header` says). */
  readonly header?: string;
  /** `right` for numbers, so that their digits line up; text aligns `left` (the default). */
  readonly align?: 'left' | 'right';
  /**
   * A fixed width, for a table printed a row at a time under a header written once: a longer
   * cell pushes the rest of its row on. 0 leaves the column unpadded (a last column of free
   * text). By default the widest of its cells and its header.
   */
  readonly width?: number;
  /** What separates it from the column before (default two spaces; nothing before the first). */
  readonly gap?: string;
}

/** How {@link tableLines} writes the lines. */
export interface TableOptions {
  /** Before each line (default none). */
  readonly indent?: string;
  /** Whether the header row is written (default: when a column has a header). */
  readonly header?: boolean;
  /** Drop the spaces that end a line (default false): a padded last column leaves none behind. */
  readonly trimEnd?: boolean;
}

/**
 * The lines of a text table: the header row (if any), then one line per row, each cell padded to
 * its column's width. A row with fewer cells than there are columns writes only its own (a
 * parameter without a prior in `sweetspot fit`'s table).
 *
 * @example
 * tableLines([{ header: 'phase' }, { header: 'GB', align: 'right' }], [['prefill', '1.5'], ['decode', '12.25']])
 * // ['phase       GB', 'prefill    1.5', 'decode   12.25']
 */
export function tableLines(columns: readonly TableColumn[], rows: readonly (readonly string[])[], options: TableOptions = {}): string[] {
  const withHeader = options.header ?? columns.some((c) => c.header !== undefined);
  const headers = columns.map((c) => c.header ?? '');
  const widths = columns.map((c, k) => c.width ?? rows.reduce((w, row) => Math.max(w, row[k]?.length ?? 0), withHeader ? headers[k].length : 0));
  const line = (cells: readonly string[]) => {
    const text = (options.indent ?? '') + cells.map((v, k) => `${k === 0 ? '' : (columns[k].gap ?? '  ')}${columns[k].align === 'right' ? v.padStart(widths[k]) : v.padEnd(widths[k])}`).join('');
    return options.trimEnd ? text.trimEnd() : text;
  };
  return [...(withHeader ? [line(headers)] : []), ...rows.map(line)];
}
