import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates';
import { introduceTypo, nicknamesOf, spellingVariantsOf, withoutDiacritics } from './names';
import { noiseProfiles, recordedDate } from './noise';
import { Prng } from './prng';

describe('agency noise', () => {
  it('only ever writes real calendar dates', () => {
    const prng = new Prng([11]);
    const wild = { ...noiseProfiles.police, dateSwap: 0.5, dateTypo: 0.5, dateMissing: 0 };
    for (let day = parseIsoDate('2008-01-01') as number; day < (parseIsoDate('2012-12-31') as number); day++) {
      const written = recordedDate(prng, wild, day) as string;
      expect(parseIsoDate(written)).not.toBeNull();
    }
  });

  it('swaps day and month only where both could be a month', () => {
    const prng = new Prng([2]);
    const alwaysSwap = { ...noiseProfiles.police, dateSwap: 1, dateTypo: 0, dateMissing: 0 };
    expect(recordedDate(prng, alwaysSwap, parseIsoDate('2015-03-07') as number)).toBe('2015-07-03');
    expect(recordedDate(prng, alwaysSwap, parseIsoDate('2015-03-27') as number)).toBe('2015-03-27');
  });

  it('knows nicknames, spellings and accents', () => {
    expect(nicknamesOf('Rebecca')).toContain('Becky');
    expect(spellingVariantsOf('Katie')).toContain('Katy');
    expect(spellingVariantsOf('Katie')).not.toContain('Katie');
    expect(withoutDiacritics('Łukasz Wiśniewski')).toBe('Lukasz Wisniewski');
  });

  it('makes one small keying error, keeping the first letter', () => {
    const prng = new Prng([9]);
    for (let i = 0; i < 200; i++) {
      const typed = introduceTypo(prng, 'Jennifer');
      expect(typed.charAt(0)).toBe('J');
      expect(Math.abs(typed.length - 'Jennifer'.length)).toBeLessThanOrEqual(1);
    }
  });

  it('makes health records the likeliest to carry the NHS number', () => {
    expect(noiseProfiles.gp.nhsNumber).toBeGreaterThan(noiseProfiles.emergency_department.nhsNumber);
    expect(noiseProfiles.police.nhsNumber).toBe(0);
    expect(noiseProfiles.police.toldSealedAddresses).toBe(false);
  });
});
