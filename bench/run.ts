// `npm run bench [-- suite ...]`: runs the named benchmark suites, or all of them when none is
// named and then prints one summary table of every suite's figures, written to
// bench/results/summary-<time>.json. `npm run bench -- summary` prints that table from the latest
// results without running anything.
import { summarise } from './support/summary';

const suites: Record<string, () => Promise<{ default: () => Promise<void> }>> = {
  link: () => import('./link'),
  identity: () => import('./identity'),
  county: () => import('./county'),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const summaryOnly = requested.length === 1 && requested[0] === 'summary';
const names = summaryOnly ? [] : requested.length > 0 ? requested : Object.keys(suites);
for (const name of names) {
  if (!suites[name]) {
    console.error(`Unknown benchmark suite "${name}". Known: ${Object.keys(suites).join(', ')}, or summary`);
    process.exit(2);
  }
}

const started = new Date();
const ran = new Set<string>();
for (const name of names) {
  const suite = await (suites[name] as () => Promise<{ default: () => Promise<void> }>)();
  try {
    await suite.default();
    ran.add(name);
  } catch (error) {
    // One suite failing does not stop the others: the summary says which have no fresh figures.
    console.error(`Benchmark suite "${name}" failed:`, error);
    process.exitCode = 1;
  }
}
if (requested.length === 0 || summaryOnly) console.log(`summary: ${await summarise(ran, started)}`);
