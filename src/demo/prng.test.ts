import { describe, expect, it } from 'vitest';
import { hash32, Prng, WeightedTable } from './prng';

describe('Prng', () => {
  it('gives the same stream for the same seed and a different one for another', () => {
    const draw = (seed: number) => {
      const prng = new Prng([seed]);
      return Array.from({ length: 5 }, () => prng.uint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps draws in range and roughly uniform', () => {
    const prng = new Prng([7]);
    const counts = [0, 0, 0, 0];
    let outside = 0;
    for (let i = 0; i < 40_000; i++) {
      const n = prng.int(0, 3);
      counts[n] = (counts[n] as number) + 1;
      const f = prng.float();
      if (f < 0 || f >= 1) outside++;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(c).toBeGreaterThan(9_500);
  });

  it('makes version-4-shaped UUIDs starting with the given prefix, all distinct', () => {
    const prng = new Prng([1]);
    const ids = Array.from({ length: 10_000 }, () => prng.uuid(0xdeadbeef));
    expect(ids.filter((id) => !/^deadbeef-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(10_000);
  });

  it('picks by weight', () => {
    const prng = new Prng([3]);
    const table = new WeightedTable([['common', 9], ['rare', 1]] as const);
    let rare = 0;
    for (let i = 0; i < 10_000; i++) if (table.pick(prng) === 'rare') rare++;
    expect(rare).toBeGreaterThan(800);
    expect(rare).toBeLessThan(1_200);
    expect(prng.weighted([['only', 1]] as const)).toBe('only');
  });

  it('hashes labels stably', () => {
    expect(hash32('demo')).toBe(hash32('demo'));
    expect(hash32('demo')).not.toBe(hash32('demo2'));
  });
});
