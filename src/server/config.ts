// Configuration from environment variables, validated once at start-up. The README's
// configuration table lists the same variables.
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HEARTH_DATA_DIR: z.string().min(1).default('./data'),
  HEARTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  HEARTH_TRUST_PROXY: flag.default(false),
  HEARTH_SESSION_IDLE_MINUTES: positiveInt.default(30),
  HEARTH_SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  HEARTH_LOCKOUT_ATTEMPTS: positiveInt.default(5),
  HEARTH_LOCKOUT_MINUTES: positiveInt.default(15),
  HEARTH_DB_POOL_SIZE: positiveInt.default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEARTH_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// address, e.g. smtp://user:password@mail.example.org:587' }).optional(),
  HEARTH_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an email address, e.g. hearth@council.example or "Hearth <hearth@council.example>"')
    .optional(),
  HEARTH_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be the http:// or https:// address people open Hearth at' }).optional(),
  HEARTH_OUTBOX_POLL_SECONDS: positiveInt.default(5),
  HEARTH_OUTBOX_MAX_ATTEMPTS: positiveInt.max(100).default(8),
  HEARTH_OUTBOX_LEASE_SECONDS: positiveInt.default(120),
}).superRefine((e, context) => {
  // Email goes out only with a sender and a link back to Hearth.
  if (!e.HEARTH_SMTP_URL) return;
  if (!e.HEARTH_MAIL_FROM) context.addIssue({ code: 'custom', path: ['HEARTH_MAIL_FROM'], message: 'is required when HEARTH_SMTP_URL is set' });
  if (!e.HEARTH_PUBLIC_URL) context.addIssue({ code: 'custom', path: ['HEARTH_PUBLIC_URL'], message: 'is required when HEARTH_SMTP_URL is set (emails link to Hearth)' });
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secret: string | undefined;
  trustProxy: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  dbPoolSize: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Outgoing email; absent when no SMTP server is configured. */
  mail: { smtpUrl: string; from: string } | undefined;
  /** Where people open Hearth, for links in emails (no trailing slash). */
  publicUrl: string | undefined;
  outbox: { pollSeconds: number; maxAttempts: number; leaseSeconds: number };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Hearth's configuration is not valid:\n${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.HEARTH_DATA_DIR,
    secret: e.HEARTH_SECRET,
    trustProxy: e.HEARTH_TRUST_PROXY,
    sessionIdleMinutes: e.HEARTH_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.HEARTH_SESSION_ABSOLUTE_HOURS,
    lockoutAttempts: e.HEARTH_LOCKOUT_ATTEMPTS,
    lockoutMinutes: e.HEARTH_LOCKOUT_MINUTES,
    dbPoolSize: e.HEARTH_DB_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    mail: e.HEARTH_SMTP_URL && e.HEARTH_MAIL_FROM ? { smtpUrl: e.HEARTH_SMTP_URL, from: e.HEARTH_MAIL_FROM } : undefined,
    publicUrl: e.HEARTH_PUBLIC_URL?.replace(/\/+$/, ''),
    outbox: { pollSeconds: e.HEARTH_OUTBOX_POLL_SECONDS, maxAttempts: e.HEARTH_OUTBOX_MAX_ATTEMPTS, leaseSeconds: e.HEARTH_OUTBOX_LEASE_SECONDS },
  };
}
