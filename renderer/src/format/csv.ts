/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF, a BOM so Excel reads UTF-8 (macrons in Māori names), and
 * cells that a spreadsheet would run as a formula (=, +, -, @) prefixed with an apostrophe.
 */
export type CsvCell = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Saves a CSV through the browser's download (works in Electron and in the headless host's page). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the blob goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `classbridge-progress-2026-03-04.csv`, dated in the school's zone. */
export function csvFileName(what: string, today: string): string {
  return `classbridge-${what}-${today}.csv`;
}
