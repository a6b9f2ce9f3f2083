// The server's background work: the outbox worker with every topic's handler, polling for due
// entries, the Operation Encompass escalation check once a minute, and the refresh of open risk
// flags once a day, after 02:00 London time (each area's day claimed in the database, so that a
// restart or a second server does not do it again). Several servers may run it
// at once on PostgreSQL; on the embedded database it shares the one connection with requests, so
// each step is a short transaction of its own.
import type { DatabaseHandle } from '../db/database';
import { registerEncompassHandlers } from '../encompass/delivery';
import { londonDate, londonInstant } from '../calendar/london';
import { escalateOverdueNotifications } from '../encompass/escalation';
import { refreshOpenFlags } from '../risk/refresh';
import type { Config } from '../server/config';
import { createSmtpMailer, type Mailer } from './mail';
import { OutboxWorker, type OutboxJob, type OutboxWorkerOptions, type WorkLogger } from './worker';

export interface BackgroundServices {
  config: Config;
  database: DatabaseHandle;
  log?: WorkLogger;
}

export interface BackgroundWork {
  /** Stops polling and waits for the work in hand to finish. */
  stop(): Promise<void>;
}

const escalationIntervalMs = 60_000;
/** The London time of day after which the day's refresh of open flags runs. */
export const flagRefreshAfter = '02:00';
/** Batches worked through in one poll before waiting again, so a backlog drains without starving requests for long. */
const batchesPerPoll = 20;

/** The outbox worker with the handler of every topic registered; without a mailer no email is sent. */
export function createOutboxWorker(services: BackgroundServices & { mailer?: Mailer | undefined }): OutboxWorker {
  const { config, mailer } = services;
  const worker = new OutboxWorker(services.database, {
    maxAttempts: config.outbox.maxAttempts,
    leaseMs: config.outbox.leaseSeconds * 1000,
    ...(services.log ? { log: services.log } : {}),
    ...crashTestHook(),
  });
  registerEncompassHandlers(worker, { mailer, publicUrl: config.publicUrl });
  return worker;
}

/**
 * For the crash test only: HEARTH_TEST_KILL_DURING_DELIVERY=<topic> kills the server after a
 * handler of that topic has written its work and before the work commits.
 */
function crashTestHook(): Pick<OutboxWorkerOptions, 'beforeCommit'> {
  const topic = process.env.HEARTH_TEST_KILL_DURING_DELIVERY;
  if (!topic) return {};
  return {
    beforeCommit: (job: OutboxJob) => {
      if (job.topic === topic) process.kill(process.pid, 'SIGKILL');
    },
  };
}

export function startBackgroundWork(services: BackgroundServices): BackgroundWork {
  const mailer = services.config.mail ? createSmtpMailer(services.config.mail) : undefined;
  const worker = createOutboxWorker({ ...services, mailer });
  const log = services.log;
  const pollMs = services.config.outbox.pollSeconds * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inHand: Promise<void> | undefined;
  let lastEscalationCheck = 0;
  let lastFlagRefreshDay: string | null = null;
  let first = true;

  const poll = async () => {
    try {
      // The embedded database has one process: no other worker can hold a claim left by a crash.
      if (first && services.database.engine === 'pglite') await worker.releaseClaims();
      first = false;
      for (let batch = 0; batch < batchesPerPoll && !stopped; batch++) {
        const run = await worker.runOnce();
        if (run.claimed < worker.batchSize) break;
      }
      if (!stopped && Date.now() - lastEscalationCheck >= escalationIntervalMs) {
        lastEscalationCheck = Date.now();
        await escalateOverdueNotifications(services.database, new Date(), log ? { log } : {});
      }
      const now = new Date();
      const today = londonDate(now);
      if (!stopped && lastFlagRefreshDay !== today && now >= londonInstant(today, flagRefreshAfter)) {
        lastFlagRefreshDay = today;
        const refreshed = await refreshOpenFlags(services.database, now, { daily: true, ...(log ? { log } : {}) });
        log?.info({ ...refreshed }, 'refreshed the open risk flags of every area');
      }
    } catch (error) {
      log?.error({ err: error }, 'background work failed; it is tried again at the next poll');
    }
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inHand = poll().finally(() => {
        inHand = undefined;
        schedule(pollMs);
      });
    }, delayMs);
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inHand;
      mailer?.close();
    },
  };
}
