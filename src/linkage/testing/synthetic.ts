import { compactDate, daysInMonth } from '../dates';
import { seededRandom } from '../random';
import type { RawRecord } from '../types';

// A deterministic generator of synthetic people and the agency records that mention them, with
// the kinds of error real records have: typos, nicknames, swapped names, day and month swapped,
// moves of house, missing values, mistyped NHS numbers, new surnames. People live in households,
// so siblings, twins and parents share surnames and addresses: the cases that must not be merged.
// For benchmarks and tests only; the truth (`person`) is returned beside the records.

const GIRLS = [
  'olivia', 'amelia', 'isla', 'ava', 'ivy', 'freya', 'lily', 'florence', 'mia', 'willow', 'rosie', 'sophia',
  'isabella', 'grace', 'daisy', 'sienna', 'poppy', 'elsie', 'emily', 'ella', 'evelyn', 'phoebe', 'sofia', 'evie',
  'charlotte', 'harper', 'matilda', 'sophie', 'alice', 'ruby', 'jessica', 'chloe', 'eleanor', 'hannah', 'lucy',
  'megan', 'sarah', 'emma', 'laura', 'rebecca', 'katie', 'amy', 'lauren', 'gemma', 'nicola', 'claire', 'kelly',
  'michelle', 'karen', 'joanne', 'samantha', 'victoria', 'elizabeth', 'catherine', 'margaret', 'susan', 'fatima',
  'aisha', 'zainab', 'maryam', 'amira', 'niamh', 'siobhan', 'caitlin', 'leah', 'zoe', 'abigail', 'jasmine',
];
const BOYS = [
  'muhammad', 'noah', 'oliver', 'george', 'leo', 'arthur', 'oscar', 'theodore', 'freddie', 'henry', 'archie',
  'jack', 'alfie', 'charlie', 'thomas', 'jacob', 'william', 'lucas', 'harry', 'teddy', 'james', 'isaac', 'joshua',
  'finley', 'edward', 'joseph', 'samuel', 'daniel', 'max', 'logan', 'jayden', 'ethan', 'mason', 'dylan', 'riley',
  'liam', 'callum', 'connor', 'kieran', 'ryan', 'jamie', 'lewis', 'adam', 'ben', 'matthew', 'david', 'michael',
  'christopher', 'andrew', 'paul', 'mark', 'stephen', 'richard', 'gary', 'darren', 'lee', 'craig', 'robert',
  'john', 'peter', 'ibrahim', 'yusuf', 'omar', 'ali', 'hamza', 'zain', 'aiden', 'tyler', 'kyle', 'reece',
];
const SURNAMES = [
  'smith', 'jones', 'williams', 'taylor', 'brown', 'davies', 'evans', 'wilson', 'thomas', 'johnson', 'roberts',
  'robinson', 'thompson', 'wright', 'walker', 'white', 'edwards', 'hughes', 'green', 'hall', 'lewis', 'harris',
  'clarke', 'patel', 'jackson', 'wood', 'turner', 'martin', 'cooper', 'hill', 'ward', 'morris', 'moore', 'clark',
  'lee', 'king', 'baker', 'harrison', 'morgan', 'allen', 'james', 'scott', 'phillips', 'watson', 'davis', 'parker',
  'price', 'bennett', 'young', 'griffiths', 'mitchell', 'kelly', 'cook', 'carter', 'richardson', 'bailey', 'collins',
  'bell', 'shaw', 'murphy', 'miller', 'cox', 'richards', 'khan', 'marshall', 'anderson', 'simpson', 'ellis', 'adams',
  'singh', 'begum', 'wilkinson', 'foster', 'chapman', 'powell', 'webb', 'rogers', 'gray', 'mason', 'ali', 'hunt',
  'hussain', 'campbell', 'matthews', 'owen', 'palmer', 'holmes', 'mills', 'barnes', 'knight', 'lloyd', 'butler',
  'russell', 'barker', 'fisher', 'stevens', 'jenkins', 'murray', 'dixon', 'harvey', 'graham', 'pearson', 'ahmed',
  'fletcher', 'walsh', 'kaur', 'gibson', 'howard', 'andrews', 'stewart', 'elliott', 'reynolds', 'saunders', 'payne',
  'fox', 'ford', 'pearce', 'day', 'brooks', 'west', 'lawrence', 'cole', 'atkinson', 'bradley', 'spencer', 'gill',
  'dawson', 'ball', 'burton', "o'brien", 'watts', 'rose', 'booth', 'perry', 'ryan', 'grant', 'wells', 'armstrong',
  'francis', 'rees', 'hayes', 'hart', 'hudson', 'newman', 'barrett', 'webster', 'hunter', 'gregory', 'carr', 'lowe',
  'page', 'marsh', 'riley', 'dunn', 'woods', 'parsons', 'berry', 'stone', 'reid', 'holland', 'hawkins', 'harding',
  'porter', 'robertson', 'newton', 'oliver', 'reed', 'kennedy', 'williamson', 'bird', 'gardner', 'shah', 'dean',
  'lane', 'cooke', 'bates', 'henderson', 'parry', 'burgess', 'bishop', 'walton', 'burns', 'nicholson', 'shepherd',
  'ross', 'cross', 'long', 'freeman', 'warren', 'nicholls', 'hamilton', 'byrne', 'sutton', 'mcdonald', 'yates',
  'hodgson', 'robson', 'curtis', 'hopkins', "o'connor", 'harper', 'coleman', 'watkins', 'moss', 'mccarthy', 'chambers',
  'smith-jones', 'lloyd-williams', 'nowak', 'kowalski', 'wisniewski', 'okafor', 'adeyemi', 'mensah', 'nguyen', 'chen',
  'zebedee', 'pennywhistle', 'quartermaine', 'fairweather', 'blackwood', 'ashdown', 'winterbottom', 'trelawney',
];
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  elizabeth: ['liz', 'beth', 'lizzie'], rebecca: ['becky', 'bex'], catherine: ['kate', 'katie', 'cathy'],
  samantha: ['sam'], victoria: ['vicky', 'tori'], margaret: ['maggie'], jessica: ['jess'], eleanor: ['ellie'],
  abigail: ['abbie'], nicola: ['nicky'], susan: ['sue'], william: ['will', 'bill'], thomas: ['tom'], james: ['jim', 'jamie'],
  robert: ['rob', 'bob'], richard: ['rich'], michael: ['mike'], christopher: ['chris'], matthew: ['matt'],
  daniel: ['dan'], joseph: ['joe'], samuel: ['sam'], edward: ['ed', 'eddie'], theodore: ['theo', 'ted'],
  alfie: ['alf'], henry: ['harry'], john: ['jack'], gary: ['gaz'], muhammad: ['mohammed', 'mo'], jayden: ['jay'],
  stephen: ['steve', 'steven'], andrew: ['andy'], benjamin: ['ben'], david: ['dave'], peter: ['pete'],
};
const STREET_NAMES = [
  'high', 'station', 'church', 'park', 'victoria', 'green', 'manor', 'queens', 'new', 'grange', 'kings', 'london',
  'mill', 'school', 'north', 'albert', 'west', 'springfield', 'windsor', 'york', 'chestnut', 'beech', 'oak', 'elm',
  'willow', 'meadow', 'orchard', 'brook', 'castle', 'market', 'bridge', 'spring', 'cherry', 'rectory', 'vicarage',
  'farm', 'hill', 'forest', 'river', 'abbey', 'nelson', 'wellington', 'stanley', 'cromwell', 'milton', 'shakespeare',
];
const STREET_TYPES = ['street', 'road', 'lane', 'avenue', 'close', 'drive', 'way', 'crescent', 'grove', 'gardens'];
const AREAS = ['NG', 'DE', 'LE', 'S', 'B', 'CV', 'LN'];
const LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export interface SyntheticOptions {
  readonly records: number;
  readonly seed?: number;
}

