/**
 * The extraction pool: a worker thread and this thread share the files,
 * and every file's facts are the ones extraction in this thread gives.
 */
import { describe, expect, it } from 'vitest';
import { exportNow, extractNow, WorkerExtractor, type ExtractOutcome, type ExtractTask } from '../src/indexer/extract-pool.js';
import { nativeTreeExport } from '../src/languages/native-tree.js';

function goFile(i: number): ExtractTask {
  const text = [
    `package p${i % 7}`,
    '',
    'import "fmt"',
    '',
    `// T${i} is a type.`,
    `type T${i} struct{ n int }`,
    '',
    `func (t *T${i}) Run(n int) int { fmt.Println(n); return helper${i}(n) + t.n }`,
    '',
    `func helper${i}(n int) int { return n * ${i} }`,
    '',
    i % 5 === 0 ? 'func broken( {' : `const C${i} = ${i}`,
    '',
  ].join('\n');
  return { languageId: 'go', dialect: 'go', bytes: Buffer.from(text) };
}

describe('extraction pool', () => {
  it('extracts in a worker and in this thread alike, each file once, in any mix', async () => {
    const tasks = Array.from({ length: 300 }, (_, i) => goFile(i));
    const pool = new WorkerExtractor(1, true);
    let outcomes: ExtractOutcome[];
    // This thread kept busy besides (as reading, hashing and storing keep it in an index): it falls behind the worker.
    const busy = setInterval(() => {
      const until = performance.now() + 3;
      while (performance.now() < until);
    }, 1);
    try {
      outcomes = await Promise.all(tasks.map((task) => pool.extract(task)));
    } finally {
      clearInterval(busy);
      await pool.close();
    }
    // Both threads took files: with one worker, it parses and this thread extracts from its parses, and parses the
    // files the worker has no room for itself.
    const here = pool.extractedHere;
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(tasks.length);
    if (nativeTreeExport) {
      expect(pool.extractedFromParses).toBe(tasks.length - here);
      // Parses waiting for this thread never outnumber the worker's room for tasks (16), however far behind this thread is.
      expect(pool.mostParsesWaiting).toBeGreaterThan(0);
      expect(pool.mostParsesWaiting).toBeLessThanOrEqual(16);
    }
    outcomes.forEach((outcome, i) => {
      const expected = extractNow(tasks[i]!);
      expect(outcome.factsJson).toBe(expected.factsJson);
      expect(outcome.localAt).toEqual(expected.localAt);
      expect(outcome.diagnostics).toEqual(expected.diagnostics);
    });
    // The broken files' syntax errors came through whichever thread read them.
    expect(outcomes[5]!.diagnostics.some((d) => d.message.startsWith('syntax error'))).toBe(true);
  });

  it('lets go of the tasks it has finished while more keep coming (memory stays what is in flight)', async () => {
    // As an index feeds it: a window of tasks in flight, the oldest waited for as new ones are added, so the
    // queue is never empty. Finished tasks' slots held their bytes and outcomes for the whole index before.
    const window = 64;
    const total = 900;
    const pool = new WorkerExtractor(1, true);
    const inFlight: Array<Promise<ExtractOutcome>> = [];
    let mostHeld = 0;
    let done = 0;
    try {
      for (let i = 0; i < total; i++) {
        inFlight.push(pool.extract(goFile(i)));
        mostHeld = Math.max(mostHeld, pool.tasksHeld);
        if (inFlight.length >= window) {
          for (const outcome of await Promise.all(inFlight.splice(0, window / 2))) if (outcome.factsJson) done++;
        }
      }
      for (const outcome of await Promise.all(inFlight)) if (outcome.factsJson) done++;
    } finally {
      await pool.close();
    }
    expect(done).toBe(total);
    // Queued, taken slots not yet dropped (at most as many as queued, or 64), handed over, parsed and waiting.
    expect(mostHeld).toBeLessThanOrEqual(3 * window + 64);
    expect(pool.tasksHeld).toBe(0);
  });

  it('turns an extractor that throws into an error diagnostic for its file, in this thread as in a worker', () => {
    // Bytes that are not bytes make the Go extractor throw before it parses anything.
    const outcome = extractNow({ languageId: 'go', dialect: 'go', bytes: undefined as unknown as Buffer });
    expect(outcome.factsJson).toBeUndefined();
    expect(outcome.diagnostics).toHaveLength(1);
    expect(outcome.diagnostics[0]).toMatchObject({ severity: 'error' });
    expect(outcome.diagnostics[0]!.message).toMatch(/^extractor bug: /);
  });

  it('gives the same facts from a parse made elsewhere as from its own, in every language, broken files included', () => {
    const tasks: ExtractTask[] = [
      goFile(3),
      goFile(5), // a syntax error
      { languageId: 'ts', dialect: 'ts', bytes: Buffer.from('import { a } from "./a";\nexport function f(x: number) { return a(x) + "\\n".length; }\nclass C { m() { f(1); } }\n') },
      { languageId: 'ts', dialect: 'tsx', bytes: Buffer.from('export const V = () => <div onClick={() => go("x")}>{"plain"}</div>;\nfunction (\n') },
      { languageId: 'py', dialect: 'py', bytes: Buffer.from('import os\n\nclass A:\n    def m(self):\n        return os.path.join("a", "b\\n")\n\ndef broken(:\n') },
    ];
    for (const task of tasks) {
      const parsed = exportNow(task);
      // Without the native export there is no parse to hand over: the extractor parses for itself.
      expect(parsed === undefined).toBe(!nativeTreeExport);
      const own = extractNow(task);
      expect(own.factsJson).toBeDefined();
      const elsewhere = extractNow(task, parsed);
      expect(elsewhere.factsJson).toBe(own.factsJson);
      expect(elsewhere.localAt).toEqual(own.localAt);
      expect(elsewhere.diagnostics).toEqual(own.diagnostics);
    }
    // The parse made elsewhere is what the extractor reads: another file's of the same size, passed off as this one's, shows.
    const go = (text: string): ExtractTask => ({ languageId: 'go', dialect: 'go', bytes: Buffer.from(text) });
    const [func, variable] = [go('package p\nfunc A() {}\n'), go('package p\nvar A = 123\n')];
    expect(func.bytes.length).toBe(variable.bytes.length);
    if (nativeTreeExport) expect(extractNow(func, exportNow(variable)).factsJson).not.toBe(extractNow(func).factsJson);
    // A parse of another language's file is not taken for this one: the extractor parses its own.
    const python = tasks[4]!;
    expect(extractNow(python, exportNow(tasks[0]!)).factsJson).toBe(extractNow(python).factsJson);
    // A parser failure made elsewhere is the file's diagnostic, as it would be here.
    const failed = extractNow(tasks[0]!, { languageId: 'go', dialect: 'go', bytes: tasks[0]!.bytes.length, outcome: { error: 'out of memory' } });
    expect(failed.factsJson).toBeUndefined();
    expect(failed.diagnostics).toEqual([{ severity: 'error', message: 'parser failed: out of memory' }]);
  });
});

