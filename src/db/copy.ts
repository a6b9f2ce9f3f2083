// Rows for COPY … FROM STDIN in PostgreSQL's text format: one line a row, fields separated by
// tabs, \N for null, and a backslash, tab, newline or carriage return inside a value escaped.
import type { CopyFrom } from './database';

const special = /[\\\t\n\r]/;
const specialEverywhere = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field: text as it is (escaped where it must be), or null. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return special.test(value) ? value.replace(specialEverywhere, (c) => escapes[c] as string) : value;
}

/** A text[] field: {"a","b"}, each element quoted, as PostgreSQL reads an array. */
export function copyTextArray(values: readonly string[]): string {
  return copyField(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

/** Roughly this many characters of rows go to the server at a time. */
const pieceLength = 1 << 20;

/** Sends rows (each a line of fields joined by tabs, without its newline) to `table (columns)`. */
export async function copyRows(copy: CopyFrom, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  function* pieces(): Generator<string> {
    let piece = '';
    for (const line of lines) {
      piece += line + '\n';
      if (piece.length >= pieceLength) {
        yield piece;
        piece = '';
      }
    }
    if (piece) yield piece;
  }
  await copy(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`, pieces());
}
