/**
 * CSV written for people, who open it in a spreadsheet. Following OWASP's "CSV Injection" rule, a text cell
 * starting with = + - @ tab or carriage return (a formula to Excel, LibreOffice and Sheets) gets a leading
 * single quote, and every cell is wrapped in double quotes so a quote or separator inside it cannot start a
 * new cell. Used by every CSV writer (main and renderer), so it depends on nothing.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet will show it, never as a formula (the quote is visible: the value is not altered silently). */
export function csvSafeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A header and rows as CSV ("\n" line ends, every cell quoted). Numbers are written as they are: they are data. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : typeof value === 'string' ? csvSafeCell(value) : String(value);
    return `"${text.replaceAll('"', '""')}"`;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',') + '\n').join('');
}
