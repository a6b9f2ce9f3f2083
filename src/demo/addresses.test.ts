import { describe, expect, it } from 'vitest';
import { AddressBook, districtsFor, oneLine } from './addresses';
import { Prng } from './prng';

// Outward code (area, district) and inward code (sector, unit) of a UK postcode.
const ukPostcode = /^[A-Z]{1,2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2}$/;

describe('fictional addresses', () => {
  it('uses the NB postcode area, which does not exist, with real postcode structure', () => {
    const book = new AddressBook(districtsFor(20_000));
    const prng = new Prng([4]);
    const homes = Array.from({ length: 5_000 }, (_, i) => book.allocate(prng, `id-${i}`));
    expect(homes.filter((h) => !ukPostcode.test(h.postcode) || !h.postcode.startsWith('NB') || !/^99\d{10}$/.test(h.uprn ?? ''))).toEqual([]);
    expect(new Set(homes.map(oneLine)).size).toBe(homes.length);
  });

  it('fills each postcode with about fourteen homes on one street', () => {
    const book = new AddressBook(3);
    const prng = new Prng([6]);
    const homes = Array.from({ length: 14 * 200 }, (_, i) => book.allocate(prng, `id-${i}`));
    const byPostcode = new Map<string, typeof homes>();
    for (const home of homes) byPostcode.set(home.postcode, [...(byPostcode.get(home.postcode) ?? []), home]);
    const full = [...byPostcode.values()].filter((unit) => unit.length === 14);
    expect(full.length).toBeGreaterThan(130);
    for (const unit of full) expect(new Set(unit.map((h) => h.street)).size).toBe(1);
  });

  it('keys variants of a sealed home as sealed too', () => {
    const book = new AddressBook(3);
    const prng = new Prng([5]);
    const sealed = book.allocate(prng, 'sealed', true);
    for (let i = 0; i < 50; i++) {
      const variant = book.variantOf(prng, `v-${i}`, sealed);
      expect(variant.confidential).toBe(true);
      expect(variant.id).toBe(`v-${i}`);
      expect(variant.uprn).toBeNull();
    }
  });

  it('scales the number of districts with the area', () => {
    expect(districtsFor(100)).toBe(3);
    expect(districtsFor(250_000)).toBe(42);
    expect(districtsFor(1_000_000)).toBe(99);
  });
});
