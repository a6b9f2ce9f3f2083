// Where benchmark results go: one JSON file per suite and run under bench/results/, each with
// the machine's core count, the commit and the database engine, so figures are never read
// without knowing what produced them.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = resolve(benchRoot, '..');
export const resultsDir = join(benchRoot, 'results');

export function gitHead(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

/** True when the work tree differs from the commit: the figures are then of uncommitted code. */
export function workTreeChanged(): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
  } catch {
    return false;
  }
}

export function machine() {
  return {
    cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, commit: gitHead(), uncommittedChanges: workTreeChanged(),
    // Other work on the machine when the result was written: runnable processes, averaged over 1 and 15 minutes.
    loadAverage: loadavg().slice(0, 3).map((n) => Math.round(n * 100) / 100),
  };
}

/** Writes `<suite>-<timestamp>.json` and returns its path. */
export async function writeResult(suite: string, result: Record<string, unknown>): Promise<string> {
  const at = new Date();
  const file = join(resultsDir, `${suite}-${at.toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(resultsDir, { recursive: true });
  await writeFile(file, JSON.stringify({ suite, at: at.toISOString(), ...machine(), ...result }, null, 2) + '\n');
  return file;
}

/** The newest result file of a suite, with its contents, or null when it never ran here. */
export async function latestResult(suite: string): Promise<{ file: string; data: Record<string, unknown> } | null> {
  let names: string[];
  try {
    names = await readdir(resultsDir);
  } catch {
    return null;
  }
  // Timestamps in the names sort as text.
  const newest = names.filter((n) => n.startsWith(`${suite}-`) && n.endsWith('.json')).sort().pop();
  if (!newest) return null;
  const file = join(resultsDir, newest);
  return { file, data: JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> };
}
