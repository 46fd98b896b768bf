/**
 * Extraction on every core: a pool of worker threads, each with its own
 * tree-sitter parsers, turning file bytes into facts (as JSON text, which is
 * also what the extraction cache stores).
 *
 * A worker that dies (a native crash in a grammar) fails only the files it
 * held: they get an error diagnostic and the pool starts a new worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractDiagnostic } from '../languages/language.js';
import { languageById } from '../languages/registry.js';
import { exportTree, nativeTreeExport, usingExport, type ExportOutcome } from '../languages/native-tree.js';
import { collectIfDue } from '../languages/tree-sitter.js';

export interface ExtractTask {
  languageId: string;
  dialect: string;
  bytes: Buffer;
}

export interface ExtractOutcome {
  /**
   * JSON text of the facts; undefined when the file yielded none. Facts are
   * always taken from this text, even when extracted in this thread: the
   * extractor's own strings are mostly slices of the file's text, and V8
   * keeps the whole text alive for a slice of 13 characters or more (an
   * import path, a doc comment). Facts that stay in memory until resolution
   * held 7 MB of source texts on a generated 1M-line repository, growing
   * with it; parsed back, they hold only themselves.
   */
  factsJson: string | undefined;
  /**
   * For a language with local facts: where each of them starts in factsJson
   * (at its `"name":`), in order, after the other fields; each runs to the
   * next one's comma, the last to the closing brace. The parts are taken
   * apart without parsing the whole (see splitFacts in read-files.ts).
   */
  localAt?: number[];
  diagnostics: ExtractDiagnostic[];
}

export interface Extractor {
  extract(task: ExtractTask): Promise<ExtractOutcome>;
  close(): Promise<void>;
}

/**
 * Extraction in this thread until more than `inlineBytes` of files have
 * asked for it, then in a pool of `threads` workers. For an index that will
 * parse few of many files (an incremental one, or `watch`, whose unchanged
 * files come from the cache or the memo): starting two workers, each
 * loading the grammars and extractors, cost more than the one file a change
 * parses.
 */
export function lazyExtractor(threads: number, inlineBytes: number): Extractor {
  const inline = inlineExtractor();
  let pool: WorkerExtractor | undefined;
  let asked = 0;
  return {
    extract(task) {
      if (!pool && (asked += task.bytes.length) > inlineBytes) pool = extractionPool(threads);
      return (pool ?? inline).extract(task);
    },
    async close() {
      await pool?.close();
    },
  };
}

/**
 * Extraction on `threads` threads: this one and `threads - 1` workers. Why
 * this thread too: on two cores, two workers and this thread (reading,
 * hashing, storing) were three isolates each compiling the extractors and
 * growing a heap; with one worker, this thread extracting what the worker
 * has no room for, runc's index needed ~35 MB less memory and no more
 * time (five interleaved runs each: median 6.50 → 6.18 s, peaks 263–277 →
 * 229–232 MB; Debian's Go sources 3.46–3.52 → 3.27–3.29 s; a generated
 * 1M-line repository even).
 */
export function extractionPool(threads: number): WorkerExtractor {
  return threads >= 2 ? new WorkerExtractor(threads - 1, true) : new WorkerExtractor(1);
}

/** Extraction in this thread: for small repositories, where starting workers costs more than it saves. */
export function inlineExtractor(): Extractor {
  return {
    async extract(task) {
      const outcome = extractNow(task);
      // Let parse trees be freed (see collectIfDue): their finalisers need a turn of the event loop.
      if (collectIfDue('young')) await new Promise((resolve) => setImmediate(resolve));
      return outcome;
    },
    async close() {},
  };
}

/**
 * A file's facts, in this thread. Never throws: extraction does not by
 * contract, and a bug that does costs its file (an error diagnostic), not
 * the index — the same in a worker, in this thread helping the workers, and
 * in an index small enough to extract here alone.
 */
export function extractNow(task: ExtractTask, parsed?: FileParse): ExtractOutcome {
  try {
    // A parse of another file (language, dialect or size) is not taken: the extractor parses its own.
    const fits = parsed && parsed.languageId === task.languageId && parsed.dialect === task.dialect && parsed.bytes === task.bytes.length;
    const spec = fits ? languageById(task.languageId)?.parseSpec?.(task.dialect) : undefined;
    return spec ? usingExport(spec, parsed!.outcome, () => extractFacts(task)) : extractFacts(task);
  } catch (error) {
    return { factsJson: undefined, diagnostics: [{ severity: 'error', message: `extractor bug: ${(error as Error).message}` }] };
  }
}

