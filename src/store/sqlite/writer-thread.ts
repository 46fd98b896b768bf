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
  /** Send back the rows the statement changed nothing for. */
  report: boolean;
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

/** Rows skipped in the batches being committed, by batch (sent with its acknowledgement). */
const skipped = new Map<number, unknown[][]>();

const commit = db.transaction((batches: Batch[]) => {
  skipped.clear();
  for (const batch of batches) {
    let statement = statements.get(batch.sql);
    if (!statement) statements.set(batch.sql, (statement = db.prepare(batch.sql)));
    if (!batch.report) {
      for (const row of batch.rows) statement.run(row);
      continue;
    }
    const left: unknown[][] = [];
    for (const row of batch.rows) if (statement.run(row).changes === 0) left.push(row);
    if (left.length > 0) skipped.set(batch.id, left);
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
  for (const batch of batches) {
    const left = failed ? undefined : skipped.get(batch.id);
    parentPort!.postMessage({ id: batch.id, ...(failed ? { error: failed } : {}), ...(left ? { skipped: left } : {}) } satisfies WriterThreadMessage);
  }
  skipped.clear();
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
