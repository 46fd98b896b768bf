/**
 * The confidence table (src/model/confidence.ts) says what the last full
 * accuracy run measured: every strategy the run judged enough edges of is a
 * `measured` row with exactly the recorded value, and no other row claims to
 * be measured. Fix a failure by running `npm run accuracy -- --update-table`
 * (which rewrites both) and reading the diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIDENCE, MIN_JUDGED_EDGES, tableConfidence, type RunRecord } from '../../src/accuracy/report.js';
import { STRATEGIES } from '../../src/model/confidence.js';

const RESULTS = fileURLToPath(new URL('../../accuracy/results/', import.meta.url));
const records: RunRecord[] = readdirSync(RESULTS)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(`${RESULTS}${name}`, 'utf8')) as RunRecord);

describe('confidence table and the recorded accuracy runs', () => {
  it('has a recorded full run for Go', () => {
    const go = records.find((record) => record.language === 'go');
    expect(go?.command).toBe('npm run accuracy');
    expect(go!.corpora.filter((corpus) => !corpus.skipped).length).toBeGreaterThanOrEqual(10);
  });

  for (const record of records) {
    it(`${record.language}: every measured strategy has the run's value, and only those are measured`, () => {
      const prefix = `${record.language}.`;
      for (const [strategy, row] of Object.entries(record.table)) {
        const info = STRATEGIES[strategy as keyof typeof STRATEGIES];
        expect(info, `${strategy} is in the run but not in the table`).toBeDefined();
        expect([strategy, info.source, info.confidence]).toEqual([strategy, 'measured', row.confidence]);
        // The recorded value is itself the rounded precision of the recorded counts.
        expect(row.confidence).toBe(tableConfidence(row.correct / row.judgedEdges));
        expect(row.judgedEdges).toBeGreaterThanOrEqual(MIN_JUDGED_EDGES);
        expect(row.confidence).toBeLessThanOrEqual(MAX_CONFIDENCE);
      }
      for (const [strategy, info] of Object.entries(STRATEGIES)) {
        if (!strategy.startsWith(prefix) || info.source !== 'measured') continue;
        expect(record.table[strategy], `${strategy} says measured but the run did not measure it`).toBeDefined();
      }
    });
  }
});
