/** Plain-text tables for the operator commands: aligned columns, long values cut with `…`. */

export interface Column {
  header: string;
  /** A field of the row (`scope.kind` reaches into an object), or a function of the row. */
  value: string | ((row: any) => unknown);
  /** Epoch milliseconds, shown as a UTC time. */
  time?: boolean;
  /** The widest the column gets (default 40 characters). */
  width?: number;
}

const DEFAULT_WIDTH = 40;

/** The rows as an aligned table with a header line; `(none)` when there are no rows. */
export function formatTable(rows: readonly unknown[], columns: readonly Column[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => cut(cellText(row, column), column.width ?? DEFAULT_WIDTH)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const line = (texts: string[]) =>
    texts
      .map((text, i) => (i === texts.length - 1 ? text : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n') + '\n';
}

/** One object as `FIELD  VALUE` lines, one line per column. */
export function formatRecord(record: unknown, columns: readonly Column[]): string {
  const rows = columns.map((column) => ({ field: column.header, value: cellText(record, column) }));
  return formatTable(rows, [
    { header: 'FIELD', value: 'field' },
    { header: 'VALUE', value: 'value', width: 100 },
  ]);
}

function cellText(row: unknown, column: Column): string {
  const value = typeof column.value === 'function' ? column.value(row) : fieldOf(row, column.value);
  return show(value, column.time ?? false);
}

function fieldOf(row: unknown, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

function show(value: unknown, time: boolean): string {
  if (value === null || value === undefined || value === '') return '-';
  if (time && typeof value === 'number')
    return new Date(value)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
  if (typeof value === 'object') return JSON.stringify(value);
  // One line per row: a value with line breaks (an answer's head) is shown with them escaped.
  return String(value).replace(/\r?\n/g, '\\n').replace(/\t/g, ' ');
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
