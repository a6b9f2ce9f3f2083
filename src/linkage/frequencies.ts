import type { ComparisonSpec } from './comparisons';
import type { NormalisedRecord } from './types';

/**
 * How often each value of a comparison occurs, for term-frequency adjustment: agreeing on a name
 * that one record in fifty has is weaker evidence than agreeing on one that nobody else has.
 * Stored as JSON with the model; values seen once are left out (an unseen value counts as once).
 */
export interface TermFrequencyTable {
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
}

/** The value of a record that a term-frequency comparison agrees on exactly ('' when missing). */
export function termValue(spec: ComparisonSpec, record: NormalisedRecord): string {
  switch (spec.kind) {
    case 'given_name':
      return record.given;
    case 'family_name':
      return record.family;
    case 'locality':
      return record.locality;
    case 'attribute':
      return record.attributes[spec.attributeIndex] ?? '';
    default:
      return '';
  }
}

export function buildTermFrequencies(
  specs: readonly ComparisonSpec[],
  records: readonly NormalisedRecord[],
): Record<string, TermFrequencyTable> {
  const tables: Record<string, TermFrequencyTable> = {};
  for (const spec of specs) {
    if (!spec.termFrequency) continue;
    const counts = new Map<string, number>();
    let total = 0;
    for (const record of records) {
      const value = termValue(spec, record);
      if (value === '') continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      total++;
    }
    const kept: Record<string, number> = {};
    for (const [value, count] of [...counts].sort((x, y) => y[1] - x[1])) if (count > 1) kept[value] = count;
    tables[spec.name] = { total, counts: kept };
  }
  return tables;
}

/** Fast look-up form of a table: the probability that a random record has the value. */
export class TermFrequencies {
  private readonly counts: ReadonlyMap<string, number>;
  private readonly total: number;

  constructor(table: TermFrequencyTable) {
    this.counts = new Map(Object.entries(table.counts));
    this.total = Math.max(1, table.total);
  }

  frequency(value: string): number {
    return (this.counts.get(value) ?? 1) / this.total;
  }
}
