import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAuditCommand } from '../cli/audit';
import { registerSeedCommand } from './cli';

interface Outcome {
  out: string;
  err: string;
  exitCode: number;
}

async function hearth(...args: string[]): Promise<Outcome> {
  const outcome: Outcome = { out: '', err: '', exitCode: 0 };
  const program = new Command('hearth').exitOverride().configureOutput({
    writeOut: (text) => (outcome.out += text),
    writeErr: (text) => (outcome.err += text),
  });
  registerSeedCommand(program);
  registerAuditCommand(program);
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    outcome.out += String(text);
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    outcome.out += `${parts.join(' ')}\n`;
  });
  try {
    await program.parseAsync(['node', 'hearth', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    outcome.exitCode = error.exitCode;
  } finally {
    stdout.mockRestore();
    log.mockRestore();
  }
  return outcome;
}

describe('npx hearth seed', () => {
  let dataDir: string;
  const saved = { DATABASE_URL: process.env['DATABASE_URL'], HEARTH_DATA_DIR: process.env['HEARTH_DATA_DIR'] };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hearth-seed-'));
    delete process.env['DATABASE_URL'];
    process.env['HEARTH_DATA_DIR'] = dataDir;
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('explains arguments it cannot use', async () => {
    for (const [args, message] of [
      [['--children', 'lots', '--seed', '1'], '--children must be a positive whole number'],
      [['--children', '0', '--seed', '1'], '--children must be at least 1'],
      [['--children', '2000000', '--seed', '1'], '--children must be at most 1,000,000'],
      [['--children', '10', '--seed', 'abc'], '--seed must be a whole number'],
      [['--children', '10', '--seed', '1', '--area-code', 'Not Valid'], '--area-code must be'],
      [['--children', '10'], "required option '--seed <s>' not specified"],
    ] as const) {
      const outcome = await hearth('seed', ...args);
      expect(outcome.exitCode, args.join(' ')).toBe(1);
      expect(outcome.err).toContain(message);
    }
  });

  it('seeds the embedded database in HEARTH_DATA_DIR, prints a summary, and refuses a second area with the same code', async () => {
    const first = await hearth('seed', '--children', '20', '--seed', '3', '--area-name', 'Testbridge Partnership');
    expect(first.exitCode).toBe(0);
    expect(first.out).toContain('Seeded "Testbridge Partnership" (area code demo)');
    expect(first.out).toMatch(/children\s+20\n/);
    expect(first.out).toContain('mash.practitioner@demo.hearth.test');
    expect(first.out).toContain('hearth-demo-password');

    const again = await hearth('seed', '--children', '20', '--seed', '3');
    expect(again.exitCode).toBe(1);
    expect(again.err).toContain('An area with the code "demo" already exists');
    // The server and the other commands open the same database.
    const verified = await hearth('audit', 'verify');
    expect(verified.out).toMatch(/^OK: [1-9]\d* audit events in 1 area, chain intact\./m);
  });
});

describe('node bin/hearth.js seed', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const run = (dataDir: string, ...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_DATA_DIR: dataDir };
    delete env['DATABASE_URL'];
    return promisify(execFile)('node', ['bin/hearth.js', 'seed', ...args], { cwd: root, env });
  };

  // The entry point starts seeding again in a Node with a larger young generation: what the
  // user sees (output, errors, exit code) must come through unchanged.
  it('seeds through the real entry point and passes on its exit code and errors', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hearth-seed-bin-'));
    try {
      const { stdout } = await run(dataDir, '--children', '15', '--seed', '4');
      expect(stdout).toContain('Seeded "Northbridge Safeguarding Partnership" (area code demo)');
      const refused = await run(dataDir, '--children', '0', '--seed', '4').then(() => null, (error: { code: number; stderr: string }) => error);
      expect(refused?.code).toBe(1);
      expect(refused?.stderr).toContain('--children must be at least 1');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('stops the seed when only the entry point is sent a signal, and exits as killed by it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hearth-seed-signal-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_DATA_DIR: dataDir };
    delete env['DATABASE_URL'];
    const entry = spawn('node', ['bin/hearth.js', 'seed', '--children', '20000', '--seed', '4'], { cwd: root, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((done) => entry.once('exit', (code) => done(code)));
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    try {
      // The seed is the entry point's child, started with the larger young generation.
      let seedPid: number | undefined;
      for (let i = 0; i < 100 && !seedPid; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(entry.pid)]).catch(() => ({ stdout: '' }));
        seedPid = Number(stdout.trim().split(/\s+/)[0]) || undefined;
      }
      expect(seedPid).toBeDefined();
      entry.kill('SIGTERM');
      expect(await exited).toBe(128 + 15);
      for (let i = 0; i < 50 && alive(seedPid as number); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(seedPid as number)).toBe(false);
    } finally {
      entry.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
