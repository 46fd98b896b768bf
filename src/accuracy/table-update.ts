/**
 * Rewrites the measured rows of src/model/confidence.ts from a run record:
 * each strategy the run judged enough edges of gets the observed precision as
 * its confidence, `source: 'measured'`, and a comment with the figures and
 * where they come from. Rows are plain object literals, one per strategy, so
 * a row is found by its quoted key and rewritten in place.
 */
import type { RunRecord } from './report.js';

export function updateConfidenceTable(source: string, record: RunRecord): string {
  let text = source;
  for (const [strategy, row] of Object.entries(record.table)) {
    const start = text.indexOf(`  '${strategy}': {\n`);
    if (start < 0) throw new Error(`confidence.ts has no row for ${strategy}`);
    const end = text.indexOf('\n  },', start);
    const block = text.slice(start, end);
    const description = /description: ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),/.exec(block)?.[1];
    if (!description) throw new Error(`row ${strategy} has no description`);
    const rewritten = [
      `  '${strategy}': {`,
      `    // measured: ${row.correct}/${row.judgedEdges} edges correct, ${record.language} corpora of ${record.date} (accuracy/results/${record.language}.json)`,
      `    confidence: ${row.confidence},`,
      `    description: ${description},`,
      `    source: 'measured',`,
    ].join('\n');
    text = text.slice(0, start) + rewritten + text.slice(end);
  }
  return text;
}
