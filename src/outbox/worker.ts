// The outbox worker. It claims due entries in small batches with FOR UPDATE SKIP LOCKED on the
// owner connection (entries belong to many areas), then runs each in its own transaction entered
// into the entry's area: the handler's writes and the entry's completion commit together, so a
// crash before the commit leaves the entry pending and its retry cannot repeat what committed.
//
// A claim counts the attempt and takes a lease. Within the lease no other worker takes the entry;
// a worker that died leaves its lease to expire, and the entry is taken over. The delivering
// transaction locks the entry and checks that it is still the attempt it claimed, so a worker
// that outlived its lease finds the entry taken over and does nothing. Failures wait by
// exponential backoff with jitter; after the last attempt the entry is dead, with its last error,
// until an administrator retries it.
import { sql, type Transaction } from 'kysely';
import { writeAudit, type AuditEntry } from '../access/audit';
import { enterArea } from '../access/gate';
import type { DatabaseHandle } from '../db/database';
import type { Database } from '../db/schema';

export interface OutboxJob {
  id: number;
  areaId: string;
  topic: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
}

export interface OutboxScope {
  /** The delivering transaction, limited to the entry's area. */
  db: Transaction<Database>;
  job: OutboxJob;
  /** The worker's clock for this run. */
  now: Date;
  /** Records an audit event by the system, written in the same transaction. */
  audit(entry: AuditEntry): void;
}

/** Runs a short transaction limited to the entry's area (for reads before delivery). */
export type AreaReader = <T>(work: (db: Transaction<Database>) => Promise<T>) => Promise<T>;

export interface OutboxHandler<Outcome = void> {
  /**
   * Optional work outside the database before delivery, such as sending an email, so that a slow
   * mail server holds no transaction open. It may read through `inArea`. It runs at least once:
   * a crash between it and the delivery's commit repeats it.
   */
  beforeDelivery?(job: OutboxJob, inArea: AreaReader): Promise<Outcome>;
  /** The work's writes, committed together with the entry's completion. */
  deliver(scope: OutboxScope, outcome: Outcome | undefined): Promise<void>;
}

export interface WorkLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OutboxWorkerOptions {
  /** Attempts before an entry is dead. */
  maxAttempts?: number;
  /** Entries claimed at a time. */
  batchSize?: number;
  /** How long a claim lasts before another worker may take the entry over. */
  leaseMs?: number;
  /** The wait after the first failure; it doubles with each further failure, up to retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Source of jitter, [0, 1). */
  random?: () => number;
  log?: WorkLogger;
  /** Called after a handler's writes, before they commit (the crash test stops the process here). */
  beforeCommit?: (job: OutboxJob) => void;
}

export interface RunSummary {
  claimed: number;
  delivered: number;
  /** Failed, to be retried later. */
  retrying: number;
  /** Failed for the last time (including entries abandoned by a worker that stopped). */
  dead: number;
  /** Taken over by another worker after this one's lease ran out. */
  skipped: number;
}

