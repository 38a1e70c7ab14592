/**
 * RFC 4180 CSV, with spreadsheet-formula neutralising: a cell that starts with = + - @ (or a
 * tab or carriage return) gets a leading apostrophe, so an exported event name cannot run as a
 * formula when the subject opens their export.
 */
type Cell = string | number | boolean | null | undefined;

function escapeCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * @example toCsv(['a', 'b'], [{ a: 1, b: 'x,y' }]) // 'a,b\r\n1,"x,y"\r\n'
 */
export function toCsv<T extends Record<string, Cell>>(columns: readonly (keyof T & string)[], rows: readonly T[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((column) => escapeCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
