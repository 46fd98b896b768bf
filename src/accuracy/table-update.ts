/**
 * Rewrites the rows of src/model/confidence.ts that a run record speaks to:
 * each strategy the run judged enough edges of gets the observed precision as
 * its confidence, `source: 'measured'`, and a comment with the figures and
 * where they come from; a strategy with too few judged edges keeps its value
 * and gets a comment saying what was observed. Rows are plain object
 * literals, one per strategy, so a row is found by its quoted key and
 * rewritten in place (idempotently: earlier comments are replaced).
 */
import { MIN_JUDGED_EDGES, type RunRecord } from './report.js';

export function updateConfidenceTable(source: string, record: RunRecord): string {
  let text = source;
  const where = `${record.language} corpora of ${record.date} (accuracy/results/${record.language}.json)`;
  for (const [strategy, figures] of Object.entries(record.figures.strategies)) {
    const start = text.indexOf(`  '${strategy}': {\n`);
    if (start < 0) throw new Error(`confidence.ts has no row for ${strategy}`);
    const end = text.indexOf('\n  },', start);
    const block = text.slice(start, end);
    const field = (name: string): string => {
      const value = new RegExp(`^    ${name}: (.+),$`, 'm').exec(block)?.[1];
      if (value === undefined) throw new Error(`row ${strategy} has no ${name}`);
      return value;
    };
    const measured = record.table[strategy];
    const judged = figures.correct + figures.wrong;
    const comment = measured
      ? `    // measured: ${measured.correct}/${measured.judgedEdges} edges correct, ${where}`
      : judged > 0
        ? `    // observed ${figures.correct}/${judged} edges correct, ${where}: too few (< ${MIN_JUDGED_EDGES}) to measure`
        : `    // no edge of it could be checked, ${where}: ${figures.unverifiable} unverifiable`;
    const rewritten = [
      `  '${strategy}': {`,
      comment,
      `    confidence: ${measured ? measured.confidence : field('confidence')},`,
      `    description: ${field('description')},`,
      `    source: ${measured ? "'measured'" : field('source')},`,
    ].join('\n');
    text = text.slice(0, start) + rewritten + text.slice(end);
  }
  return text;
}
