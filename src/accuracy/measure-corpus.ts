/**
 * One corpus, measured: materialize it, run the oracle, index it with
 * graphhub, score, and look closer at what was missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { materialize, type Corpus, type Materialized } from './corpora.js';
import { runGoOracle } from './go-oracle.js';
import { GraphhubSide } from './graphhub-side.js';
import { calleeKey, EXACT, type End, type Matching, type OracleCall, type OracleRun, type OracleUnit } from './oracle-records.js';
import { runPyOracle } from './py-oracle.js';
import { runTsOracle } from './ts-oracle.js';
import { scoreCorpus, type CorpusScore } from './score.js';

export interface CorpusResult {
  corpus: Corpus;
  /** Debian version, commit or "working tree". */
  version: string;
  /** Why the corpus was not measured, when it was not. */
  skipped?: string;
  units: {
    ok: number;
    error: number;
    leftOut: Array<{ dir: string; test: boolean; error: string }>;
    /** Units checked without their test files, which this Go could not type-check. */
    testsLeftOut: Array<{ dir: string; files: number; error: string }>;
  };
  score: CorpusScore;
  /** Calls the oracle resolves inside the repository that graphhub has no right edge for, with what graphhub did instead. */
  misses: Array<{ call: OracleCall; why: string }>;
  /**
   * Targets the oracle sees called from checked code that graphhub shows
   * with no caller at all; `silent` of them also show no possible unresolved
   * caller: the silent zeros the product promises never to show.
   */
  zeroCallers: { targets: number; silent: number; examples: End[] };
  seconds: { oracle: number; graphhub: number };
}

export interface MeasureOptions {
  /** The compiled Go oracle, for Go corpora. */
  oracleBinary?: string;
}

export async function measureCorpus(corpus: Corpus, options: MeasureOptions): Promise<CorpusResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'graphhub-corpus-'));
  const empty: CorpusScore = { edges: [], sites: [], recall: [], setAside: 0, unmatchedSites: 0 };
  try {
    const place = materialize(corpus, workDir);
    const base = { corpus, version: place.version, misses: [], zeroCallers: { targets: 0, silent: 0, examples: [] } };
    if (place.missing) {
      return { ...base, skipped: place.missing, units: { ok: 0, error: 0, leftOut: [], testsLeftOut: [] }, score: empty, seconds: { oracle: 0, graphhub: 0 } };
    }
    let started = performance.now();
    const oracle = runOracle(corpus, place, options);
    const oracleSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const graphhub = await GraphhubSide.index(place.root, corpus.name);
    const graphhubSeconds = (performance.now() - started) / 1000;
    try {
      const score = scoreCorpus(oracle, graphhub.edges);
      const misses: CorpusResult['misses'] = [];
      for (const item of score.recall) {
        if (!item.found) misses.push({ call: item.call, why: await graphhub.explainMiss(item.call, oracle.matching) });
      }
      return {
        ...base,
        units: summarizeUnits(oracle.units),
        score,
        misses,
        zeroCallers: await zeroCallers(score, graphhub, oracle.matching ?? EXACT),
        seconds: { oracle: round2(oracleSeconds), graphhub: round2(graphhubSeconds) },
      };
    } finally {
      await graphhub.close();
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function runOracle(corpus: Corpus, place: Materialized, options: MeasureOptions): OracleRun {
  switch (corpus.language) {
    case 'go':
      if (!options.oracleBinary) throw new Error('the Go oracle was not built');
      return runGoOracle(options.oracleBinary, place);
    case 'ts':
      return { ...runTsOracle(place.root), matching: { caller: 'site', callee: 'loose' } };
    case 'python':
      return runPyOracle(place.root);
  }
}

function summarizeUnits(units: OracleUnit[]): CorpusResult['units'] {
  const own = units.filter((unit) => !unit.vendor);
  const leftOut = own
    .filter((unit) => unit.status === 'error')
    .map((unit) => ({ dir: unit.dir, test: unit.test, error: shortError((unit.errors ?? ['unknown error'])[0]!) }));
  const testsLeftOut = own
    .filter((unit) => (unit.testsLeftOut ?? []).length > 0)
    .map((unit) => ({ dir: unit.dir, files: unit.testsLeftOut!.length, error: shortError(unit.testsReason ?? '') }));
  return { ok: own.length - leftOut.length, error: leftOut.length, leftOut, testsLeftOut };
}

async function zeroCallers(score: CorpusScore, graphhub: GraphhubSide, matching: Matching): Promise<CorpusResult['zeroCallers']> {
  const found = new Set<string>();
  const targets = new Map<string, End>();
  for (const item of score.recall) {
    const key = calleeKey(item.call.callee!, matching);
    targets.set(key, item.call.callee!);
    if (item.found) found.add(key);
  }
  const result: CorpusResult['zeroCallers'] = { targets: 0, silent: 0, examples: [] };
  for (const [key, target] of targets) {
    if (found.has(key)) continue;
    const status = await graphhub.targetStatus(target, matching);
    if (!status || status.callers > 0) continue;
    result.targets++;
    if (status.possibleCallersUnresolved === 0) {
      result.silent++;
      if (result.examples.length < 10) result.examples.push(target);
    }
  }
  return result;
}

/** The first line of a type checker's message, without the temporary GOPATH in front of file names. */
function shortError(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/\/\S*?\/src\//g, '').slice(0, 240);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
