import { readFileSync } from 'node:fs';

// Nickname tables (see data/SOURCES.md): nicknames.csv is carltonnorthern/nicknames (Apache-2.0),
// uk-nicknames.csv adds UK nicknames and spellings. Each row reads "formal,relationship,nickname".
const TABLES = ['nicknames.csv', 'uk-nicknames.csv'];

const NONE = new Int32Array(0);

/** For each known name, the sorted ids of the formal names it stands for (itself included). */
export type NicknameIndex = ReadonlyMap<string, Int32Array>;

export function buildNicknameIndex(rows: Iterable<readonly [formal: string, nickname: string]>): NicknameIndex {
  const formalIds = new Map<string, number>();
  const formalsOf = new Map<string, Set<number>>();
  const add = (name: string, formal: string): void => {
    let id = formalIds.get(formal);
    if (id === undefined) {
      id = formalIds.size;
      formalIds.set(formal, id);
    }
    let set = formalsOf.get(name);
    if (!set) formalsOf.set(name, (set = new Set()));
    set.add(id);
  };
  for (const [formal, nickname] of rows) {
    add(formal, formal);
    add(nickname, formal);
  }
  const index = new Map<string, Int32Array>();
  for (const [name, ids] of formalsOf) index.set(name, Int32Array.from([...ids].sort((x, y) => x - y)));
  return index;
}

function readTable(file: string): Array<[string, string]> {
  const text = readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8');
  const rows: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const [formal, , nickname] = line.split(',');
    if (formal && nickname) rows.push([formal.trim().toLowerCase(), nickname.trim().toLowerCase()]);
  }
  return rows;
}

let defaultIndex: NicknameIndex | undefined;

/** The shipped tables, read once on first use. */
export function defaultNicknameIndex(): NicknameIndex {
  defaultIndex ??= buildNicknameIndex(TABLES.flatMap(readTable));
  return defaultIndex;
}

/** The formal-name ids of a (normalised) given name; empty when the name is in no table. */
export function formalNamesOf(index: NicknameIndex, name: string): Int32Array {
  return index.get(name) ?? NONE;
}

// Reverse look-up (formal-name id → every name standing for it), built once per index.
const namesByFormal = new WeakMap<NicknameIndex, ReadonlyMap<number, readonly string[]>>();

/**
 * Every name that is a nickname or variant of the same formal name as `name` (Bex → Rebecca,
 * Becky, Becca…; Jon → Jonathan, John, Jonny…), `name` itself included. For finding people by a
 * name they may be recorded under.
 */
export function nameVariants(name: string, index: NicknameIndex = defaultNicknameIndex()): string[] {
  let byFormal = namesByFormal.get(index);
  if (!byFormal) {
    const built = new Map<number, string[]>();
    for (const [known, ids] of index) {
      for (const id of ids) {
        const names = built.get(id);
        if (names) names.push(known);
        else built.set(id, [known]);
      }
    }
    namesByFormal.set(index, built);
    byFormal = built;
  }
  const variants = new Set<string>([name]);
  for (const id of formalNamesOf(index, name)) for (const variant of byFormal.get(id) ?? []) variants.add(variant);
  return [...variants];
}
