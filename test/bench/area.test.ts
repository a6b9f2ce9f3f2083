import { describe, expect, it } from 'vitest';
import { benchTarget, databaseOf, onDatabase } from '../../bench/support/area';

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
