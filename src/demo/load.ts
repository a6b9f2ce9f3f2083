// Bulk loading: rows are gathered column by column and written per table, on PostgreSQL with
// COPY … FROM STDIN (a stream of text rows, no statement per row), on the embedded database with
// one INSERT … SELECT … FROM unnest($1::uuid[], $2::text[], …) per slice of rows.
import { sql, type Kysely } from 'kysely';
import { copyField, copyRows, copyTextArray } from '../db/copy';
import type { CopyFrom } from '../db/database';
import type { Database } from '../db/schema';

type PgType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'boolean' | 'jsonb' | 'text[]';

/** The generated tables in the order they must be written (foreign keys point backwards). */
export const tableColumns = {
  address: {
    id: 'uuid', area_id: 'uuid', line1: 'text', line2: 'text', town: 'text', postcode: 'text', uprn: 'text',
    confidential: 'boolean', created_at: 'timestamptz',
  },
  person: {
    id: 'uuid', area_id: 'uuid', given_name: 'text', family_name: 'text', date_of_birth: 'date', expected_date_of_birth: 'date',
    sex: 'text', nhs_number: 'text', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  education: { id: 'uuid', area_id: 'uuid', person_id: 'uuid', school_agency_id: 'uuid', home_educated: 'boolean', from_date: 'date', to_date: 'date' },
  agency_record: {
    id: 'uuid', area_id: 'uuid', agency_id: 'uuid', person_id: 'uuid', source_ref: 'text', given_name: 'text', middle_names: 'text',
    family_name: 'text', aliases: 'text[]', date_of_birth: 'date', sex: 'text', nhs_number: 'text', school_agency_id: 'uuid',
    gp_agency_id: 'uuid', email: 'text', recorded_at: 'timestamptz', updated_at: 'timestamptz', expected_date_of_birth: 'date',
  },
  person_link: {
    id: 'uuid', area_id: 'uuid', agency_record_id: 'uuid', person_id: 'uuid', method: 'text', reason: 'text', linked_at: 'timestamptz',
  },
  person_address: {
    id: 'uuid', area_id: 'uuid', person_id: 'uuid', agency_record_id: 'uuid', address_id: 'uuid', from_date: 'date', to_date: 'date',
  },
  household: { id: 'uuid', area_id: 'uuid', address_id: 'uuid', from_date: 'date', to_date: 'date', created_at: 'timestamptz' },
  household_member: { id: 'uuid', area_id: 'uuid', household_id: 'uuid', person_id: 'uuid', from_date: 'date', to_date: 'date' },
  relationship: {
    id: 'uuid', area_id: 'uuid', person_id: 'uuid', related_person_id: 'uuid', kind: 'text', from_date: 'date', to_date: 'date',
    source_event_id: 'uuid', created_at: 'timestamptz',
  },
  event: {
    id: 'uuid', area_id: 'uuid', agency_id: 'uuid', kind: 'text', occurred_at: 'timestamptz', source_ref: 'text', summary: 'text',
    details: 'jsonb', address_id: 'uuid', recorded_at: 'timestamptz', recorded_by: 'uuid',
  },
  event_person: {
    id: 'uuid', area_id: 'uuid', event_id: 'uuid', person_id: 'uuid', agency_record_id: 'uuid', role: 'text',
    child_present: 'boolean', child_voice: 'text',
  },
  record_truth: { area_id: 'uuid', agency_record_id: 'uuid', true_person_key: 'text' },
} as const satisfies Record<string, Record<string, PgType>>;

export type TableName = keyof typeof tableColumns;

type ValueOf<T extends PgType> = T extends 'boolean' ? boolean | null : T extends 'text[]' ? readonly string[] : string | null;

export type Row<T extends TableName> = { [C in keyof (typeof tableColumns)[T]]: (typeof tableColumns)[T][C] extends PgType ? ValueOf<(typeof tableColumns)[T][C]> : never };

/** The database table each generated table is written to. */
export const loadedTables: Record<TableName, string> = {
  address: 'address', person: 'person', education: 'education', agency_record: 'agency_record', person_link: 'person_link',
  person_address: 'person_address', household: 'household', household_member: 'household_member',
  relationship: 'relationship', event: 'event', event_person: 'event_person', record_truth: 'synthetic.record_truth',
};

const tableOrder = Object.keys(tableColumns) as TableName[];

// Text arrays travel as one string per row, joined with the unit separator (which no name
// contains), because unnest() flattens an array of arrays.
const arraySeparator = '\u001f';

/** Rows of every table for one chunk of clusters, kept column by column as they will be sent. */
export class ChunkBuffer {
  private readonly tables = new Map<TableName, { names: string[]; columns: unknown[][]; rows: number }>();
  rowCount = 0;

  add<T extends TableName>(table: T, row: Row<T>): void {
    let buffered = this.tables.get(table);
    if (!buffered) {
      const names = Object.keys(tableColumns[table]);
      buffered = { names, columns: names.map(() => []), rows: 0 };
      this.tables.set(table, buffered);
    }
    const values = row as Record<string, unknown>;
    for (let i = 0; i < buffered.names.length; i++) (buffered.columns[i] as unknown[]).push(values[buffered.names[i] as string] ?? null);
    buffered.rows++;
    this.rowCount++;
  }

  count(table: TableName): number {
    return this.tables.get(table)?.rows ?? 0;
  }

  /** Writes every table, in foreign-key order: by COPY when given, else in slices of at most sliceRows rows. */
  async write(db: Kysely<Database>, sliceRows: number, copy: CopyFrom | null): Promise<void> {
    for (const table of tableOrder) {
      const buffered = this.tables.get(table);
      if (!buffered) continue;
      if (copy) {
        await copyTable(copy, table, buffered.columns, buffered.rows);
        continue;
      }
      for (let start = 0; start < buffered.rows; start += sliceRows) {
        const end = Math.min(buffered.rows, start + sliceRows);
        await insertSlice(db, table, buffered.columns.map((values) => values.slice(start, end)));
      }
    }
  }
}

async function insertSlice(db: Kysely<Database>, table: TableName, columns: unknown[][]): Promise<void> {
  const specs = Object.entries(tableColumns[table]) as [string, PgType][];
  const parameters = specs.map(([, type], i) => {
    const values = columns[i] as unknown[];
    if (type === 'text[]') {
      const joined = values.map((v) => (Array.isArray(v) && v.length > 0 ? v.join(arraySeparator) : null));
      return sql`${joined}::text[]`;
    }
    return sql`${values}::${sql.raw(type)}[]`;
  });
  const names = sql.join(specs.map(([name]) => sql.ref(name)));
  const selected = specs.map(([name, type]) =>
    type === 'text[]' ? sql`coalesce(string_to_array(${sql.ref(`t.${name}`)}, ${arraySeparator}), '{}')` : sql.ref(`t.${name}`));
  await sql`INSERT INTO ${sql.table(loadedTables[table])} (${names})
    SELECT ${sql.join(selected)} FROM unnest(${sql.join(parameters)}) AS t(${names})`.execute(db);
}

function copyValue(type: PgType, value: unknown): string {
  switch (type) {
    case 'text[]': return copyTextArray(Array.isArray(value) ? value : []);
    case 'boolean': return value === null || value === undefined ? '\\N' : value ? 't' : 'f';
    // Ids, dates and instants are written by the generator and never hold a character to escape.
    case 'uuid': case 'date': case 'timestamptz': return value === null || value === undefined ? '\\N' : (value as string);
    default: return copyField(value as string | null);
  }
}

function copyTable(copy: CopyFrom, table: TableName, columns: unknown[][], rowCount: number): Promise<void> {
  const types = Object.values(tableColumns[table]) as PgType[];
  function* lines(): Generator<string> {
    for (let row = 0; row < rowCount; row++) {
      let line = copyValue(types[0] as PgType, (columns[0] as unknown[])[row]);
      for (let c = 1; c < types.length; c++) line += '\t' + copyValue(types[c] as PgType, (columns[c] as unknown[])[row]);
      yield line;
    }
  }
  return copyRows(copy, loadedTables[table], Object.keys(tableColumns[table]), lines());
}
