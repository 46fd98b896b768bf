/**
 * The record of a run (written to accuracy/results/<language>.json and
 * committed) and its rendering for people.
 */
import { computeFigures, round, type Figures } from './metrics.js';
import type { CorpusResult } from './measure-corpus.js';

/** A strategy's confidence is measured once this many of its edges were judged; below that the row stays provisional. */
export const MIN_JUDGED_EDGES = 30;
/** No strategy is ever certain: the corpus is finite. */
export const MAX_CONFIDENCE = 0.99;

export interface CorpusRecord {
  name: string;
  origin: string;
  version: string;
  skipped?: string;
  units: CorpusResult['units'];
  edges: number;
  setAside: number;
  unmatchedSites: number;
  edgePrecision: number | null;
  edgePrecisionHigh: number | null;
  recall: number | null;
  f1: number | null;
  ece: number | null;
  zeroCallers: { targets: number; silent: number };
  seconds: CorpusResult['seconds'];
}

export interface TableRow {
  confidence: number;
  judgedEdges: number;
  correct: number;
}

export interface RunRecord {
  language: string;
  command: string;
  date: string;
  oracle: string;
  corpora: CorpusRecord[];
  figures: Figures;
  silentZeros: { targets: number; silent: number };
  /** What src/model/confidence.ts must say for each measured strategy. */
  table: Record<string, TableRow>;
}

export function buildRecord(language: string, command: string, oracle: string, results: CorpusResult[]): RunRecord {
  const measured = results.filter((result) => !result.skipped);
  const figures = computeFigures(
    measured.flatMap((result) => result.score.edges),
    measured.flatMap((result) => result.score.sites),
    measured.flatMap((result) => result.score.recall),
  );
  const table: Record<string, TableRow> = {};
  for (const [strategy, row] of Object.entries(figures.strategies)) {
    const judged = row.correct + row.wrong;
    if (judged < MIN_JUDGED_EDGES || row.precision === null) continue;
    table[strategy] = { confidence: tableConfidence(row.precision), judgedEdges: judged, correct: row.correct };
  }
  return {
    language,
    command,
    date: new Date().toISOString().slice(0, 10),
    oracle,
    corpora: results.map(corpusRecord),
    figures,
    silentZeros: {
      targets: measured.reduce((sum, result) => sum + result.zeroCallers.targets, 0),
      silent: measured.reduce((sum, result) => sum + result.zeroCallers.silent, 0),
    },
    table,
  };
}

/** The value the table takes from an observed precision: rounded to two places, never above MAX_CONFIDENCE. */
export function tableConfidence(precision: number): number {
  return Math.min(MAX_CONFIDENCE, round(precision, 2));
}

function corpusRecord(result: CorpusResult): CorpusRecord {
  const figures = computeFigures(result.score.edges, result.score.sites, result.score.recall);
  const origin = result.corpus.origin;
  const record: CorpusRecord = {
    name: result.corpus.name,
    origin: origin.kind === 'debian' ? `debian ${origin.package}` : origin.kind === 'git' ? `git ${origin.commit}` : 'fixture',
    version: result.version,
    units: result.units,
    edges: figures.edges,
    setAside: result.score.setAside,
    unmatchedSites: result.score.unmatchedSites,
    edgePrecision: figures.edgePrecision.value,
    edgePrecisionHigh: figures.edgePrecisionHigh.value,
    recall: figures.recall.value,
    f1: figures.f1,
    ece: figures.ece,
    zeroCallers: { targets: result.zeroCallers.targets, silent: result.zeroCallers.silent },
    seconds: result.seconds,
  };
  if (result.skipped) record.skipped = result.skipped;
  return record;
}

const pct = (value: number | null): string => (value === null ? '   —  ' : `${(value * 100).toFixed(1).padStart(5)}%`);
const num = (value: number | null, digits = 2): string => (value === null ? '—' : value.toFixed(digits));