/** The wait before the next attempt: exponential, capped, with "equal jitter" (half fixed, half random). */
export function retryDelayMs(failedAttempt: number, options: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const systemOrigin = (areaId: string, requestId: string) => ({ areaId, actorUserId: null, actorAgencyId: null, actorRole: null, requestId, ip: null });
const byTheSystem = (entry: AuditEntry): AuditEntry => ({ ...entry, details: { ...entry.details, performedBy: 'system: outbox worker' } });
const silent: WorkLogger = { info() {}, warn() {}, error() {} };

type Runner = (job: OutboxJob, now: Date) => Promise<'delivered' | 'skipped'>;

export class OutboxWorker {
  private readonly handlers = new Map<string, Runner>();
  readonly maxAttempts: number;
  readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly random: () => number;
  private readonly log: WorkLogger;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: OutboxWorkerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retry = { baseMs: options.retryBaseMs ?? 30_000, maxMs: options.retryMaxMs ?? 3_600_000 };
    this.random = options.random ?? Math.random;
    this.log = options.log ?? silent;
  }

  register<Outcome>(topic: string, handler: OutboxHandler<Outcome>): void {
    if (this.handlers.has(topic)) throw new Error(`A handler is already registered for the topic "${topic}"`);
    this.handlers.set(topic, async (job, now) => {
      const outcome = await handler.beforeDelivery?.(job, (work) => this.inArea(job.areaId, work));
      return this.deliver(job, now, (scope) => handler.deliver(scope, outcome));
    });
  }

  /** Claims one batch of due entries and works through it. */
  async runOnce(now: Date = new Date()): Promise<RunSummary> {
    const summary: RunSummary = { claimed: 0, delivered: 0, retrying: 0, dead: 0, skipped: 0 };
    summary.dead += await this.buryAbandoned(now);
    const jobs = await this.claim(now);
    summary.claimed = jobs.length;
    for (const job of jobs) {
      const runner = this.handlers.get(job.topic);
      try {
        if (!runner) throw new Error(`No handler is registered for the topic "${job.topic}".`);
        summary[await runner(job, now)]++;
      } catch (error) {
        summary[await this.recordFailure(job, now, error)]++;
      }
    }
    return summary;
  }

  /**
   * Ends every claim at once. Only for the embedded database, which one process has to itself:
   * at start-up no other worker can hold a claim, so an entry cut short by a crash is retried
   * straight away instead of after its lease.
   */
  async releaseClaims(): Promise<number> {
    const released = await this.database.db
      .updateTable('outbox')
      .set({ locked_until: null })
      .where('status', '=', 'pending')
      .where('locked_until', 'is not', null)
      .executeTakeFirst();
    return Number(released.numUpdatedRows);
  }

  private async claim(now: Date): Promise<OutboxJob[]> {
    // `now` names a millisecond; the database's clock, which stamped most entries' available_at,
    // counts microseconds. An entry stamped later within that same millisecond is due too.
    const endOfNow = new Date(now.getTime() + 1);
    const rows = await this.database.db
      .updateTable('outbox')
      .set({ attempts: sql`attempts + 1`, locked_until: new Date(now.getTime() + this.leaseMs) })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox')
          .select('id')
          .where('status', '=', 'pending')
          .where('available_at', '<', endOfNow)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
          .where('attempts', '<', this.maxAttempts)
          .orderBy('available_at')
          .orderBy('id')
          .limit(this.batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'area_id', 'topic', 'payload', 'attempts', 'available_at'])
      .execute();
    return rows
      .sort((a, b) => a.available_at.getTime() - b.available_at.getTime() || a.id - b.id)
      .map((r) => ({ id: r.id, areaId: r.area_id, topic: r.topic, payload: r.payload, attempt: r.attempts }));
  }

  private async deliver(job: OutboxJob, now: Date, work: (scope: OutboxScope) => Promise<void>): Promise<'delivered' | 'skipped'> {
    return this.inArea(job.areaId, async (db) => {
      const current = await db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', job.id).forUpdate().executeTakeFirst();
      if (!current || current.status !== 'pending' || current.attempts !== job.attempt) return 'skipped';
      const audits: AuditEntry[] = [];
      await work({ db, job, now, audit: (entry) => void audits.push(entry) });
      await writeAudit(db, systemOrigin(job.areaId, `outbox:${job.id}:${job.attempt}`), audits.map(byTheSystem));
      await db.updateTable('outbox').set({ status: 'done', completed_at: now, locked_until: null, last_error: null }).where('id', '=', job.id).execute();
      this.options.beforeCommit?.(job);
      return 'delivered';
    });
  }

  private async recordFailure(job: OutboxJob, now: Date, error: unknown): Promise<'retrying' | 'dead'> {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const dead = job.attempt >= this.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(job.attempt, this.retry, this.random));
    this.log.warn({ outboxId: job.id, topic: job.topic, attempt: job.attempt, dead }, 'outbox delivery failed');
    try {
      await this.inArea(job.areaId, async (db) => {
        const updated = await db
          .updateTable('outbox')
          .set({ status: dead ? 'dead' : 'pending', locked_until: null, last_error: lastError, ...(dead ? {} : { available_at: nextAttemptAt }) })
          .where('id', '=', job.id)
          .where('status', '=', 'pending')
          .where('attempts', '=', job.attempt)
          .executeTakeFirst();
        if (dead && updated.numUpdatedRows > 0n) {
          await writeAudit(db, systemOrigin(job.areaId, `outbox:${job.id}:${job.attempt}`), [
            byTheSystem({ action: 'outbox.dead', recordType: 'outbox', recordId: String(job.id), details: { topic: job.topic, attempts: job.attempt } }),
          ]);
        }
      });
    } catch (recordError) {
      // The lease runs out and the entry is retried then; nothing is lost.
      this.log.error({ err: recordError, outboxId: job.id }, 'could not record an outbox failure');
    }
    return dead ? 'dead' : 'retrying';
  }

  /** Entries with no attempts left that no worker holds: their last attempt never finished. */
  private async buryAbandoned(now: Date): Promise<number> {
    // On the owner connection, as they may belong to several areas; each is audited in its area's chain.
    return this.database.db.transaction().execute(async (db) => {
      const buried = await db
        .updateTable('outbox')
        .set({
          status: 'dead',
          last_error: sql`CASE WHEN locked_until IS NULL THEN last_error
            ELSE 'No attempts left: the last attempt did not finish, perhaps because the server stopped during it.' END`,
          locked_until: null,
        })
        .where('status', '=', 'pending')
        .where('attempts', '>=', this.maxAttempts)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
        .returning(['id', 'area_id', 'topic', 'attempts'])
        .execute();
      for (const row of buried) {
        await writeAudit(db, systemOrigin(row.area_id, `outbox:${row.id}:${row.attempts}`), [
          byTheSystem({ action: 'outbox.dead', recordType: 'outbox', recordId: String(row.id), details: { topic: row.topic, attempts: row.attempts } }),
        ]);
      }
      return buried.length;
    });
  }

  private inArea<T>(areaId: string, work: (db: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.database.db.transaction().execute(async (db) => {
      await enterArea(db, areaId);
      return work(db);
    });
  }
}
