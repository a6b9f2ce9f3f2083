// Fictional addresses laid out like a real postcode map: the "NB" postcode area (which does not
// exist), districts NB1, NB2…, ten sectors each, and units of about fourteen homes on one
// street, so neighbours share a postcode and a street just as they do in England.
import {
  buildingNames, postcodeArea, postcodeUnitLetters, publicPlaces, streetAbbreviations, streetStems, streetSuffixes, towns,
} from './data/places';
import { hash32, type Prng } from './prng';

export interface Dwelling {
  id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string;
  uprn: string | null;
  confidential: boolean;
  /** 0-based postcode district, used to choose nearby schools and surgeries. */
  district: number;
  street: string;
}

const homesPerUnit = 14;
const openUnits = 64;
const unitsPerSector = postcodeUnitLetters.length * postcodeUnitLetters.length;

/** Districts needed for an area of this many children (about 6,000 children a district). */
export function districtsFor(children: number): number {
  return Math.min(99, Math.max(3, Math.ceil(children / 6000)));
}

export function townOfDistrict(district: number, districts: number): string {
  // The main town takes the first two-fifths of the districts; the others share the rest.
  const mainTownDistricts = Math.max(1, Math.round(districts * 0.4));
  return district < mainTownDistricts ? (towns[0] as string) : (towns[1 + ((district - mainTownDistricts) % (towns.length - 1))] as string);
}

export class AddressBook {
  /** Units being filled; each new home goes to one of them at random, so one family's homes are not next door to each other. */
  private readonly open: { unit: number; used: number }[] = [];
  private nextUnit = 0;

  constructor(readonly districts: number) {}

  /** A home not yet used: units fill up completely, so postcodes hold as many homes as real ones. */
  allocate(prng: Prng, id: string, confidential = false): Dwelling {
    while (this.open.length < openUnits) this.open.push({ unit: this.nextUnit++, used: 0 });
    const slot = prng.int(0, this.open.length - 1);
    const filling = this.open[slot] as { unit: number; used: number };
    const homeInUnit = filling.used++;
    if (filling.used === homesPerUnit) this.open.splice(slot, 1);
    return this.home(id, filling.unit, homeInUnit, confidential);
  }

  private home(id: string, unit: number, homeInUnit: number, confidential: boolean): Dwelling {
    const district = unit % this.districts;
    const rest = Math.floor(unit / this.districts);
    const sector = rest % 10;
    const unitInSector = (Math.floor(rest / 10) * 7 + 13) % unitsPerSector; // 7 is coprime to 400: a permutation
    const lap = Math.floor(rest / (10 * unitsPerSector));
    const letters = postcodeUnitLetters.charAt(Math.floor(unitInSector / postcodeUnitLetters.length)) +
      postcodeUnitLetters.charAt(unitInSector % postcodeUnitLetters.length);
    const postcode = `${postcodeArea}${district + 1} ${sector}${letters}`;

    // Two neighbouring units share a street; one unit in six is a block of flats.
    const streetKey = `${district}.${sector}.${Math.floor(unitInSector / 2)}`;
    const street = `${streetStems[hash32(streetKey, 1) % streetStems.length]} ${streetSuffixes[hash32(streetKey, 2) % streetSuffixes.length]}`;
    const unitKey = `${district}.${sector}.${unitInSector}`;
    const isBlock = hash32(unitKey, 3) % 6 === 0;
    const firstNumber = (unitInSector % 2) * homesPerUnit * 2 + lap * 200 + 1;
    let line1: string;
    let line2: string | null = null;
    if (isBlock) {
      line1 = `Flat ${homeInUnit + 1}, ${buildingNames[hash32(unitKey, 4) % buildingNames.length]}`;
      line2 = `${firstNumber} ${street}`;
    } else {
      line1 = `${firstNumber + homeInUnit} ${street}`;
    }
    return {
      id, line1, line2, town: townOfDistrict(district, this.districts), postcode,
      uprn: `99${String(unit * homesPerUnit + homeInUnit).padStart(10, '0')}`, confidential, district, street,
    };
  }

  /**
   * The same home as one agency keyed it: street type abbreviated, flat number left off, postcode
   * without its space or with one letter slipped, town missing. Kept as a separate address row
   * (no UPRN); a sealed home stays sealed in every copy.
   */
  variantOf(prng: Prng, id: string, home: Dwelling): Dwelling {
    const copy: Dwelling = { ...home, id, uprn: null };
    switch (prng.int(0, 4)) {
      case 0: {
        const suffix = home.street.split(' ').pop() ?? '';
        const short = streetAbbreviations[suffix];
        const replace = (line: string) => (short ? line.replace(` ${suffix}`, ` ${short}`) : line.toUpperCase());
        copy.line1 = replace(home.line1);
        copy.line2 = home.line2 && replace(home.line2);
        break;
      }
      case 1:
        copy.postcode = home.postcode.replace(' ', '');
        break;
      case 2:
        if (home.line2) {
          copy.line1 = home.line2;
          copy.line2 = null;
        } else {
          copy.town = null;
        }
        break;
      case 3: {
        const inward = home.postcode.slice(-2);
        const slipped = inward.charAt(1) + inward.charAt(0);
        copy.postcode = home.postcode.slice(0, -2) + (slipped === inward ? postcodeUnitLetters.charAt(0) + inward.charAt(1) : slipped);
        break;
      }
      default:
        copy.line1 = home.line1.toUpperCase();
        copy.line2 = home.line2 && home.line2.toUpperCase();
        copy.town = home.town && home.town.toUpperCase();
    }
    return copy;
  }

  /** A public place in the same district, for incidents away from home. */
  publicPlace(prng: Prng, near: Dwelling): string {
    const town = townOfDistrict(near.district, this.districts);
    return prng.pick(publicPlaces).replace('{street}', near.street).replace('{town}', town);
  }
}

/** An address on one line, as a police officer writes an incident location. */
export function oneLine(home: Dwelling): string {
  return [home.line1, home.line2, home.town, home.postcode].filter(Boolean).join(', ');
}