export function renderRecord(record: RunRecord, results: CorpusResult[]): string {
  const lines: string[] = [];
  const f = record.figures;
  lines.push(`accuracy: ${record.language}  (${record.oracle})`);
  lines.push('');
  lines.push('corpus                                   version                     units ok/err  edges  set-aside  P(edge)  P(≥0.8)  recall     F1    ECE   0-callers silent');
  for (const corpus of record.corpora) {
    if (corpus.skipped) {
      lines.push(`${corpus.name.padEnd(40)} skipped: ${corpus.skipped}`);
      continue;
    }
    lines.push(
      [
        corpus.name.padEnd(40),
        corpus.version.slice(0, 26).padEnd(26),
        `${corpus.units.ok}/${corpus.units.error}`.padStart(13),
        String(corpus.edges).padStart(6),
        String(corpus.setAside).padStart(10),
        pct(corpus.edgePrecision).padStart(8),
        pct(corpus.edgePrecisionHigh).padStart(8),
        pct(corpus.recall).padStart(7),
        pct(corpus.f1).padStart(7),
        num(corpus.ece, 3).padStart(6),
        String(corpus.zeroCallers.targets).padStart(11),
        String(corpus.zeroCallers.silent).padStart(6),
      ].join(' '),
    );
  }
  lines.push('');
  lines.push(`all corpora: ${f.edges} edges (${f.unverifiable} unverifiable), edge precision ${pct(f.edgePrecision.value)} (${f.edgePrecision.hits}/${f.edgePrecision.total}),`);
  lines.push(`  precision at confidence ≥ 0.8 ${pct(f.edgePrecisionHigh.value)} (${f.edgePrecisionHigh.hits}/${f.edgePrecisionHigh.total}), site precision ${pct(f.sitePrecision.value)},`);
  lines.push(`  recall ${pct(f.recall.value)} (${f.recall.hits}/${f.recall.total} statically resolvable calls), F1 ${num(f.f1, 3)}, ECE ${num(f.ece, 4)}`);
  lines.push(`  recall by target: ${Object.entries(f.recallByKind).map(([kind, r]) => `${kind} ${pct(r.value).trim()} (${r.hits}/${r.total})`).join(', ')}`);
  lines.push(`  targets with no resolved caller: ${record.silentZeros.targets}, of them silent (no possible unresolved caller either): ${record.silentZeros.silent}`);
  lines.push('');
  lines.push('strategy                 edges  correct  wrong  unverif.  precision  95% interval    table  site P');
  for (const [name, row] of Object.entries(f.strategies)) {
    lines.push(
      [
        name.padEnd(24),
        String(row.edges).padStart(5),
        String(row.correct).padStart(8),
        String(row.wrong).padStart(6),
        String(row.unverifiable).padStart(9),
        pct(row.precision).padStart(10),
        (row.interval ? `${num(row.interval[0], 3)}–${num(row.interval[1], 3)}` : '—').padStart(14),
        num(row.confidence).padStart(8),
        pct(row.sitePrecision).padStart(7),
      ].join(' '),
    );
  }
  lines.push('');
  lines.push('reliability   edges  mean confidence  observed precision');
  for (const bucket of f.reliability) {
    if (bucket.edges === 0) continue;
    lines.push(`${bucket.from.toFixed(1)}–${bucket.to.toFixed(1)}   ${String(bucket.edges).padStart(7)}  ${num(bucket.meanConfidence, 3).padStart(15)}  ${pct(bucket.precision).padStart(18)}`);
  }
  lines.push('');
  lines.push('largest losses');
  for (const [reason, count] of topReasons(results)) lines.push(`  ${String(count).padStart(6)}  ${reason}`);
  const leftOut = record.corpora.flatMap((corpus) => corpus.units.leftOut.map((unit) => `${corpus.name}/${unit.dir}${unit.test ? ' (xtest)' : ''}: ${unit.error}`));
  if (leftOut.length > 0) {
    lines.push('');
    lines.push(`packages the oracle could not type-check (left out): ${leftOut.length}`);
    for (const line of leftOut.slice(0, 40)) lines.push(`  ${line.slice(0, 200)}`);
    if (leftOut.length > 40) lines.push(`  and ${leftOut.length - 40} more`);
  }
  const partial = record.corpora.flatMap((corpus) => corpus.units.testsLeftOut.map((unit) => `${corpus.name}/${unit.dir}: ${unit.files} test files (${unit.error})`));
  if (partial.length > 0) {
    lines.push('');
    lines.push(`packages checked without their in-package tests, which the oracle could not type-check: ${partial.length}`);
    for (const line of partial.slice(0, 20)) lines.push(`  ${line.slice(0, 200)}`);
    if (partial.length > 20) lines.push(`  and ${partial.length - 20} more`);
  }
  return lines.join('\n');
}

/** Misses by graphhub's reason and wrong edges by strategy and the oracle's kind, most frequent first. */
export function topReasons(results: CorpusResult[], limit = 25): Array<[string, number]> {
  const counts = new Map<string, number>();
  const add = (key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const result of results) {
    for (const miss of result.misses) add(`missed ${miss.call.kind} call: ${miss.why.replace(/\d+ methods named \S+/, 'N methods named X').replace(/ [\w./-]+$/, '')}`);
    for (const edge of result.score.edges) {
      if (edge.verdict === 'wrong') add(`wrong ${edge.strategy} edge: oracle says ${edge.reason.split(':')[0]}`);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
}
