/**
 * Where a SQLite graph writer's rows go. `InlineRows` inserts them on the
 * writer's own connection as they come. `ThreadRows` hands them to a thread
 * of their own (writer-thread.ts), which inserts them on its own connection
 * to the same file while this thread goes on resolving the next calls.
 *
 * Why a thread: a full index's writing phase is this thread alone (runc:
 * ~0.7 s, about a third of it SQLite's B-tree work for ~95k rows) while the
 * other core, done extracting, is idle. Rows cross as arrays of primitives;
 * copying them costs this thread ~60 ms on runc, the inserts it no longer
 * does ~300 ms.
 */
import { Worker } from 'node:worker_threads';

export interface RowSink {
  /** Rows the sink would like per insert (GraphWriter.rowsPerWrite). */
  readonly rowsPerWrite?: number;
  /**
   * Inserts a row made by `toRow` of each item with `sql` (one `?` per
   * value); may return before they are written. A row the statement
   * changed nothing for (`ON CONFLICT … DO NOTHING`) is handed to `skipped`,
   * at the latest by settle.
   */
  insert<T>(sql: string, items: readonly T[], toRow: (item: T) => unknown[], skipped?: (row: unknown[]) => void): Promise<void>;
  /** Resolves once every row handed over is committed; rejects with the first failure. */
  settle(): Promise<void>;
  /** Ends the sink: after settle, or to give up (rows already handed over may still be written: delete after close). */
  close(): Promise<void>;
}

/** Rows inserted at once, in one transaction, on the writer's connection; each item becomes its row as it is inserted. */
export class InlineRows implements RowSink {
  private readonly statements = new Map<string, { run(...values: unknown[]): { changes: number } }>();

  constructor(private readonly db: import('better-sqlite3').Database) {}

  async insert<T>(sql: string, items: readonly T[], toRow: (item: T) => unknown[], skipped?: (row: unknown[]) => void): Promise<void> {
    if (items.length === 0) return;
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    const run = statement;
    this.db.transaction(() => {
      for (const item of items) {
        const row = toRow(item);
        if (run.run(...row).changes === 0) skipped?.(row);
      }
    })();
  }

  async settle(): Promise<void> {}

  async close(): Promise<void> {}
}

/** The thread runs compiled code; under the test runner this module is loaded from src/, so point at dist/. */
const THREAD_URL = new URL('./writer-thread.js', import.meta.url.replace(/\/src\/store\/sqlite\/[^/]*$/, '/dist/store/sqlite/row-sink.js'));

/**
 * Batches handed to the thread and not yet committed, at most: this thread
 * is faster than the inserts and would otherwise queue every row of the
 * graph (copies of them) in memory. 24 (48k rows) lets it resolve calls
 * while the symbols, the slowest rows, go in: with 8 it waited (runc's
 * writing phase 640 → 597 ms, peak RSS +10–20 MB).
 */
const MAX_IN_FLIGHT = 24;

/** Rows per batch handed to the thread: small enough to start it early, large enough that messages are few. */
const ROWS_PER_BATCH = 2000;

export interface WriterThreadMessage {
  id: number;
  error?: { message: string; code?: string };
  /** Rows of the batch the statement changed nothing for (asked for with `report`). */
  skipped?: unknown[][];
}

/**
 * The writer thread's young generation, in MB (V8's default is 3 × 16 MB
 * semi-spaces). What the thread allocates is rows deserialized from the
 * batches it is handed, dead once inserted: scavenging a small nursery
 * often costs little, and its committed heap fell from ~53 to ~35 MB
 * (runc, parallel index): peak RSS 245–259 → 244–255 MB over four
 * interleaved runs, the generated 1M-line repository's 283 → 259 MB, no
 * slower (6 MB was: 5.2–5.4 s against 4.8–5.1 s on runc).
 */
const WRITER_YOUNG_GENERATION_MB = 12;

/** Rows inserted by a thread of their own (see the module comment), on its own connection to `path`. */
export class ThreadRows implements RowSink {
  readonly rowsPerWrite = ROWS_PER_BATCH;
  private readonly thread: Worker;
  private nextId = 0;
  private readonly inFlight = new Set<number>();
  /** Where a batch's skipped rows go, by batch, for the batches that asked. */
  private readonly skippedTo = new Map<number, (row: unknown[]) => void>();
  private failure: Error | undefined;
  /** Callers waiting for a batch to be done (or the thread to fail): each looks again when woken. */
  private waiting: Array<() => void> = [];
  private exited = false;

  constructor(path: string) {
    this.thread = new Worker(THREAD_URL, { workerData: { path }, resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB } });
    // Waiting to be used (expectGraph) must not keep the process alive; a batch on its way does (see insert).
    this.thread.unref();
    this.thread.on('message', (message: WriterThreadMessage) => {
      this.inFlight.delete(message.id);
      const skipped = this.skippedTo.get(message.id);
      this.skippedTo.delete(message.id);
      for (const row of message.skipped ?? []) skipped?.(row);
      if (this.inFlight.size === 0) this.thread.unref();
      if (message.error && !this.failure) this.failure = Object.assign(new Error(message.error.message), { code: message.error.code });
      this.notify();
    });
    this.thread.on('error', (error) => {
      this.failure ??= error;
      this.notify();
    });
    this.thread.on('exit', (code) => {
      this.exited = true;
      if (this.inFlight.size > 0) this.failure ??= new Error(`the graph writer thread exited (code ${code}) with rows not written`);
      this.notify();
    });
  }

  private notify(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private until(done: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (done() || this.failure || this.exited) resolve();
        else this.waiting.push(check);
      };
      check();
    });
  }

  async insert<T>(sql: string, items: readonly T[], toRow: (item: T) => unknown[], skipped?: (row: unknown[]) => void): Promise<void> {
    for (let start = 0; start < items.length; start += ROWS_PER_BATCH) {
      if (this.failure) throw this.failure;
      const rows = items.slice(start, start + ROWS_PER_BATCH).map(toRow);
      const id = this.nextId++;
      this.inFlight.add(id);
      if (skipped) this.skippedTo.set(id, skipped);
      this.thread.ref();
      this.thread.postMessage({ id, sql, rows, report: skipped !== undefined });
      await this.until(() => this.inFlight.size < MAX_IN_FLIGHT);
    }
    if (this.failure) throw this.failure;
  }

  async settle(): Promise<void> {
    await this.until(() => this.inFlight.size === 0);
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    // Asked (after the batches before it), so that the thread closes its connection; terminated if it does not.
    this.thread.postMessage({ close: true });
    const fallback = setTimeout(() => void this.thread.terminate(), 10_000);
    await exited;
    clearTimeout(fallback);
  }
}
