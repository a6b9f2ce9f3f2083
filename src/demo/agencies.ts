// The organisations of the demo area and their teams: one of each statutory partner, a health
// trust with its services, and schools and GP practices in proportion to the number of children.
import { AddressBook, townOfDistrict, type Dwelling } from './addresses';
import { saints, schoolStems, surgeryStems } from './data/places';
import type { Prng } from './prng';

export type AgencyKind =
  | 'police' | 'childrens_social_care' | 'health' | 'school' | 'probation' | 'idva_service'
  | 'adult_social_care' | 'housing' | 'education_safeguarding';

export type HealthService = 'emergency_department' | 'midwifery' | 'health_visiting' | 'gp';

/** How an agency keeps records of people, which decides the noise in them (see records.ts). */
export type RecordStyle =
  | 'police' | 'gp' | 'emergency_department' | 'midwifery' | 'health_visiting' | 'school' | 'social_care'
  | 'probation' | 'idva' | 'housing' | 'adult_social_care' | 'education_safeguarding';

export interface Agency {
  id: string;
  kind: AgencyKind;
  service: HealthService | null;
  parentAgencyId: string | null;
  name: string;
  code: string;
  email: string | null;
  phone: string | null;
  /** Null for the health trust itself: its services hold the records. */
  recordStyle: RecordStyle | null;
  /** Postcode district served, for schools and surgeries; -1 for area-wide agencies. */
  district: number;
  phase: 'primary' | 'secondary' | null;
}

export interface Team {
  id: string;
  agencyId: string;
  name: string;
}

export interface AreaStructure {
  police: Agency;
  socialCare: Agency;
  healthTrust: Agency;
  emergencyDepartment: Agency;
  midwifery: Agency;
  healthVisiting: Agency;
  probation: Agency;
  idva: Agency;
  adultSocialCare: Agency;
  housing: Agency;
  educationSafeguarding: Agency;
  primarySchools: Agency[];
  secondarySchools: Agency[];
  gps: Agency[];
  agencies: Agency[];
  teams: {
    mash: Team; assessment: Team; childProtection: Team; qualityAndPerformance: Team;
    publicProtection: Team; healthSafeguarding: Team; idvaTeam: Team;
  };
  /** Refuge homes, shared by the families placed there over the years; always sealed. */
  refuges: Dwelling[];
}

/** School and surgery numbers follow England's averages: ~275 pupils a primary, ~1,000 a secondary. */
function agencyScale(children: number): { primaries: number; secondaries: number; gps: number; refuges: number } {
  return {
    primaries: Math.max(2, Math.round(children / 700)),
    secondaries: Math.max(1, Math.round(children / 3000)),
    gps: Math.max(3, Math.round(children / 2300)),
    refuges: Math.max(2, Math.ceil(children / 4000)),
  };
}

// Ofcom keeps these ranges for drama; none reaches a real telephone.
const dramaPhonePrefixes = ['01632 960', '0113 496 0', '0114 496 0', '0115 496 0', '0116 496 0', '0117 496 0', '0118 496 0', '0121 496 0', '0131 496 0', '0141 496 0', '0151 496 0', '0161 496 0'];

