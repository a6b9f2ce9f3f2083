import { describe, expect, it } from 'vitest';
import { describeDatabase } from './database';

describe('naming the commands’ database in messages', () => {
  it('names a PostgreSQL server by host, port and database, never the password', () => {
    const text = describeDatabase({ databaseUrl: 'postgres://hearth:s3cret@db.example.org:6543/hearth_live', dataDir: 'data' });
    expect(text).toBe('PostgreSQL database hearth_live at db.example.org:6543');
    expect(text).not.toContain('s3cret');
  });

  it('names the Unix socket of a local server, in the form the operations guide recommends', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://hearth@/hearth?host=/var/run/postgresql', dataDir: 'data' }))
      .toBe('PostgreSQL database hearth at the socket in /var/run/postgresql');
  });

  it('names the embedded database’s folder', () => {
    expect(describeDatabase({ databaseUrl: undefined, dataDir: '/srv/hearth' })).toBe('embedded database in /srv/hearth/pglite');
  });
});
