// Runs in the window linker's worker thread: links each window it is sent, in turn. The model
// estimated on the first window scores every later one, as on the main thread before.
import { parentPort } from 'node:worker_threads';
import { linkWindowRecords, type WindowJob, type WindowLinks } from './persons';
import type { LinkageModel } from '../linkage';

let model: LinkageModel | undefined;
const port = parentPort;
if (!port) throw new Error('linker-thread-main runs only as a worker thread');
port.on('message', (job: WindowJob) => {
  try {
    const links: WindowLinks = linkWindowRecords(model ? { ...job, model } : job);
    model ??= links.model;
    // The key order is handed over rather than copied.
    port.postMessage({ links }, [links.keyOrder.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
