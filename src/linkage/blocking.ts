import { compactDate } from './dates';
import type { NormalisedRecord } from './types';

/**
 * A blocking rule gives each record zero or more keys; records sharing a key are compared.
 * Several rules run together, so a pair missed by one (a typo in the surname) is caught by
 * another (same date of birth).
 */
export interface BlockingRule {
  readonly name: string;
  keys(record: NormalisedRecord): readonly string[];
}

const none: readonly string[] = [];

function sounds(codes: readonly [string, string]): string[] {
  return codes.filter((c) => c !== '');
}

export const DEFAULT_BLOCKING_RULES: readonly BlockingRule[] = [
  { name: 'identifier', keys: (r) => [...r.nhsNumbers, ...r.otherIds] },
  { name: 'dob', keys: (r) => (r.dob ? [compactDate(r.dob)] : none) },
  {
    // Day and month entered the wrong way round (American order): key on the unordered pair.
    name: 'dob_swapped',
    keys: (r) => {
      const d = r.dob;
      if (!d || d.day > 12 || d.day === d.month) return none;
      return [`${d.year}-${Math.min(d.day, d.month)}-${Math.max(d.day, d.month)}`];
    },
  },
  {
    name: 'family_sound_year',
    keys: (r) => (r.birthYear === 0 ? none : sounds(r.familySound).map((s) => `${s}|${r.birthYear}`)),
  },
  {
    // Unordered, so forename and surname entered the wrong way round still meet.
    name: 'names',
    keys: (r) => (r.given === '' || r.family === '' ? none : [r.given < r.family ? `${r.given}|${r.family}` : `${r.family}|${r.given}`]),
  },
  {
    // A nickname or a misspelt forename (Vicky / Victoria Dean, born the same day): a block of twins at most.
    name: 'family_dob',
    keys: (r) => (r.family === '' || !r.dob ? none : [`${r.family}|${compactDate(r.dob)}`]),
  },
  {
    name: 'postcode_initial',
    keys: (r) => (r.given === '' ? none : r.postcodes.map((p) => `${p.full}|${r.given.charAt(0)}`)),
  },
  {
    // Typos in both names and in the date of birth: the names still sound alike.
    name: 'name_sounds',
    keys: (r) => (r.givenSound[0] === '' || r.familySound[0] === '' ? none : [`${r.givenSound[0]}|${r.familySound[0]}`]),
  },
  {
    // A new surname (marriage) with a mistyped date of birth: same forename and birthday.
    name: 'given_birthday',
    keys: (r) => (r.given === '' || !r.dob ? none : [`${r.given}|${r.dob.month}-${r.dob.day}`]),
  },
  {
    // Same forename sound and birth year: the surname changed or is missing.
    name: 'given_sound_year',
    keys: (r) => (r.birthYear === 0 ? none : sounds(r.givenSound).map((s) => `${s}|${r.birthYear}`)),
  },
  {
    // Spacing typos ("bellbird ctge" / "bellbirdctge") vanish once spaces are dropped.
    name: 'address',
    keys: (r) => {
      const compact = r.address.replace(/ /g, '');
      return compact.length >= 6 ? [compact] : none;
    },
  },
  {
    // A forename or surname that sounds the same, in the same town.
    name: 'name_sound_locality',
    keys: (r) => (r.locality === '' ? none : [...sounds(r.givenSound), ...sounds(r.familySound)].map((s) => `${s}|${r.locality}`)),
  },
  { name: 'email', keys: (r) => r.emails },
  {
    // The part before @ survives a mistyped or changed domain.
    name: 'email_user',
    keys: (r) => r.emails.map((e) => e.slice(0, e.lastIndexOf('@'))).filter((user) => user.length >= 4),
  },
  { name: 'phone', keys: (r) => r.phones },
];

/** The keys to look candidates up by, prefixed with the rule name ("dob:20150303"). */
export function blockingKeys(record: NormalisedRecord, rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES): string[] {
  const keys: string[] = [];
  for (const rule of rules) for (const key of rule.keys(record)) keys.push(`${rule.name}:${key}`);
  return [...new Set(keys)];
}

export type LinkMode = 'dedupe' | 'link';

export interface BlockingOptions {
  readonly mode: LinkMode;
  readonly rules?: readonly BlockingRule[];
  /** Blocks with more records than this are skipped (reported), so one common key cannot explode the work. */
  readonly maxBlockSize?: number;
}

export interface RuleStats {
  readonly rule: string;
  /** New pairs this rule contributed (pairs already found by an earlier rule are not counted again). */
  readonly pairs: number;
  readonly oversizedBlocks: number;
  readonly largestBlock: number;
}

/** One rule's keys for every record, as integer ids in compressed rows. */
interface RuleIndex {
  readonly offsets: Int32Array;
  readonly keys: Int32Array;
  /** Members of each key, in record order, also in compressed rows. */
  readonly memberOffsets: Int32Array;
  readonly members: Int32Array;
  readonly oversized: Uint8Array;
}

export const DEFAULT_MAX_BLOCK_SIZE = 1000;

/**
 * The candidate pairs of a record set under several blocking rules. A pair is produced once, by
 * the first rule that blocks it; `isCandidate` answers the same question for any pair, which
 * estimation needs to tell sampled pairs outside the candidates from those inside.
 */
export class Blocking {
  readonly mode: LinkMode;
  readonly rules: readonly BlockingRule[];
  readonly maxBlockSize: number;
  private readonly index: RuleIndex[];

