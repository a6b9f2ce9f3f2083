import { describe, expect, it } from 'vitest';
import { clusterPairs, type ScoredPairs } from './cluster';
import { linkRecords } from './link';
import { generateSynthetic } from './testing/synthetic';
import { rawPerson } from './testing/records';

const pairs = (list: Array<[number, number, number]>): ScoredPairs => ({
  count: list.length,
  left: Int32Array.from(list.map((p) => p[0])),
  right: Int32Array.from(list.map((p) => p[1])),
  weight: Float64Array.from(list.map((p) => p[2])),
});

const options = { threshold: 0.5, conflictEvidence: -10, priorWeight: -10 };

describe('clusterPairs', () => {
  it('merges strongest first and refuses a merge that would join two valid NHS numbers', () => {
    const nhs = [['9434765919'], [], ['4010232137']];
    const result = clusterPairs(3, pairs([[1, 2, 18], [0, 1, 20]]), { ...options, nhsNumbersOf: (i) => nhs[i]! });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, 2]);
    expect(result.clusterCount).toBe(2);
    expect(result.refused).toEqual([{ left: 1, right: 2, probability: expect.closeTo(1, 5), reason: 'different_nhs_numbers', conflict: [0, 2] }]);
  });

  it('refuses a merge across a compared pair with strong evidence against', () => {
    const result = clusterPairs(3, pairs([[0, 1, 20], [1, 2, 18], [0, 2, -30]]), { ...options, nhsNumbersOf: () => [] });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, 2]);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]).toMatchObject({ left: 1, right: 2, reason: 'evidence_against', conflict: [0, 2] });
  });

  it('never joins records known to be two people, however strong the links between them', () => {
    // 0 and 2 were named side by side in one incident; 1 links strongly to both.
    const result = clusterPairs(3, pairs([[0, 1, 20], [1, 2, 19]]), { ...options, nhsNumbersOf: () => [], cannotLink: [[0, 2]] });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, 2]);
    expect(result.refused).toEqual([{ left: 1, right: 2, probability: expect.closeTo(1, 5), reason: 'known_apart', conflict: [0, 2] }]);
  });

  it('chains ordinary links into one cluster when nothing stands against', () => {
    const result = clusterPairs(4, pairs([[0, 1, 20], [1, 2, 18], [0, 2, -5], [3, 2, -40]]), { ...options, nhsNumbersOf: () => [] });
    expect(Array.from(result.clusterOf)).toEqual([0, 0, 0, 3]);
    expect(result.refused).toEqual([]);
  });
});

describe('refusal to chain, end to end', () => {
  it('keeps apart two children with different NHS numbers joined through a record without one', () => {
    // A model estimated on generated records, then applied to three records: A and C have
    // different valid NHS numbers; B has none and matches each of them strongly.
    const { model } = linkRecords(generateSynthetic({ records: 3000, seed: 3 }).records, { mode: 'dedupe', sampleSize: 50_000 });
    const shared = { given_name: 'Amelia', family_name: 'Okafor', dob: '2016-04-11', sex: 'F', postcode: 'NG7 2QP', address: '14 Elm Grove' };
    const a = rawPerson({ ...shared, identifier: '9434765919' }, { id: 'A' });
    const b = rawPerson(shared, { id: 'B' });
    const c = rawPerson({ ...shared, identifier: '4010232137' }, { id: 'C' });
    const result = linkRecords([a, b, c], { mode: 'dedupe', model, thresholds: { link: 0.5 } });

    const probabilityOf = (i: number, j: number): number => {
      const p = [...Array(result.pairs.count).keys()].find((q) => result.pairs.left[q] === i && result.pairs.right[q] === j)!;
      return 1 / (1 + 2 ** -result.pairs.weight[p]!);
    };
    // Links over the threshold A–B and B–C: connected components would make one person of all three.
    expect(probabilityOf(0, 1)).toBeGreaterThan(0.99);
    expect(probabilityOf(1, 2)).toBeGreaterThan(0.99);
    expect(probabilityOf(0, 2)).toBeLessThan(0.5);

    const [clusterA, clusterB, clusterC] = Array.from(result.clustering.clusterOf);
    expect(clusterA).not.toBe(clusterC);
    expect(clusterB === clusterA || clusterB === clusterC).toBe(true);
    expect(result.clustering.refused).toHaveLength(1);
    expect(result.clustering.refused[0]!.reason).toMatch(/different_nhs_numbers|evidence_against/);
  });
});