/** A file's parse made by exportNow, with what it is the parse of. */
export interface FileParse {
  languageId: string;
  dialect: string;
  /** The file's size in bytes. */
  bytes: number;
  outcome: ExportOutcome;
}

/**
 * A file's parse alone (the language's parseSpec), for extractNow in
 * another thread; undefined for a language that gives none, or without the
 * native export (the extractor then parses for itself). Never throws.
 */
export function exportNow(task: ExtractTask): FileParse | undefined {
  if (!nativeTreeExport) return undefined;
  const file = { languageId: task.languageId, dialect: task.dialect, bytes: task.bytes.length };
  try {
    const spec = languageById(task.languageId)?.parseSpec?.(task.dialect);
    return spec ? { ...file, outcome: exportTree(spec, task.bytes.toString('utf8')) } : undefined;
  } catch (error) {
    return { ...file, outcome: { error: (error as Error).message } };
  }
}

function extractFacts(task: ExtractTask): ExtractOutcome {
  const language = languageById(task.languageId);
  if (!language) return { factsJson: undefined, diagnostics: [{ severity: 'error', message: `unknown language ${task.languageId}` }] };
  const result = language.extract(task.bytes.toString('utf8'), task.dialect);
  if (result.facts === undefined) return { factsJson: undefined, diagnostics: result.diagnostics };
  if (!language.localFacts) return { factsJson: JSON.stringify(result.facts), diagnostics: result.diagnostics };
  // The local fields are written last, so that they are one tail of the JSON text.
  const facts = result.facts as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  const local: string[] = [];
  for (const [key, value] of Object.entries(facts)) {
    if (language.localFacts.includes(key)) local.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    else rest[key] = value;
  }
  const restJson = JSON.stringify(rest);
  if (restJson === '{}' || local.length === 0) return { factsJson: JSON.stringify(facts), diagnostics: result.diagnostics };
  let json = restJson.slice(0, -1);
  const localAt: number[] = [];
  for (const part of local) {
    json += ',';
    localAt.push(json.length);
    json += part;
  }
  return { factsJson: `${json}}`, localAt, diagnostics: result.diagnostics };
}

interface Pending {
  resolve: (outcome: ExtractOutcome) => void;
  task: ExtractTask;
}

/** What a worker answers: a task's facts, or (parse-only tasks) its parse, or nothing for a language without a parseSpec. */
export type WorkerAnswer = { id: number } & ({ parsed: FileParse | undefined } | ExtractOutcome);

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The worker runs compiled code; under the test runner this module is loaded from src/, so point at dist/. */
const WORKER_URL = new URL('./extract-worker.js', import.meta.url.replace(/\/src\/indexer\/[^/]*$/, '/dist/indexer/extract-pool.js'));

/**
 * Tasks handed to a worker at once; the rest wait here. Enough that a
 * worker never waits for this thread (busy reading, hashing, writing the
 * cache), few enough that work is shared out evenly to the end. (Each
 * worker extracts one task per turn of its event loop: see extract-worker.ts.)
 */
const TASKS_PER_WORKER = 16;

export class WorkerExtractor implements Extractor {
  private readonly workers: PoolWorker[] = [];
  /**
   * One worker and this thread: the worker only parses and this thread
   * extracts from its parses (and parses itself what the worker has no room
   * for). Why: each isolate that runs the extractors compiles them, and on
   * two cores the second compilation (~0.25 s of CPU on runc, on V8's
   * threads) competed with both; with more workers this thread would be
   * the bottleneck.
   */
  private readonly split: boolean;
  /** Parses the worker made, waiting for this thread to extract from them, oldest first. */
  private parses: Array<{ pending: Pending; parsed: FileParse | undefined }> = [];
  /**
   * Tasks not yet handed to a worker, oldest first from `head`; the slots
   * before it are let go in takeQueued. Why: in an index the queue is never
   * empty for long (the reader keeps it ahead of the threads), and a taken
   * task's slot held its resolver, so its promise and outcome (the facts'
   * JSON) and its bytes — 78 MB of a 1M-line index's heap, growing with
   * the repository.
   */
  private queue: Pending[] = [];
  private head = 0;
  private nextId = 0;
  private closed = false;
  /** This thread extracts too (see `help`): a turn of the event loop is booked for it. */
  private helping = false;
  /** Tasks this thread extracted itself, parse included (the rest went to workers). */
  extractedHere = 0;
  /** Tasks this thread extracted from a worker's parse (split). */
  extractedFromParses = 0;
  /** The most parses that waited for this thread at once (bounded by the worker's room: see dispatch). */
  mostParsesWaiting = 0;

