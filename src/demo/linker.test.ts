import { afterEach, describe, expect, it } from 'vitest';
import { WindowLinker } from './linker';
import { linkWindowRecords, type WindowJob } from './persons';
import { featuresOf } from '../identity/features';
import { defaultIdentitySettings } from '../identity/settings';

const person = (givenName: string, familyName: string, dateOfBirth: string, postcode: string) => featuresOf({
  givenName, middleNames: null, familyName, aliases: [], dateOfBirth, expectedDateOfBirth: null, sex: 'F', nhsNumber: null,
  addresses: [{ line1: '1 High Street', postcode }], phone: null, email: null,
});

// Enough records for the model to be estimated: pairs of one person as two agencies know them.
function window(): WindowJob {
  const names = ['Ava', 'Mia', 'Isla', 'Ruby', 'Lily', 'Evie', 'Grace', 'Freya', 'Ivy', 'Poppy'];
  const families = ['Smith', 'Jones', 'Taylor', 'Brown', 'Evans', 'Wilson', 'Thomas', 'Roberts', 'Walker', 'Wright'];
  const records: WindowJob['records'] = [];
  names.forEach((given, g) => families.forEach((family, f) => {
    const dob = `20${String(10 + ((g * 7 + f) % 9)).padStart(2, '0')}-0${1 + (f % 9)}-${String(10 + g).padStart(2, '0')}`;
    const postcode = `NB${g + 1} ${f}AB`;
    records.push({ id: `r-${g}-${f}-a`, features: person(given, family, dob, postcode), firstSeen: 100 });
    records.push({ id: `r-${g}-${f}-b`, features: person(given.toUpperCase(), family, dob, postcode), firstSeen: 200 });
  }));
  return { records, cannotLink: [], settings: defaultIdentitySettings };
}

describe('the window linker thread', () => {
  let linker: WindowLinker | undefined;
  afterEach(async () => linker?.close());

  it('links a window as the main thread would, and scores the next window with the model of the first', async () => {
    linker = new WindowLinker();
    const job = window();
    const expected = linkWindowRecords(job);
    const first = await linker.link(job);
    expect(Array.from(first.clusterOf)).toEqual(Array.from(expected.clusterOf));
    expect(first.keys).toEqual(expected.keys);
    // The key order crosses the thread as a typed array, every key once, in byte order.
    expect(first.keyOrder).toBeInstanceOf(Uint32Array);
    expect(Array.from(first.keyOrder)).toEqual(Array.from(expected.keyOrder));
    const flat = first.keys.flat();
    expect(new Set(first.keyOrder).size).toBe(flat.length);
    const written = Array.from(first.keyOrder, (i) => flat[i] as string);
    expect(written).toEqual([...flat].sort());
    // Each person's two records are one cluster.
    for (let i = 0; i < job.records.length; i += 2) expect(first.clusterOf[i], job.records[i]?.id).toBe(first.clusterOf[i + 1]);
    const second = await linker.link({ ...job, records: job.records.slice(0, 20) });
    expect(second.model).toEqual(first.model);
  });

  it('rejects with the reason when a window cannot be linked, rather than waiting for ever', async () => {
    linker = new WindowLinker();
    await expect(linker.link({ records: null, cannotLink: [], settings: defaultIdentitySettings } as unknown as WindowJob))
      .rejects.toThrow(/Linking a window of the demo area failed/);
  });
});
