import { describe, expect, it } from 'vitest';
import { blockingKeys } from './blocking';
import { linkRecords } from './link';
import { parseModel } from './model';
import { normaliseRecord } from './normalise';
import { Scorer } from './score';
import { generateSynthetic } from './testing/synthetic';

describe('linkRecords on generated people', () => {
  const data = generateSynthetic({ records: 4000, seed: 5 });
  const result = linkRecords(data.records, { mode: 'dedupe', thresholds: { link: 0.5 }, sampleSize: 50_000 });

  it('finds most duplicates with few false links, without labels', () => {
    let truePairs = 0;
    const perPerson = new Map<number, number>();
    for (const p of data.person) perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
    for (const n of perPerson.values()) truePairs += (n * (n - 1)) / 2;
    let correct = 0;
    let linked = 0;
    for (let p = 0; p < result.pairs.count; p++) {
      if (result.pairs.weight[p]! < 0) continue;
      linked++;
      if (data.person[result.pairs.left[p]!] === data.person[result.pairs.right[p]!]) correct++;
    }
    expect(correct / linked).toBeGreaterThan(0.8);
    expect(correct / truePairs).toBeGreaterThan(0.9);
  });

  it('stores its model as JSON that scores a new record exactly as the batch did', () => {
    const model = parseModel(JSON.parse(JSON.stringify(result.model)));
    const scorer = new Scorer(model);
    // Incremental use: normalise the incoming record, look candidates up by blocking key, score.
    const incoming = result.records[result.pairs.left[0]!]!;
    const again = normaliseRecord(data.records[result.pairs.left[0]!]!, { attributeNames: scorer.attributeNames });
    expect(blockingKeys(again)).toEqual(blockingKeys(incoming));
    const candidate = result.records[result.pairs.right[0]!]!;
    expect(scorer.score(again, candidate).weight).toBeCloseTo(result.pairs.weight[0]!, 4);

    const explanation = scorer.explain(again, candidate);
    expect(explanation.probability).toBeCloseTo(scorer.score(again, candidate).probability, 10);
    expect(explanation.fields.map((f) => f.comparison)).toEqual(model.comparisons.map((c) => c.name));
    const sum = explanation.fields.reduce((total, f) => total + f.weight, explanation.priorWeight);
    expect(sum).toBeCloseTo(explanation.weight, 10);
    for (const field of explanation.fields) if (field.level === null) expect(field.weight).toBe(0);
  });

  it('rejects stored parameters that do not fit this engine', () => {
    const broken = { ...result.model, comparisons: result.model.comparisons.map((c) => ({ ...c, m: c.m.slice(1) })) };
    expect(() => parseModel(JSON.parse(JSON.stringify(broken)))).toThrow(/one value per level/);
  });

  it('weighs a common agreed name less than a rare one', () => {
    const scorer = new Scorer(result.model);
    const pair = (family: string) => {
      const record = normaliseRecord({ id: family, source: 0, fields: { family_name: [family] } });
      return scorer.explain(record, record).fields.find((f) => f.comparison === 'family_name')!.weight;
    };
    expect(pair('Smith')).toBeLessThan(pair('Quartermaine'));
  });
});
