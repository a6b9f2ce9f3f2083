// Hearth as it runs in production: `hearth serve` in a process of its own, on the bench
// database, so that its CPU, its memory and its connection pool are its own and measurable.
// Its peak resident memory is the kernel's own high-water mark (VmHWM).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BenchTarget } from './area';
import { projectRoot } from './results';

export interface RunningServer {
  baseUrl: string;
  pid: number;
  /** Throws, with what the server last printed, if it has stopped by itself. */
  checkAlive(): void;
  /** The highest resident memory of the server process so far, in bytes (null where /proc is missing). */
  peakRss(): Promise<number | null>;
  /** Stops the server and returns its peak resident memory. */
  stop(): Promise<number | null>;
}

export interface ServerOptions {
  poolSize: number;
  /** Write a CPU profile of the server (node --cpu-prof) into this directory when it stops. */
  cpuProfileDir?: string | undefined;
  logLevel?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function statusValue(pid: number, field: string): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export async function startServer(target: BenchTarget, options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HEARTH_SECRET: randomBytes(32).toString('hex'),
    HEARTH_DB_POOL_SIZE: String(options.poolSize),
    LOG_LEVEL: options.logLevel ?? 'warn',
  };
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  else delete env.DATABASE_URL;
  if (target.dataDir) env.HEARTH_DATA_DIR = target.dataDir;
  const args = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    join(projectRoot, 'bin', 'hearth.js'), 'serve',
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The last lines it printed, to explain a failure.
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server stopped at start-up:\n${tail.join('\n')}`);
    try {
      if ((await fetch(`${baseUrl}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not become ready in time:\n${tail.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const pid = child.pid as number;
  const peakRss = () => statusValue(pid, 'VmHWM');
  return {
    baseUrl,
    pid,
    checkAlive() {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`The server stopped during the run (${child.exitCode ?? child.signalCode}):\n${tail.join('\n')}`);
      }
    },
    peakRss,
    async stop() {
      const peak = await peakRss();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      return peak;
    },
  };
}
