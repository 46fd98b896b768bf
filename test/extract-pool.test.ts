/**
 * The extraction pool: a worker thread and this thread share the files,
 * and every file's facts are the ones extraction in this thread gives.
 */
import { describe, expect, it } from 'vitest';
import { extractNow, WorkerExtractor, type ExtractOutcome, type ExtractTask } from '../src/indexer/extract-pool.js';

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
    const tasks = Array.from({ length: 80 }, (_, i) => goFile(i));
    const pool = new WorkerExtractor(1, true);
    let outcomes: ExtractOutcome[];
    try {
      outcomes = await Promise.all(tasks.map((task) => pool.extract(task)));
    } finally {
      await pool.close();
    }
    // Both threads took files.
    const here = pool.extractedHere;
    expect(here).toBeGreaterThan(0);
    expect(here).toBeLessThan(tasks.length);
    outcomes.forEach((outcome, i) => {
      const expected = extractNow(tasks[i]!);
      expect(outcome.factsJson).toBe(expected.factsJson);
      expect(outcome.localAt).toEqual(expected.localAt);
      expect(outcome.diagnostics).toEqual(expected.diagnostics);
    });
    // The broken files' syntax errors came through whichever thread read them.
    expect(outcomes[5]!.diagnostics.some((d) => d.message.startsWith('syntax error'))).toBe(true);
  });

  it('turns an extractor that throws into an error diagnostic for its file, in this thread as in a worker', () => {
    // Bytes that are not bytes make the Go extractor throw before it parses anything.
    const outcome = extractNow({ languageId: 'go', dialect: 'go', bytes: undefined as unknown as Buffer });
    expect(outcome.factsJson).toBeUndefined();
    expect(outcome.diagnostics).toHaveLength(1);
    expect(outcome.diagnostics[0]).toMatchObject({ severity: 'error' });
    expect(outcome.diagnostics[0]!.message).toMatch(/^extractor bug: /);
  });
});