export function buildAreaStructure(prng: Prng, idPrefix: number, children: number, addresses: AddressBook): AreaStructure {
  const id = () => prng.uuid(idPrefix);
  let phones = 0;
  const phone = () => {
    const n = phones++;
    const prefix = dramaPhonePrefixes[Math.floor(n / 1000)];
    return prefix ? `${prefix}${String(n % 1000).padStart(3, '0')}` : null;
  };
  const agencies: Agency[] = [];
  const agency = (fields: Omit<Agency, 'id' | 'phone' | 'parentAgencyId' | 'service' | 'district' | 'phase'> & Partial<Agency>): Agency => {
    const made: Agency = { id: id(), phone: phone(), parentAgencyId: null, service: null, district: -1, phase: null, ...fields };
    agencies.push(made);
    return made;
  };
  const mainTown = townOfDistrict(0, addresses.districts);
  const domain = `${mainTown.toLowerCase().replace(/[^a-z]/g, '')}.test`;

  const police = agency({ kind: 'police', name: `${mainTown} Police`, code: 'NBP', email: `ppu@police.${domain}`, recordStyle: 'police' });
  const socialCare = agency({ kind: 'childrens_social_care', name: `${mainTown} Council Children\u2019s Services`, code: 'LA-CSC', email: `mash@council.${domain}`, recordStyle: 'social_care' });
  const healthTrust = agency({ kind: 'health', name: `${mainTown} Hospitals NHS Foundation Trust`, code: 'RNB', email: `safeguarding@nhs.${domain}`, recordStyle: null });
  const service = (name: string, service: HealthService, code: string, recordStyle: RecordStyle) =>
    agency({ kind: 'health', service, parentAgencyId: healthTrust.id, name, code, email: `${code.toLowerCase()}@nhs.${domain}`, recordStyle });
  const emergencyDepartment = service(`${mainTown} General Hospital Emergency Department`, 'emergency_department', 'RNB-ED', 'emergency_department');
  const midwifery = service('Maternity and Midwifery Service', 'midwifery', 'RNB-MAT', 'midwifery');
  const healthVisiting = service('Health Visiting Service', 'health_visiting', 'RNB-HV', 'health_visiting');
  const probation = agency({ kind: 'probation', name: `Probation Service \u2013 ${mainTown} Delivery Unit`, code: 'PDU-NB', email: `pdu@probation.${domain}`, recordStyle: 'probation' });
  const idva = agency({ kind: 'idva_service', name: `${mainTown} Domestic Abuse Service (IDVA)`, code: 'IDVA-NB', email: `idva@dasupport.${domain}`, recordStyle: 'idva' });
  const adultSocialCare = agency({ kind: 'adult_social_care', name: `${mainTown} Council Adult Social Care`, code: 'LA-ASC', email: `asc@council.${domain}`, recordStyle: 'adult_social_care' });
  const housing = agency({ kind: 'housing', name: `${mainTown} Council Housing Options`, code: 'LA-HSG', email: `housing@council.${domain}`, recordStyle: 'housing' });
  const educationSafeguarding = agency({ kind: 'education_safeguarding', name: `${mainTown} Council Education Safeguarding`, code: 'LA-EDS', email: `education.safeguarding@council.${domain}`, recordStyle: 'education_safeguarding' });

  const scale = agencyScale(children);
  const usedNames = new Set<string>();
  const unique = (name: string, district: number) => {
    let candidate = name;
    if (usedNames.has(candidate)) candidate = `${name} (${townOfDistrict(district, addresses.districts)})`;
    for (let n = 2; usedNames.has(candidate); n++) candidate = `${name} (${n})`;
    usedNames.add(candidate);
    return candidate;
  };
  const schoolEmail = (name: string) => `dsl@${name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}.sch.${domain}`;
  let urn = 0;
  const school = (name: string, district: number, phase: 'primary' | 'secondary') => {
    const schoolName = unique(name, district);
    return agency({ kind: 'school', name: schoolName, code: String(910_001 + 7 * urn++), email: schoolEmail(schoolName), recordStyle: 'school', district, phase });
  };
  const primarySchools = Array.from({ length: scale.primaries }, (_, i) => {
    const district = i % addresses.districts;
    const stem = prng.pick(schoolStems);
    const name = prng.weighted([
      [`${stem} Primary School`, 5], [`${stem} Church of England Primary School`, 2],
      [`St ${prng.pick(saints)}\u2019s Catholic Primary School`, 1.5], [`${stem} Primary Academy`, 1.5], [`${stem} Infant and Junior School`, 1],
    ]);
    return school(name, district, 'primary');
  });
  const secondarySchools = Array.from({ length: scale.secondaries }, (_, i) => {
    const district = i % addresses.districts;
    const stem = prng.pick(schoolStems);
    const name = prng.weighted([
      [`${townOfDistrict(district, addresses.districts)} High School`, 2], [`${stem} Academy`, 3], [`${stem} Community College`, 2],
      [`St ${prng.pick(saints)}\u2019s Catholic High School`, 1],
    ]);
    return school(name, district, 'secondary');
  });
  const gps = Array.from({ length: scale.gps }, (_, i) => {
    const district = i % addresses.districts;
    const stem = prng.pick(surgeryStems);
    const name = unique(prng.weighted([[`${stem} Medical Practice`, 3], [`${stem} Surgery`, 3], [`${stem} Health Centre`, 2], [`The ${stem} Practice`, 1]]), district);
    return agency({
      kind: 'health', service: 'gp', name, code: `Z9${String(i + 1).padStart(4, '0')}`,
      email: `practice.${String(i + 1).padStart(4, '0')}@nhs.${domain}`, recordStyle: 'gp', district,
    });
  });

  const team = (agencyOf: Agency, name: string): Team => ({ id: id(), agencyId: agencyOf.id, name });
  const teams = {
    mash: team(socialCare, 'MASH'),
    assessment: team(socialCare, 'Assessment team'),
    childProtection: team(socialCare, 'Child protection team'),
    qualityAndPerformance: team(socialCare, 'Quality and performance'),
    publicProtection: team(police, 'Public protection unit'),
    healthSafeguarding: team(healthTrust, 'Safeguarding children team'),
    idvaTeam: team(idva, 'IDVA team'),
  };
  const refuges = Array.from({ length: scale.refuges }, () => addresses.allocate(prng, id(), true));

  return {
    police, socialCare, healthTrust, emergencyDepartment, midwifery, healthVisiting, probation, idva, adultSocialCare,
    housing, educationSafeguarding, primarySchools, secondarySchools, gps, agencies, teams, refuges,
  };
}
