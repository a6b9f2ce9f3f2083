// Which person each agency record belongs to, decided by identity resolution (src/linkage through
// src/identity) over the generated records, never by the generator's truth: records are linked in
// batch (blocking, comparisons, unlabelled estimation, clustering that refuses to chain), and
// uncertain pairs go to the review queue. The truth stays in synthetic.record_truth for the
// benchmarks to score this against.
import type { Day } from './dates';
import type { SeedRecord } from './records';
import type { TruePerson } from './world';
import { featuresOf, lookupRules, type RecordFeatures } from '../identity/features';
import { displayFrom, displayRank } from '../identity/display';
import { storedEvidence, type StoredEvidence } from '../identity/evidence';
import type { IdentitySettings } from '../identity/settings';
import { keyOrderOf, registryEntry } from '../identity/registry';
import { linkRecords, Scorer, type LinkageModel } from '../linkage';

export interface ResolvedPerson {
  id: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  sex: 'F' | 'M' | 'U';
  nhsNumber: string | null;
  firstSeen: Day;
  lastSeen: Day;
  records: SeedRecord[];
}

export interface PersonAssignment {
  /** The persons whose rows this cluster writes (those whose first record is the cluster's). */
  persons: ResolvedPerson[];
  /** The person each agency record is linked to. */
  personOfRecord: ReadonlyMap<SeedRecord, ResolvedPerson>;
  /** The person who stands for a true person in the generated households and relationships. */
  personOfTruth: ReadonlyMap<TruePerson, ResolvedPerson>;
  /** Why each record is linked to its person, for person_link. */
  linkReason: string;
}

export const linkReason = 'Demo data: linked when the area was generated, by identity resolution over all its agency records (no use of the generator\u2019s truth).';

export interface DemoReview {
  /** The later record, as if it had just arrived. */
  record: SeedRecord;
  candidatePerson: ResolvedPerson;
  candidateRecord: SeedRecord;
  probability: number;
  evidence: StoredEvidence;
  cause: ReviewCause;
}

type ReviewCause = 'uncertain' | 'different_nhs_numbers' | 'evidence_against' | 'named_apart';

export interface LinkedWindow {
  /** Persons in the order of their first record. */
  persons: ResolvedPerson[];
  personOfRecord: Map<SeedRecord, ResolvedPerson>;
  personOfTruth: Map<TruePerson, ResolvedPerson>;
  reviews: DemoReview[];
}

export function seedRecordFeatures(record: SeedRecord): RecordFeatures {
  return featuresOf({
    givenName: record.givenName, middleNames: record.middleNames, familyName: record.familyName, aliases: record.aliases,
    dateOfBirth: record.dateOfBirth, expectedDateOfBirth: record.expectedDateOfBirth, sex: record.sex, nhsNumber: record.nhsNumber,
    addresses: record.addresses.map((a) => ({ line1: a.home.line1, postcode: a.home.postcode })), phone: null, email: record.email,
  });
}

/** What the linker needs of a window of records: plain data, so that it can run in a worker thread. */
export interface WindowJob {
  records: { id: string; features: RecordFeatures; firstSeen: Day }[];
  /** Pairs of records (indexes) named side by side in one event: never put in one person. */
  cannotLink: (readonly [number, number])[];
  settings: IdentitySettings;
  /** Scores the window; without it the parameters are estimated from the window. */
  model?: LinkageModel;
}

export interface WindowLinks {
  model: LinkageModel;
  /** The cluster (person) of each record, by index. */
  clusterOf: ArrayLike<number>;
  reviews: { record: number; candidate: number; probability: number; evidence: StoredEvidence; cause: ReviewCause }[];
  /** Each record's blocking keys, as the registry stores them. */
  keys: string[][];
  /** The keys flattened record by record, in the order to write them (registry keyOrderOf). */
  keyOrder: Uint32Array;
}

/** Links a window of records (several thousand clusters, in generation order) into clusters. */
export function linkWindowRecords(job: WindowJob): WindowLinks {
  const raw = job.records.map((r) => {
    const { aliases: _aliases, ...fields } = r.features;
    return { id: r.id, source: 0, fields };
  });
  const result = linkRecords(raw, {
    mode: 'dedupe', rules: lookupRules, sampleSize: 50_000, seed: 1, cannotLink: job.cannotLink,
    thresholds: { link: job.settings.autoLinkThreshold, review: job.settings.reviewThreshold },
    ...(job.model ? { model: job.model } : {}),
  });
  const keys = job.records.map((r) => registryEntry(r.id, r.features).keys as string[]);
  return { model: result.model, clusterOf: result.clustering.clusterOf, reviews: reviewsOf(result, job), keys, keyOrder: keyOrderOf(keys) };
}