  /**
   * @param size worker threads
   * @param help whether this thread also extracts the tasks no worker has room for, one per turn of its event loop
   */
  constructor(
    size = Math.max(1, availableParallelism()),
    private readonly help = false,
  ) {
    this.split = size === 1 && help && nativeTreeExport;
    for (let i = 0; i < size; i++) this.workers.push(this.start());
  }

  private start(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(WORKER_URL), pending: new Map() };
    entry.worker.on('message', (message: WorkerAnswer) => {
      const pending = entry.pending.get(message.id);
      if (!pending) return;
      entry.pending.delete(message.id);
      if ('parsed' in message) {
        // Without a parse (a language without a parseSpec), extractNow parses here.
        this.parses.push({ pending, parsed: message.parsed });
        this.mostParsesWaiting = Math.max(this.mostParsesWaiting, this.parses.length);
      } else {
        pending.resolve({ factsJson: message.factsJson, diagnostics: message.diagnostics, ...(message.localAt !== undefined ? { localAt: message.localAt } : {}) });
      }
      this.dispatch();
    });
    const fail = (reason: string): void => {
      for (const pending of entry.pending.values()) {
        pending.resolve({ factsJson: undefined, diagnostics: [{ severity: 'error', message: `extractor failed: ${reason}` }] });
      }
      entry.pending.clear();
      const index = this.workers.indexOf(entry);
      if (index >= 0 && !this.closed) {
        this.workers[index] = this.start();
        this.dispatch();
      }
    };
    entry.worker.on('error', (error) => fail(error.message));
    entry.worker.on('exit', (code) => {
      if (!this.closed) fail(`worker exited with code ${code}`);
    });
    // Idle workers must not keep the process alive.
    entry.worker.unref();
    return entry;
  }

  extract(task: ExtractTask): Promise<ExtractOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ resolve, task });
      this.dispatch();
    });
  }

  /**
   * One task in this thread: the oldest parse a worker made, else the oldest
   * task no worker has taken (parsed here too); books the next turn while
   * either waits.
   */
  private readonly extractHere = (): void => {
    this.helping = false;
    if (this.closed) return;
    const fromParse = this.parses.shift();
    if (fromParse) {
      this.extractedFromParses++;
      fromParse.pending.resolve(extractNow(fromParse.pending.task, fromParse.parsed));
    } else if (this.head < this.queue.length) {
      const pending = this.takeQueued();
      this.extractedHere++;
      pending.resolve(extractNow(pending.task));
    }
    this.dispatch();
  };

  /** The oldest queued task (there is one); the queue drops taken slots once they are half of it, so each is copied at most once on average. */
  private takeQueued(): Pending {
    const pending = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= 64 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return pending;
  }

  /** Tasks the pool refers to: queued, handed to a worker, or parsed and waiting for this thread (for tests and measurements). */
  get tasksHeld(): number {
    let held = this.queue.length + this.parses.length;
    for (const entry of this.workers) held += entry.pending.size;
    return held;
  }

  /** Hands queued tasks to workers with room for them. */
  private dispatch(): void {
    for (const entry of this.workers) {
      // A parse waiting for this thread counts against the worker's room: when this thread is the slower one,
      // parses (~24 bytes a node each) would otherwise pile up here without bound.
      while (entry.pending.size + this.parses.length < TASKS_PER_WORKER && this.head < this.queue.length) {
        const pending = this.takeQueued();
        const id = this.nextId++;
        entry.pending.set(id, pending);
        const { task } = pending;
        entry.worker.postMessage({ id, languageId: task.languageId, dialect: task.dialect, bytes: task.bytes, parseOnly: this.split });
      }
      if (entry.pending.size > 0) entry.worker.ref();
      else entry.worker.unref();
    }
    if (!this.helping && (this.parses.length > 0 || (this.help && this.head < this.queue.length))) {
      this.helping = true;
      setImmediate(this.extractHere);
    }
  }

  /**
   * Workers are asked to exit rather than terminated: terminating a thread
   * while the tree-sitter binding still has native objects to finalise
   * aborts the whole process (a Napi::Error thrown during teardown). Each
   * worker collects its garbage first and exits on its own; terminate is
   * only the fallback for one that does not.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(
        (entry) =>
          new Promise<void>((resolve) => {
            const fallback = setTimeout(() => void entry.worker.terminate().then(() => resolve()), 5000);
            entry.worker.once('exit', () => {
              clearTimeout(fallback);
              resolve();
            });
            entry.worker.postMessage({ close: true });
          }),
      ),
    );
  }
}
