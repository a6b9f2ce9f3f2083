// CPU time per request, from the kernel's accounting (/proc): what the server process, the
// database's backends and the load generator each spent. On a machine of two cores these
// bound the throughput (two seconds of CPU per second, shared by all three), whatever the
// latency; and they are less disturbed than times by other work on the machine.
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

async function processCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The CPU of each PostgreSQL backend connected to `database` (their titles name it), by process id. */
async function databaseCpuMs(database: string): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return byPid;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      if (title.startsWith('postgres: ') && title.includes(` ${database} `)) byPid.set(Number(entry), await processCpuMs(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return byPid;
}

export interface CpuPerRequest {
  /** Milliseconds of CPU per completed request. */
  server: number;
  database: number;
  loadGenerator: number;
}

export interface CpuMeter {
  /** Starts counting; the returned function stops and divides by the requests completed. */
  start(): Promise<(requests: number) => Promise<CpuPerRequest>>;
}

/**
 * Counts the CPU of the server process (if any) and of the backends of `database` (if on
 * PostgreSQL). A backend is counted from the start (or from when it connected) to the end; one
 * that disconnects meanwhile (a pool letting an idle connection go) takes its share with it, so
 * the database's figure is, if anything, low.
 */
export function cpuMeter(database: string | null, serverPid: () => number | null): CpuMeter {
  const sample = async () => {
    const pid = serverPid();
    const own = process.cpuUsage();
    return {
      server: pid ? await processCpuMs(pid) : 0,
      backends: database ? await databaseCpuMs(database) : new Map<number, number>(),
      loadGenerator: (own.user + own.system) / 1000,
    };
  };
  return {
    async start() {
      const before = await sample();
      return async (requests) => {
        const after = await sample();
        let database = 0;
        for (const [pid, ms] of after.backends) database += ms - (before.backends.get(pid) ?? 0);
        const per = (ms: number) => ms / Math.max(1, requests);
        return { server: per(after.server - before.server), database: per(database), loadGenerator: per(after.loadGenerator - before.loadGenerator) };
      };
    },
  };
}