/** The persons of a linked window: one per cluster, with the names and dates shown for them. */
export function personsOf(records: readonly SeedRecord[], links: WindowLinks, newId: (owner: SeedRecord) => string): LinkedWindow {
  // Clusters in order of their first record, so person ids are drawn in a fixed order.
  const members = new Map<number, SeedRecord[]>();
  for (let i = 0; i < records.length; i++) {
    const cluster = links.clusterOf[i] as number;
    const list = members.get(cluster);
    if (list) list.push(records[i] as SeedRecord);
    else members.set(cluster, [records[i] as SeedRecord]);
  }
  const persons: ResolvedPerson[] = [];
  const personOfRecord = new Map<SeedRecord, ResolvedPerson>();
  for (const own of members.values()) {
    const display = displayFrom(own.map((r) => ({
      givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth, expectedDateOfBirth: r.expectedDateOfBirth,
      sex: r.sex, nhsNumber: r.nhsNumber, agencyKind: r.agency.kind, agencyService: r.agency.service,
    })));
    const person: ResolvedPerson = {
      id: newId(own[0] as SeedRecord),
      givenName: display.given_name, familyName: display.family_name, dateOfBirth: display.date_of_birth,
      expectedDateOfBirth: display.expected_date_of_birth, sex: display.sex ?? 'U', nhsNumber: display.nhs_number,
      firstSeen: Math.min(...own.map((r) => r.firstSeen)), lastSeen: Math.max(...own.map((r) => r.lastSeen)), records: own,
    };
    persons.push(person);
    for (const r of own) personOfRecord.set(r, person);
  }
  const reviews = links.reviews.map((r) => ({
    record: records[r.record] as SeedRecord, candidateRecord: records[r.candidate] as SeedRecord,
    candidatePerson: personOfRecord.get(records[r.candidate] as SeedRecord) as ResolvedPerson,
    probability: r.probability, evidence: r.evidence, cause: r.cause,
  }));
  return { persons, personOfRecord, personOfTruth: standInsFor(records, personOfRecord), reviews };
}

const rankOf = (record: SeedRecord) => displayRank({ agencyKind: record.agency.kind, agencyService: record.agency.service, nhsNumber: record.nhsNumber });

/**
 * The generated households and relationships are about true people; each is placed on the person
 * holding most of that true person's records (ties: the most trusted record's person). Where the
 * linker split someone, the other part simply has fewer relationships, as in real data.
 */
function standInsFor(records: readonly SeedRecord[], personOfRecord: ReadonlyMap<SeedRecord, ResolvedPerson>): Map<TruePerson, ResolvedPerson> {
  const byTruth = new Map<TruePerson, SeedRecord[]>();
  for (const r of records) {
    const list = byTruth.get(r.person);
    if (list) list.push(r);
    else byTruth.set(r.person, [r]);
  }
  const standIns = new Map<TruePerson, ResolvedPerson>();
  for (const [truth, own] of byTruth) {
    const counts = new Map<ResolvedPerson, number>();
    for (const r of own) counts.set(personOfRecord.get(r) as ResolvedPerson, (counts.get(personOfRecord.get(r) as ResolvedPerson) ?? 0) + 1);
    const best = own.reduce((a, b) => (rankOf(b) < rankOf(a) ? b : a));
    let chosen = personOfRecord.get(best) as ResolvedPerson;
    for (const [person, count] of counts) if (count > (counts.get(chosen) ?? 0)) chosen = person;
    standIns.set(truth, chosen);
  }
  return standIns;
}

const causeOfRefusal = { different_nhs_numbers: 'different_nhs_numbers', evidence_against: 'evidence_against', known_apart: 'named_apart' } as const;

/**
 * The review queue a real area would have: pairs of different persons whose records scored in the
 * review band, and links the clustering refused because of hard evidence, one per pair of persons.
 */
function reviewsOf(result: ReturnType<typeof linkRecords>, job: WindowJob): WindowLinks['reviews'] {
  const { settings } = job;
  const scorer = new Scorer(result.model);
  const { clusterOf } = result.clustering;
  const reviewWeight = Math.log2(settings.reviewThreshold / (1 - settings.reviewThreshold));
  const seen = new Map<string, WindowLinks['reviews'][number]>();
  // Hard evidence against is worth a reviewer's look before a merely uncertain pair.
  const before = (cause: ReviewCause, probability: number, other: { cause: ReviewCause; probability: number }) =>
    (cause !== 'uncertain') !== (other.cause !== 'uncertain') ? cause !== 'uncertain' : probability > other.probability;
  const propose = (i: number, j: number, probability: number, cause: ReviewCause) => {
    // The record seen later is the one "arriving"; it is asked about the earlier record's person.
    const [a, b] = (job.records[i] as WindowJob['records'][number]).firstSeen <= (job.records[j] as WindowJob['records'][number]).firstSeen ? [j, i] : [i, j];
    const own = clusterOf[a] as number;
    const candidate = clusterOf[b] as number;
    if (own === candidate) return;
    const key = own < candidate ? `${own}|${candidate}` : `${candidate}|${own}`;
    const earlier = seen.get(key);
    if (earlier && !before(cause, probability, earlier)) return;
    const evidence = storedEvidence(job.records[b]!.id, scorer.explain(result.records[a]!, result.records[b]!));
    seen.set(key, { record: a, candidate: b, probability, evidence, cause });
  };
  const { pairs } = result;
  const linkWeight = Math.log2(settings.autoLinkThreshold / (1 - settings.autoLinkThreshold));
  for (let p = 0; p < pairs.count; p++) {
    const weight = pairs.weight[p] as number;
    if (weight >= reviewWeight && weight < linkWeight) propose(pairs.left[p] as number, pairs.right[p] as number, 1 / (1 + 2 ** -weight), 'uncertain');
  }
  for (const refused of result.clustering.refused) propose(refused.left, refused.right, refused.probability, causeOfRefusal[refused.reason]);
  return [...seen.values()];
}
