import { describe, expect, it } from 'vitest';
import { buildNicknameIndex, nameVariants } from './nicknames';

describe('nameVariants', () => {
  it('gives every name standing for the same formal name, the name itself included', () => {
    expect(nameVariants('bex')).toEqual(expect.arrayContaining(['bex', 'rebecca', 'becky', 'becca']));
    expect(nameVariants('jon')).toEqual(expect.arrayContaining(['jon', 'jonathan']));
    expect(nameVariants('rebecca')).toContain('bex');
  });

  it('gives only the name itself when it is in no table', () => {
    expect(nameVariants('quartermaine')).toEqual(['quartermaine']);
  });

  it('works on any index', () => {
    const index = buildNicknameIndex([['margaret', 'peggy'], ['margaret', 'maggie'], ['william', 'bill']]);
    expect(nameVariants('peggy', index).sort()).toEqual(['maggie', 'margaret', 'peggy']);
    expect(nameVariants('bill', index).sort()).toEqual(['bill', 'william']);
  });
});