export interface SyntheticData {
  readonly records: RawRecord[];
  /** Per record, the person it describes (the truth, for scoring only). */
  readonly person: Int32Array;
}

interface Person {
  given: string;
  middle: string;
  family: string;
  sex: 'f' | 'm';
  year: number;
  month: number;
  day: number;
  nhs: string;
  postcodes: string[];
  address: string;
  phone: string;
}

function nhsNumber(random: () => number): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => Math.floor(random() * 10));
    const sum = digits.reduce((total, d, i) => total + d * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return digits.join('') + String(check);
  }
}

export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const random = seededRandom(options.seed ?? 42);
  const chance = (p: number): boolean => random() < p;
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  // Zipf-like: early names in each list are much more common than late ones.
  const pickCommon = <T>(items: readonly T[]): T => items[Math.floor(items.length * random() ** 1.6)]!;

  const postcode = (): string =>
    `${pick(AREAS)}${1 + int(30)} ${1 + int(9)}${LETTERS.charAt(int(LETTERS.length))}${LETTERS.charAt(int(LETTERS.length))}`;
  const home = (): { postcode: string; address: string } => ({ postcode: postcode(), address: `${1 + int(250)} ${pick(STREET_NAMES)} ${pick(STREET_TYPES)}` });
  const birth = (from: number, to: number): { year: number; month: number; day: number } => {
    const year = from + int(to - from + 1);
    const month = 1 + int(12);
    return { year, month, day: 1 + int(daysInMonth(year, month)) };
  };
  const phone = (): string => `07${String(100_000_000 + int(900_000_000))}`;
  const makePerson = (family: string, where: { postcode: string; address: string }, born: { year: number; month: number; day: number }): Person => {
    const sex = chance(0.5) ? 'f' : 'm';
    return {
      given: pickCommon(sex === 'f' ? GIRLS : BOYS),
      middle: chance(0.4) ? pick(sex === 'f' ? GIRLS : BOYS) : '',
      family,
      sex,
      ...born,
      nhs: nhsNumber(random),
      postcodes: [where.postcode],
      address: where.address,
      phone: phone(),
    };
  };

  // Households: an adult or two, and children (sometimes twins).
  const people: Person[] = [];
  const target = Math.ceil(options.records * 0.55);
  while (people.length < target) {
    const family = pickCommon(SURNAMES);
    const where = home();
    const parentBirth = birth(1965, 2000);
    people.push(makePerson(family, where, parentBirth));
    if (chance(0.5)) people.push(makePerson(chance(0.7) ? family : pickCommon(SURNAMES), where, birth(1960, 2000)));
    const children = int(4);
    for (let c = 0; c < children; c++) {
      const born = birth(Math.max(parentBirth.year + 17, 2005), 2024);
      people.push(makePerson(family, where, born));
      if (chance(0.015)) people.push(makePerson(family, where, born));
    }
  }

  const typo = (text: string): string => {
    if (text.length < 3) return text;
    const at = 1 + int(text.length - 1);
    const letter = 'abcdefghijklmnopqrstuvwxyz'.charAt(int(26));
    switch (int(4)) {
      case 0:
        return text.slice(0, at) + text.slice(at + 1);
      case 1:
        return text.slice(0, at) + letter + text.slice(at);
      case 2:
        return text.slice(0, at) + letter + text.slice(at + 1);
      default:
        return at < text.length - 1 ? text.slice(0, at) + text.charAt(at + 1) + text.charAt(at) + text.slice(at + 2) : text;
    }
  };
  const capital = (name: string): string => (chance(0.5) ? name.toUpperCase() : name.charAt(0).toUpperCase() + name.slice(1));

  const records: RawRecord[] = [];
  const person: number[] = [];
  // Everyone appears once; then each pass over the people adds another record for some of them.
  for (let p = 0, pass = 0; records.length < options.records; p++) {
    if (p === people.length) {
      p = 0;
      pass++;
    }
    const who = people[p]!;
    if (pass === 0 || chance(0.3)) {
      if (chance(0.15) && who.postcodes.length < 4) {
        const moved = home();
        who.postcodes.push(moved.postcode);
        who.address = moved.address;
      }
      let given = who.given;
      let family = who.family;
      const nicknames = NICKNAMES[given];
      if (nicknames && chance(0.15)) given = pick(nicknames);
      if (chance(0.06)) given = typo(given);
      if (chance(0.06)) family = typo(family);
      if (who.sex === 'f' && who.year < 2000 && chance(0.05)) family = pickCommon(SURNAMES);
      if (chance(0.02)) [given, family] = [family, given];
      let { year, month, day } = who;
      if (chance(0.03) && day <= 12) [month, day] = [day, month];
      else if (chance(0.04)) day = Math.min(daysInMonth(year, month), Math.max(1, day + (chance(0.5) ? 1 : -1) * (1 + int(9))));
      else if (chance(0.02)) year += chance(0.5) ? 1 : -1;
      const dob = chance(0.05) ? '' : chance(0.5) ? compactDate({ year, month, day }) : `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
      const nhs = chance(0.45) ? '' : chance(0.03) ? who.nhs.slice(0, 9) + String((Number(who.nhs.charAt(9)) + 1) % 10) : who.nhs;
      const history = who.postcodes.slice(chance(0.5) ? -1 : 0);
      const postcodes = chance(0.08) ? [] : history.map((pc) => (chance(0.03) ? typo(pc) : pc));
      records.push({
        id: `s${records.length}`,
        source: 0,
        fields: {
          given_name: chance(0.03) ? [] : [capital(given)],
          middle_name: who.middle && chance(0.5) ? [who.middle] : [],
          family_name: chance(0.03) ? [] : [capital(family)],
          dob: [dob],
          sex: chance(0.1) ? [] : [who.sex === 'f' ? (chance(0.5) ? 'F' : 'female') : chance(0.5) ? 'M' : 'male'],
          postcode: postcodes,
          address: chance(0.2) ? [] : [who.address],
          identifier: [nhs],
          phone: chance(0.7) ? [] : [who.phone],
        },
      });
      person.push(p);
    }
  }
  return { records, person: Int32Array.from(person) };
}
