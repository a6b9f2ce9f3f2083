// Choosing names for synthetic people, and the ways agencies get them slightly wrong.
import { familyNames, womensFamilyNames, type FamilyName } from './data/family-names';
import { backgroundWeights, givenNames, middleNames, type Background } from './data/given-names';
import { nicknames, spellingVariants } from './data/nicknames';
import { WeightedTable, type Prng } from './prng';

export type Sex = 'F' | 'M';
export type { Background, FamilyName };

export const backgroundTable = new WeightedTable(backgroundWeights);

/** Name fashions change by generation: cuts at about the 1965 and 2004 birth cohorts. */
export function chooseGivenName(prng: Prng, background: Background, sex: Sex, birthYear: number): string {
  const lists = givenNames[background];
  if (birthYear >= 2004) return prng.pick(sex === 'F' ? lists.girls : lists.boys);
  const older = birthYear < 1965 ? (sex === 'F' ? lists.olderWomen : lists.olderMen) : undefined;
  return prng.pick(older ?? (sex === 'F' ? lists.women : lists.men));
}

export function chooseMiddleName(prng: Prng, background: Background, sex: Sex): string | null {
  if (!prng.chance(0.55)) return null;
  const lists = middleNames[background];
  return prng.pick(sex === 'F' ? lists.female : lists.male);
}

export function chooseFamilyName(prng: Prng, background: Background): FamilyName {
  return prng.pick(familyNames[background]);
}

/** The form of a family name a person of this sex carries (Kowalski / Kowalska). */
export function familyNameFor(name: FamilyName, sex: Sex): string {
  return typeof name === 'string' ? name : sex === 'M' ? name[0] : name[1];
}

/** A woman's own family name where her community often uses one (Begum, Bibi), else null. */
export function chooseWomansFamilyName(prng: Prng, background: Background): string | null {
  const names = womensFamilyNames[background];
  return names && prng.chance(0.4) ? prng.pick(names) : null;
}

export function nicknamesOf(name: string): readonly string[] {
  return nicknames[name] ?? [];
}

const variantGroups = new Map<string, readonly string[]>();
for (const group of spellingVariants) for (const name of group) variantGroups.set(name, group);

/** Other spellings of the same name (Katie → Katy, Katey), or none. */
export function spellingVariantsOf(name: string): readonly string[] {
  return (variantGroups.get(name) ?? []).filter((other) => other !== name);
}

/** Strips accents the way most agency systems do on entry (Wiśniewska → Wisniewska, Łukasz → Lukasz). */
export function withoutDiacritics(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L');
}

// Neighbouring keys on a UK keyboard, for slips of the finger.
const keyboardNeighbours: Readonly<Record<string, string>> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k',
  m: 'n', n: 'bm', o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc',
  y: 'tu', z: 'x',
};

/**
 * One keying error of the kinds seen in real records: neighbouring letters swapped, a doubled
 * letter dropped or a letter doubled, a neighbouring key. The first letter is left alone, as
 * people rarely get it wrong.
 */
export function introduceTypo(prng: Prng, name: string): string {
  if (name.length < 4) return name;
  const at = prng.int(1, name.length - 2);
  const letter = name.charAt(at);
  switch (prng.int(0, 3)) {
    case 0: {
      const next = name.charAt(at + 1);
      return next === letter ? name.slice(0, at) + name.slice(at + 1) : name.slice(0, at) + next + letter + name.slice(at + 2);
    }
    case 1:
      return name.slice(0, at) + name.slice(at + 1);
    case 2:
      return name.slice(0, at) + letter + name.slice(at);
    default: {
      const options = keyboardNeighbours[letter.toLowerCase()];
      if (!options) return name.slice(0, at) + name.slice(at + 1);
      return name.slice(0, at) + prng.pick(options.split('')) + name.slice(at + 1);
    }
  }
}
