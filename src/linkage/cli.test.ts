import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerLinkCommand } from './cli';
import { generateSynthetic } from './testing/synthetic';

const root = resolve(import.meta.dirname, '../..');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-link-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `hearth link ...` in this process; commander errors become exceptions. */
async function link(args: string[]): Promise<string> {
  const program = new Command('hearth').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerLinkCommand(program);
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    await program.parseAsync(['node', 'hearth', 'link', ...args]);
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

const csvRows = (text: string): string[][] => text.trim().split('\n').map((line) => line.split(','));

describe('hearth link', () => {
  it('links two FEBRL-style files (", " separated) across, and writes pairs and clusters', async () => {
    const { records, person } = generateSynthetic({ records: 600, seed: 9 });
    // Alternate records go to each file; the person behind each record is kept here only.
    const files = [join(dir, 'a.csv'), join(dir, 'b.csv')];
    const truth = new Map<string, number>();
    const rows: string[][] = [['rec_id, given, surname, born, postcode, nhs'], ['rec_id, given, surname, born, postcode, nhs']];
    records.forEach((r, i) => {
      truth.set(r.id, person[i]!);
      const value = (field: keyof typeof r.fields) => r.fields[field]?.[0] ?? '';
      rows[i % 2]!.push([r.id, value('given_name'), value('family_name'), value('dob'), value('postcode'), value('identifier')].join(', '));
    });
    await writeFile(files[0]!, rows[0]!.join('\n'));
    await writeFile(files[1]!, rows[1]!.join('\n'));
    const out = join(dir, 'pairs.csv');
    const clusters = join(dir, 'clusters.csv');

    const summary = await link([
      '--input', files[0]!, '--input', files[1]!, '--id', 'rec_id',
      '--map', 'given=given_name', '--map', 'surname=family_name', '--map', 'born=dob', '--map', 'postcode=postcode', '--map', 'nhs=identifier',
      '--out', out, '--clusters', clusters, '--threshold', '0.5',
    ]);
    expect(summary).toMatch(/^600 records, \d+ candidate pairs compared, \d+ links at probability >= 0.5/);

    const pairs = csvRows(await readFile(out, 'utf8'));
    expect(pairs[0]).toEqual(['id_l', 'id_r', 'match_probability']);
    expect(pairs.length).toBeGreaterThan(20);
    const fileOf = (id: string) => records.findIndex((r) => r.id === id) % 2;
    let correct = 0;
    for (const [left, right, probability] of pairs.slice(1)) {
      expect(fileOf(left!)).toBe(0);
      expect(fileOf(right!)).toBe(1);
      expect(Number(probability)).toBeGreaterThanOrEqual(0.5);
      if (truth.get(left!) === truth.get(right!)) correct++;
    }
    expect(correct / (pairs.length - 1)).toBeGreaterThan(0.8);

    const clustered = csvRows(await readFile(clusters, 'utf8'));
    expect(clustered[0]).toEqual(['id', 'cluster']);
    expect(new Set(clustered.slice(1).map((row) => row[0]))).toEqual(new Set(records.map((r) => r.id)));
  });

  it('names what is wrong with the arguments', async () => {
    const input = join(dir, 'tiny.csv');
    await writeFile(input, 'id,first\n1,Ann\n');
    const attempt = (args: string[]) => link(['--input', input, '--id', 'id', '--out', join(dir, 'x.csv'), ...args]);
    await expect(attempt(['--map', 'first=forename'])).rejects.toThrow(/unknown field "forename"/);
    await expect(attempt(['--map', 'first'])).rejects.toThrow(/must look like COLUMN=FIELD/);
    await expect(attempt([])).rejects.toThrow(/at least one --map/);
    await expect(attempt(['--map', 'first=given_name', '--threshold', '1.5'])).rejects.toThrow(/--threshold must be below 1/);
    await expect(attempt(['--map', 'first=given_name', '--map', 'first=family_name'])).rejects.toThrow(/mapped twice/);
    await expect(attempt(['--map', 'first=given_name', '--input', input, '--input', input])).rejects.toBeInstanceOf(CommanderError);
  });

  it('reports a problem with the data plainly, with exit code 2', async () => {
    const input = join(dir, 'tiny.csv');
    await writeFile(input, 'id,first\n1,Ann\n1,Bob\n');
    const errors: string[] = [];
    const error = console.error;
    const exitCode = process.exitCode;
    console.error = (line: string) => errors.push(line);
    try {
      await link(['--input', input, '--id', 'nope', '--map', 'first=given_name', '--out', join(dir, 'x.csv')]);
      expect(errors).toEqual([expect.stringMatching(/no column "nope" \(columns: id, first\)/)]);
      await link(['--input', input, '--id', 'id', '--map', 'first=given_name', '--out', join(dir, 'x.csv')]);
      expect(errors[1]).toMatch(/id "1" appears twice/);
      await link(['--input', join(dir, 'missing.csv'), '--id', 'id', '--map', 'first=given_name', '--out', join(dir, 'x.csv')]);
      expect(errors[2]).toMatch(/missing.csv: cannot be read \(no such file\)/);
      expect(process.exitCode).toBe(2);
    } finally {
      console.error = error;
      process.exitCode = exitCode;
    }
  });
});

describe('node bin/hearth.js link', () => {
  it('deduplicates a tiny CSV end to end', async () => {
    const input = join(dir, 'people.csv');
    await writeFile(
      input,
      [
        'id,first_name,surname,dob,city',
        '1,Robert,Allen,1971-06-24,London',
        '2,Rob,Allen,24/06/1971,London',
        '3,Grace,Kelly,1991-04-26,Hull',
        '4,Grace,Kelly,19910426,Hull',
        '5,Isla,Hall,1985-02-07,Leeds',
        '6,Hall,Isla,1985-02-07,Leeds',
        '7,Oliver,Griffiths,1991-10-26,Bristol',
      ].join('\n'),
    );
    const run = promisify(execFile);
    const out = join(dir, 'dedupe-pairs.csv');
    const clusters = join(dir, 'dedupe-clusters.csv');
    const base = ['bin/hearth.js', 'link', '--input', input, '--id', 'id', '--map', 'first_name=given_name', '--map', 'surname=family_name', '--map', 'dob=dob', '--map', 'city=locality'];
    const { stdout } = await run('node', [...base, '--out', out, '--clusters', clusters], { cwd: root });
    expect(stdout).toMatch(/^7 records/);
    const clustered = new Map(csvRows(await readFile(clusters, 'utf8')).slice(1).map(([id, cluster]) => [id!, cluster!]));
    expect(clustered.size).toBe(7);
    expect(clustered.get('2')).toBe(clustered.get('1'));
    expect(clustered.get('4')).toBe(clustered.get('3'));
    expect(clustered.get('6')).toBe(clustered.get('5'));
    expect(new Set(clustered.values()).size).toBe(4);
  }, 60_000);
});
