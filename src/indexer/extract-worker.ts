/** A thread of the extraction pool (extract-pool.ts): bytes in, facts JSON out. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { collectIfDue } from '../languages/tree-sitter.js';
import { exportNow, extractNow, type WorkerAnswer } from './extract-pool.js';

interface Task {
  id: number;
  languageId: string;
  dialect: string;
  bytes: Uint8Array;
  /** Parse only (exportNow), for the pool's thread to extract from (WorkerExtractor.split). */
  parseOnly?: boolean;
}

/**
 * Messages are queued and extracted one per turn of the event loop. Why: a
 * port hands over every message already waiting before the loop turns, and
 * parse trees are only freed on a turn (the finalisers collectIfDue's
 * collections schedule run there); extracting in the message handler kept
 * the trees of every queued file alive at once.
 */
const queue: Task[] = [];
let scheduled = false;

function extractNext(): void {
  scheduled = false;
  const task = queue.shift();
  if (!task) return;
  const file = { languageId: task.languageId, dialect: task.dialect, bytes: Buffer.from(task.bytes) };
  if (task.parseOnly) {
    // The parse's columns move to the other thread (transferred, not copied).
    const parsed = exportNow(file);
    const buffer = parsed && 'exported' in parsed.outcome ? parsed.outcome.exported?.buffer : undefined;
    parentPort!.postMessage({ id: task.id, parsed } satisfies WorkerAnswer, buffer ? [buffer] : []);
  } else {
    // extractNow never throws: a bug in an extractor costs its file, not the pool.
    const outcome = extractNow(file);
    // The facts travel as their JSON text (which the extraction cache stores anyway), not as a structured clone.
    parentPort!.postMessage({ id: task.id, factsJson: outcome.factsJson, localAt: outcome.localAt, diagnostics: outcome.diagnostics });
  }
  collectIfDue();
  schedule();
}

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  setImmediate(extractNext);
}

parentPort?.on('message', (message: Task & { close?: boolean }) => {
  if (message.close) {
    // Free parse trees while the thread is whole, then let it end by itself (see WorkerExtractor.close).
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    parentPort!.close();
    return;
  }
  queue.push(message);
  schedule();
});
