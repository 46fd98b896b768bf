/**
 * Starting the extraction pool's worker threads (extract-worker.ts), and
 * starting them early. Only Node's own modules here: the CLI loads this
 * before anything else when it is asked to index.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** The worker runs compiled code; under the test runner this module is loaded from src/, so point at dist/. */
const WORKER_URL = new URL('./extract-worker.js', import.meta.url.replace(/\/src\/indexer\/[^/]*$/, '/dist/indexer/extract-pool.js'));

/**
 * Workers started before they are asked for (prestartWorkers), which the
 * next pool takes before starting its own. Why: a worker spends ~130 ms
 * starting (Node's bootstrap, the grammars, the extractors) before its first
 * file, while this thread alone extracts; started as `graphhub index` begins,
 * that happens while this thread opens the hub and lists the repository.
 */
const spare: Worker[] = [];

/** Starts `count` workers for the next pool (see `spare`); they hold nothing open. */
export function prestartWorkers(count = availableParallelism() - 1): void {
  while (spare.length < count) {
    const worker = new Worker(WORKER_URL);
    worker.unref();
    // A spare that fails before it is taken is simply not there to take.
    worker.on('error', () => {
      const at = spare.indexOf(worker);
      if (at >= 0) spare.splice(at, 1);
    });
    spare.push(worker);
  }
}

/**
 * Ends the spare workers no pool took. Terminated rather than asked to exit
 * (askToExit): one that never had a file holds no parse tree to finalise,
 * and asking would wait for it to finish starting (an index with nothing
 * to parse took 50 ms longer).
 */
export async function closeSpareWorkers(): Promise<void> {
  await Promise.all(spare.splice(0).map((worker) => worker.terminate()));
}

/**
 * Asks a worker to exit rather than terminating it: terminating a thread
 * while the tree-sitter binding still has native objects to finalise aborts
 * the whole process (a Napi::Error thrown during teardown). The worker
 * collects its garbage first and exits on its own; terminate is only the
 * fallback for one that does not.
 */
export function askToExit(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const fallback = setTimeout(() => void worker.terminate().then(() => resolve()), 5000);
    worker.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    worker.postMessage({ close: true });
  });
}

/** How many started workers wait to be taken. */
export function spareWorkers(): number {
  return spare.length;
}

/** A worker for a pool: a spare one if one was started (without the listener it had as a spare), else a new one. */
export function newWorker(): Worker {
  const worker = spare.pop();
  if (!worker) return new Worker(WORKER_URL);
  worker.removeAllListeners('error');
  return worker;
}
