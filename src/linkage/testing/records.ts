import { normaliseRecord } from '../normalise';
import type { FieldName, NormalisedRecord, RawRecord } from '../types';

export type PersonFields = Partial<Record<Exclude<FieldName, 'attribute'>, string | string[]>>;

let nextId = 0;

/** A raw record for tests, from plain field values ("" or absent = missing). */
export function rawPerson(fields: PersonFields, options: { id?: string; source?: number; attributes?: Record<string, string> } = {}): RawRecord {
  const values: Partial<Record<Exclude<FieldName, 'attribute'>, string[]>> = {};
  for (const [field, value] of Object.entries(fields) as Array<[Exclude<FieldName, 'attribute'>, string | string[]]>) {
    values[field] = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
  }
  return { id: options.id ?? `t${nextId++}`, source: options.source ?? 0, fields: values, attributes: options.attributes };
}

/** A normalised record for tests. */
export function person(fields: PersonFields, attributes?: Record<string, string>): NormalisedRecord {
  return normaliseRecord(rawPerson(fields, { attributes }), { attributeNames: Object.keys(attributes ?? {}) });
}
