import { describe, expect, it } from 'vitest';
import { benchTarget, databaseOf, onDatabase, warmDatabaseCache } from '../../bench/support/area';
import { freshDatabase } from '../support/database';

describe('the benchmarks’ database on the DATABASE_URL server', () => {
  it('swaps the database of a TCP connection string, keeping the rest', () => {
    expect(onDatabase('postgres://me:pw@127.0.0.1:5432/postgres?sslmode=disable', 'hearth_bench'))
      .toBe('postgres://me:pw@127.0.0.1:5432/hearth_bench?sslmode=disable');
    expect(databaseOf('postgres://me@127.0.0.1:5432/hearth_bench')).toBe('hearth_bench');
  });

  it('takes the Unix-socket form the operations guide recommends, which Node’s URL parser refuses', () => {
    const socket = 'postgres://postgres@/postgres?host=/var/run/postgresql';
    expect(() => new URL(socket)).toThrow();
    const bench = onDatabase(socket, 'hearth_bench');
    expect(databaseOf(bench)).toBe('hearth_bench');
    expect(new URL(bench).searchParams.get('host')).toBe('/var/run/postgresql');
    const target = benchTarget({ DATABASE_URL: socket });
    expect(target.description).toContain('PostgreSQL database hearth_bench at the socket in /var/run/postgresql');
  });
});

describe('warming the cache before a run', () => {
  it('reads a PostgreSQL database into the operating system’s cache and says how much; the embedded one needs nothing', async () => {
    const postgres = await freshDatabase('postgres');
    try {
      const warm = await warmDatabaseCache(postgres);
      expect(warm.bytes).toBeGreaterThan(0);
      expect(warm.description).toMatch(/^read the database \(\d+(\.\d GiB| MiB)\) into the operating system's cache in \d+ s/);
    } finally {
      await postgres.dispose();
    }
    const embedded = await freshDatabase('pglite');
    try {
      expect(await warmDatabaseCache(embedded)).toMatchObject({ bytes: 0, description: expect.stringContaining('nothing to warm') });
    } finally {
      await embedded.dispose();
    }
  });
});
