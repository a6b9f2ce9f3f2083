// Links the demo's windows of records in a worker thread, so that the main thread generates the
// next window (and writes the last) while one is linked: on two cores the seed then keeps both
// busy rather than taking turns. Windows are linked in the order they are sent.
import { Worker } from 'node:worker_threads';
import type { WindowJob, WindowLinks } from './persons';

export class WindowLinker {
  private readonly worker = new Worker(new URL('./linker-thread.js', import.meta.url));
  private readonly waiting: { resolve: (links: WindowLinks) => void; reject: (error: Error) => void }[] = [];

  constructor() {
    this.worker.on('message', (reply: { links: WindowLinks } | { error: string }) => {
      const next = this.waiting.shift();
      if ('links' in reply) next?.resolve(reply.links);
      else next?.reject(new Error(`Linking a window of the demo area failed: ${reply.error}`));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`The demo's linker thread stopped (exit code ${code})`)));
  }

  /** Sends a window to be linked; a window without a model is scored by the first window's. */
  link(job: WindowJob): Promise<WindowLinks> {
    const linked = new Promise<WindowLinks>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(job);
    return linked;
  }

  async close(): Promise<void> {
    this.waiting.length = 0;
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiting of this.waiting.splice(0)) waiting.reject(error);
  }
}