  constructor(
    private readonly records: readonly NormalisedRecord[],
    options: BlockingOptions,
  ) {
    this.mode = options.mode;
    this.rules = options.rules ?? DEFAULT_BLOCKING_RULES;
    this.maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
    this.index = this.rules.map((rule) => this.indexRule(rule));
  }

  private indexRule(rule: BlockingRule): RuleIndex {
    const n = this.records.length;
    const ids = new Map<string, number>();
    const offsets = new Int32Array(n + 1);
    const keyList: number[] = [];
    for (let i = 0; i < n; i++) {
      const seen = new Set<number>();
      for (const key of rule.keys(this.records[i]!)) {
        let id = ids.get(key);
        if (id === undefined) ids.set(key, (id = ids.size));
        seen.add(id);
      }
      for (const id of [...seen].sort((x, y) => x - y)) keyList.push(id);
      offsets[i + 1] = keyList.length;
    }
    const keys = Int32Array.from(keyList);
    const sizes = new Int32Array(ids.size);
    for (const id of keys) sizes[id]!++;
    const memberOffsets = new Int32Array(ids.size + 1);
    for (let id = 0; id < ids.size; id++) memberOffsets[id + 1] = memberOffsets[id]! + sizes[id]!;
    const members = new Int32Array(keys.length);
    const fill = memberOffsets.slice(0, ids.size);
    for (let i = 0; i < n; i++) {
      for (let p = offsets[i]!; p < offsets[i + 1]!; p++) members[fill[keys[p]!]!++] = i;
    }
    const oversized = new Uint8Array(ids.size);
    for (let id = 0; id < ids.size; id++) if (sizes[id]! > this.maxBlockSize) oversized[id] = 1;
    return { offsets, keys, memberOffsets, members, oversized };
  }

  /** True when records i and j share a usable key in rule r. */
  private sharesKey(r: number, i: number, j: number): boolean {
    const { offsets, keys, oversized } = this.index[r]!;
    let p = offsets[i]!;
    let q = offsets[j]!;
    const pEnd = offsets[i + 1]!;
    const qEnd = offsets[j + 1]!;
    while (p < pEnd && q < qEnd) {
      const x = keys[p]!;
      const y = keys[q]!;
      if (x === y) {
        if (oversized[x] === 0) return true;
        p++;
        q++;
      } else if (x < y) p++;
      else q++;
    }
    return false;
  }

  /** Does the mode allow the pair at all (in link mode, only records of different sources)? */
  allows(i: number, j: number): boolean {
    return this.mode === 'dedupe' || this.records[i]!.source !== this.records[j]!.source;
  }

  /** Would blocking compare records i and j? */
  isCandidate(i: number, j: number): boolean {
    if (i === j || !this.allows(i, j)) return false;
    for (let r = 0; r < this.index.length; r++) if (this.sharesKey(r, i, j)) return true;
    return false;
  }

  /** Total pairs the mode allows (all pairs when deduplicating, cross-source pairs when linking). */
  populationSize(): number {
    const n = this.records.length;
    if (this.mode === 'dedupe') return (n * (n - 1)) / 2;
    const bySource = new Map<number, number>();
    for (const r of this.records) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
    let sameSource = 0;
    for (const count of bySource.values()) sameSource += (count * (count - 1)) / 2;
    return (n * (n - 1)) / 2 - sameSource;
  }

  /** Calls `visit(i, j)` once per candidate pair (i < j). */
  forEachPair(visit: (i: number, j: number) => void): RuleStats[] {
    return this.index.map((index, r) => {
      let pairs = 0;
      let oversizedBlocks = 0;
      let largestBlock = 0;
      const keyCount = index.oversized.length;
      for (let id = 0; id < keyCount; id++) {
        const start = index.memberOffsets[id]!;
        const end = index.memberOffsets[id + 1]!;
        largestBlock = Math.max(largestBlock, end - start);
        if (index.oversized[id] === 1) {
          oversizedBlocks++;
          continue;
        }
        for (let p = start; p < end; p++) {
          const i = index.members[p]!;
          for (let q = p + 1; q < end; q++) {
            const j = index.members[q]!;
            if (!this.allows(i, j) || this.blockedEarlier(r, i, j, id)) continue;
            visit(i, j);
            pairs++;
          }
        }
      }
      return { rule: this.rules[r]!.name, pairs, oversizedBlocks, largestBlock };
    });
  }

  /** Was the pair already produced: by an earlier rule, or by an earlier key of this rule? */
  private blockedEarlier(r: number, i: number, j: number, currentKey: number): boolean {
    for (let earlier = 0; earlier < r; earlier++) if (this.sharesKey(earlier, i, j)) return true;
    const { offsets, keys, oversized } = this.index[r]!;
    // Records with several keys in one rule (an address history) may share more than one.
    if (offsets[i + 1]! - offsets[i]! === 1 || offsets[j + 1]! - offsets[j]! === 1) return false;
    let p = offsets[i]!;
    let q = offsets[j]!;
    while (p < offsets[i + 1]! && q < offsets[j + 1]!) {
      const x = keys[p]!;
      const y = keys[q]!;
      if (x >= currentKey || y >= currentKey) return false;
      if (x === y && oversized[x] === 0) return true;
      if (x <= y) p++;
      else q++;
    }
    return false;
  }
}
