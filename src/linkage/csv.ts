import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { FieldName, RawRecord } from './types';

/** Bad input named plainly, with a stable code for callers that branch on it. */
export class LinkInputError extends Error {
  constructor(
    readonly code: 'missing_column' | 'duplicate_id' | 'empty_id' | 'empty_file' | 'unreadable_file' | 'invalid_model',
    message: string,
  ) {
    super(message);
    this.name = 'LinkInputError';
  }
}

export interface ColumnMapping {
  readonly column: string;
  readonly field: FieldName;
}

export interface CsvReadOptions {
  readonly idColumn: string;
  readonly mappings: readonly ColumnMapping[];
  /** Index of this input, stored on each record (link mode pairs only different sources). */
  readonly source: number;
  /** Name used in error messages (the file path). */
  readonly name: string;
}

type MutableFields = Partial<Record<Exclude<FieldName, 'attribute'>, string[]>>;

/**
 * Reads a CSV with a header row into raw records. Whitespace around values is trimmed (FEBRL
 * separates fields with ", "), empty values are missing, and only the id and mapped columns are
 * read from each row. Malformed CSV is reported as a LinkInputError naming the input.
 */
export async function readCsvRecords(input: Readable, options: CsvReadOptions): Promise<RawRecord[]> {
  try {
    return await parseRecords(input, options);
  } catch (error) {
    if (error instanceof LinkInputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LinkInputError('unreadable_file', `${options.name}: cannot be read as CSV (${reason})`);
  }
}

async function parseRecords(input: Readable, options: CsvReadOptions): Promise<RawRecord[]> {
  const parser = input.pipe(parse({ trim: true, bom: true, skip_empty_lines: true, relax_column_count: true }));
  const records: RawRecord[] = [];
  let idIndex = -1;
  let mapped: Array<{ index: number; column: string; field: FieldName }> = [];
  let line = 1;
  for await (const row of parser as AsyncIterable<string[]>) {
    if (idIndex === -1) {
      const header = row.map((h) => h.trim());
      const indexOf = (column: string): number => {
        const index = header.indexOf(column);
        if (index < 0) {
          throw new LinkInputError('missing_column', `${options.name}: no column "${column}" (columns: ${header.join(', ')})`);
        }
        return index;
      };
      idIndex = indexOf(options.idColumn);
      mapped = options.mappings.map((m) => ({ index: indexOf(m.column), column: m.column, field: m.field }));
      continue;
    }
    line++;
    // Quoted values keep their inner spaces in the parser, so trim here too.
    const id = (row[idIndex] ?? '').trim();
    if (id === '') throw new LinkInputError('empty_id', `${options.name}: row ${line} has no value in id column "${options.idColumn}"`);
    const fields: MutableFields = {};
    let attributes: Record<string, string> | undefined;
    for (const { index, column, field } of mapped) {
      const value = (row[index] ?? '').trim();
      if (value === '') continue;
      if (field === 'attribute') (attributes ??= {})[column] = value;
      else (fields[field] ??= []).push(value);
    }
    records.push(attributes ? { id, source: options.source, fields, attributes } : { id, source: options.source, fields });
  }
  if (idIndex === -1) throw new LinkInputError('empty_file', `${options.name}: the file is empty (a header row is needed)`);
  return records;
}

export async function readCsvFile(path: string, options: Omit<CsvReadOptions, 'name'>): Promise<RawRecord[]> {
  // Opened first, so a missing or unreadable file fails here, plainly, rather than inside the stream.
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new LinkInputError('unreadable_file', `${path}: cannot be read (${reason})`);
  }
  try {
    return await readCsvRecords(file.createReadStream({ autoClose: false }), { ...options, name: path });
  } finally {
    await file.close();
  }
}

/** Fails on an id used twice, within one input or across inputs (ids name records in the output). */
export function assertUniqueIds(records: readonly RawRecord[], names: readonly string[]): void {
  const seen = new Map<string, number>();
  for (const record of records) {
    const previous = seen.get(record.id);
    if (previous !== undefined) {
      const where = previous === record.source ? `twice in ${names[record.source]}` : `in both ${names[previous]} and ${names[record.source]}`;
      throw new LinkInputError('duplicate_id', `id "${record.id}" appears ${where}; ids must be unique across inputs`);
    }
    seen.set(record.id, record.source);
  }
}

/** A CSV value: quoted when it holds a comma, quote or line break. */
export function csvValue(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
