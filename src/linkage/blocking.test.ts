import { describe, expect, it } from 'vitest';
import { Blocking, blockingKeys, type BlockingRule } from './blocking';
import { person } from './testing/records';
import type { NormalisedRecord } from './types';

function pairsOf(blocking: Blocking): string[] {
  const found: string[] = [];
  blocking.forEachPair((i, j) => found.push(`${i}-${j}`));
  return found.sort();
}

describe('blocking', () => {
  it('gives keys for each rule, prefixed with the rule name, for looking candidates up', () => {
    const keys = blockingKeys(person({ given_name: 'Evie', family_name: 'Dean', dob: '2015-03-04', postcode: ['NG1 5AB', 'LE3 9QT'], identifier: '9434765919' }));
    expect(keys).toEqual(
      expect.arrayContaining([
        'identifier:9434765919',
        'dob:20150304',
        'dob_swapped:2015-3-4',
        'names:dean|evie',
        'family_dob:dean|20150304',
        'postcode_initial:NG15AB|e',
        'postcode_initial:LE39QT|e',
      ]),
    );
  });

  it('finds pairs through any rule, each pair once', () => {
    const records = [
      person({ given_name: 'Evie', family_name: 'Dean', dob: '2015-03-04' }),
      person({ given_name: 'Evie', family_name: 'Dean', dob: '2015-04-03' }), // day and month swapped
      person({ given_name: 'Eve', family_name: 'Deen', dob: '2015-03-04' }), // same dob
      person({ given_name: 'Oliver', family_name: 'Hart', dob: '1990-01-01' }),
    ];
    const blocking = new Blocking(records, { mode: 'dedupe' });
    expect(pairsOf(blocking)).toEqual(['0-1', '0-2', '1-2']);
    expect(blocking.isCandidate(0, 2)).toBe(true);
    expect(blocking.isCandidate(0, 3)).toBe(false);
    expect(blocking.populationSize()).toBe(6);
  });

  it('in link mode pairs only records from different sources', () => {
    const a = (source: number): NormalisedRecord => ({ ...person({ given_name: 'Ann', family_name: 'Lee', dob: '2001-02-03' }), source });
    const blocking = new Blocking([a(0), a(0), a(1)], { mode: 'link' });
    expect(pairsOf(blocking)).toEqual(['0-2', '1-2']);
    expect(blocking.populationSize()).toBe(2);
  });

  it('skips oversized blocks and reports them', () => {
    const rule: BlockingRule = { name: 'family', keys: (r) => [r.family] };
    const records = [...Array(5)].map(() => person({ family_name: 'Smith' })).concat([person({ family_name: 'Zebedee' }), person({ family_name: 'Zebedee' })]);
    const blocking = new Blocking(records, { mode: 'dedupe', rules: [rule], maxBlockSize: 4 });
    const found: string[] = [];
    const stats = blocking.forEachPair((i, j) => found.push(`${i}-${j}`));
    expect(found).toEqual(['5-6']);
    expect(stats).toEqual([{ rule: 'family', pairs: 1, oversizedBlocks: 1, largestBlock: 5 }]);
    expect(blocking.isCandidate(0, 1)).toBe(false);
  });

  it('produces a pair once even when two records share several keys of one rule', () => {
    const history = ['NG1 5AB', 'LE3 9QT'];
    const records = [person({ given_name: 'Ann', postcode: history }), person({ given_name: 'Amy', postcode: history })];
    const rule: BlockingRule = { name: 'postcode', keys: (r) => r.postcodes.map((p) => p.full) };
    expect(pairsOf(new Blocking(records, { mode: 'dedupe', rules: [rule] }))).toEqual(['0-1']);
  });
});
