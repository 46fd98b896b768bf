/**
 * The thread of ThreadRows (row-sink.ts): inserts the rows it is handed on a
 * connection of its own. Batches that arrive while it works are committed
 * a few together (fewer commits rewrite fewer index pages), and each is acknowledged once committed, or with the error that rolled it
 * back — after which every later batch fails too: a graph missing a batch
 * must not be published.
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { WriterThreadMessage } from './row-sink.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

interface Batch {
  id: number;
  sql: string;
  rows: unknown[][];
}

const db = new Database((workerData as { path: string }).path);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = NORMAL');
const statements = new Map<string, BetterSqlite3.Statement>();
let queue: Batch[] = [];
/**
 * Batches committed together, at most: enough that commits are few (each
 * writes the index pages it touched to the WAL again), few enough that
 * acknowledgements flow while the writer goes on handing batches over (it
 * waits when too many are unacknowledged; see MAX_IN_FLIGHT).
 */
const BATCHES_PER_COMMIT = 8;
let scheduled = false;
let failed: WriterThreadMessage['error'];

const commit = db.transaction((batches: Batch[]) => {
  for (const batch of batches) {
    let statement = statements.get(batch.sql);
    if (!statement) statements.set(batch.sql, (statement = db.prepare(batch.sql)));
    for (const row of batch.rows) statement.run(row);
  }
});

function drain(): void {
  scheduled = false;
  const batches = queue.splice(0, BATCHES_PER_COMMIT);
  if (queue.length > 0) schedule();
  if (batches.length === 0) return;
  if (!failed) {
    try {
      commit(batches);
    } catch (error) {
      failed = { message: (error as Error).message, ...((error as { code?: string }).code ? { code: (error as { code: string }).code } : {}) };
    }
  }
  for (const batch of batches) parentPort!.postMessage({ id: batch.id, ...(failed ? { error: failed } : {}) } satisfies WriterThreadMessage);
}

parentPort!.on('message', (message: Batch & { close?: boolean }) => {
  if (message.close) {
    while (queue.length > 0) drain();
    db.close();
    parentPort!.close();
    return;
  }
  queue.push(message);
  schedule();
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(drain);
}
