// The gate: the one way to read or write safeguarding data. Built per request for the actor,
// it checks the permission, opens a transaction in which the database itself limits every
// query to the actor's area (row-level security under the least-privileged role), runs the
// work, and writes the audit events in that same transaction, so no change or view goes
// unrecorded and no audit event records something that did not happen.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseHandle } from '../db/database';
import type { Database } from '../db/schema';
import { isUuid } from '../db/uuid';
import { HearthError, notFound } from '../server/errors';
import type { Actor, RequestOrigin } from './actor';
import { writeAudit, type AuditEntry } from './audit';
import { actorCan, type Permission } from './permissions';

export interface Scope {
  /** The transaction, limited by the database to the actor's area. */
  db: Transaction<Database>;
  actor: Actor;
  can(permission: Permission): boolean;
  /** Records an audit event, written when the work succeeds, in the same transaction. */
  audit(entry: AuditEntry): void;
}

export class Gate {
  constructor(
    private readonly handle: DatabaseHandle,
    readonly actor: Actor,
    readonly origin: RequestOrigin,
  ) {}

  can(permission: Permission): boolean {
    return actorCan(this.actor, permission);
  }

  /** Refuses (audited) unless the actor holds `permission`; for pages that show no data yet. */
  async require(permission: Permission): Promise<void> {
    if (!this.can(permission)) {
      await this.auditAlone({ action: permission, outcome: 'refused' });
      throw new HearthError('forbidden', 'You do not have access to this.');
    }
  }

  /**
   * Refuses (audited against the record asked for) unless the actor holds `permission`, answering
   * "not found", so that an address says nothing of whether the record exists.
   */
  async requireOrNotFound(permission: Permission, record: { recordType: string; recordId: string; what: string }): Promise<void> {
    if (!this.can(permission)) {
      await this.auditAlone({ action: permission, outcome: 'refused', recordType: record.recordType, recordId: record.recordId });
      throw notFound(record.what);
    }
  }

  /**
   * Runs work that needs `permission`. Without it, the refusal is audited and the caller gets
   * "forbidden"; a record the work cannot find in scope is audited as refused and surfaces as
   * "not found", exactly as a record that does not exist.
   */
  async run<T>(permission: Permission, work: (scope: Scope) => Promise<T>): Promise<T> {
    await this.require(permission);
    const pending: AuditEntry[] = [];
    try {
      return await this.handle.transaction(async (db) => {
        await enterArea(db, this.actor.areaId);
        const result = await work({
          db,
          actor: this.actor,
          can: (p) => this.can(p),
          audit: (entry) => void pending.push(entry),
        });
        await writeAudit(db, this.auditOrigin(), pending);
        return result;
      });
    } catch (error) {
      if (error instanceof HearthError && error.code === 'not_found') {
        const attempted = pending[0];
        await this.auditAlone({
          action: attempted?.action ?? permission,
          outcome: 'refused',
          ...(attempted?.recordType ? { recordType: attempted.recordType } : {}),
          ...(attempted?.recordId ? { recordId: attempted.recordId } : {}),
        });
      }
      throw error;
    }
  }

  private auditOrigin() {
    return {
      areaId: this.actor.areaId,
      actorUserId: this.actor.userId,
      actorAgencyId: this.actor.agencyId,
      actorRole: this.actor.role,
      requestId: this.origin.requestId,
      ip: this.origin.ip,
    };
  }

  private async auditAlone(entry: AuditEntry): Promise<void> {
    await this.handle.transaction(async (db) => {
      await enterArea(db, this.actor.areaId);
      await writeAudit(db, this.auditOrigin(), [entry]);
    });
  }
}

/**
 * Switches the transaction to the application role, limited to one area. The area is written
 * into the statement (checked to be a uuid first), not sent as a parameter: a statement without
 * parameters travels with the transaction's BEGIN in one round trip (PreparingClient).
 */
export async function enterArea(db: Kysely<Database>, areaId: string): Promise<void> {
  if (!isUuid(areaId)) throw new Error(`An area id must be a uuid, not "${areaId}"`);
  await sql`SELECT set_config('role', 'hearth_app', true), set_config('hearth.area_id', ${sql.lit(areaId)}, true)`.execute(db);
}
