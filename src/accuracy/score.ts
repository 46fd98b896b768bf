/**
 * Compares graphhub's edges of one repository with an oracle's calls.
 *
 * Units of judgement:
 * - an **edge** (caller → callee, what a page lists with one confidence) is
 *   correct when at least one of its call sites is, per the oracle, a call
 *   from that caller to that callee (or, for a call through an interface, to
 *   the interface method or any implementation of it);
 * - a **site** of an edge is judged the same way on its own;
 * - **recall** counts the oracle's calls whose target is declared in the
 *   repository (statically resolvable calls inside it) that graphhub has an
 *   edge for at that very site.
 *
 * Only code the oracle could check is scored: edges from files of units that
 * failed to type-check, were left out by the build (other platforms) or were
 * not parsed are set aside and counted. An edge to a declaration in a file the
 * build left out, of the same name in the same directory as the oracle's
 * target, is the same function for another platform and counts as correct.
 *
 * Callers: graphhub makes a `t.Run("name", func…)` subtest a caller of its
 * own (`TestX/name`); the oracle names the enclosing function. Both are the
 * same code, so a subtest caller matches its enclosing function. Edges of
 * strategies that follow reflection (testify's suite.Run) cannot be checked
 * by a type checker and are unverifiable.
 */
import { posix } from 'node:path';
import type { ExportedEdge } from '../query/export-edges.js';
import { calleeKey, EXACT, endKey, siteKey, type End, type Matching, type OracleCall, type OracleRun } from './oracle-records.js';

export type Verdict = 'correct' | 'wrong' | 'unverifiable';

/** Strategies whose targets are reached by reflection, which no type checker sees. */
const REFLECTIVE_STRATEGIES = new Set(['go.testify-suite']);

export interface EdgeJudgement {
  strategy: string;
  confidence: number;
  verdict: Verdict;
  /** For a wrong or unverifiable edge: what the oracle says instead. */
  reason: string;
  edge: ExportedEdge;
}

export interface SiteJudgement {
  strategy: string;
  confidence: number;
  verdict: Verdict;
}

/** What kind of target a statically resolvable call has. */
export type RecallKind = 'function' | 'method' | 'interface' | 'funcvalue';

export interface RecallItem {
  kind: RecallKind;
  found: boolean;
  call: OracleCall;
}

export interface CorpusScore {
  edges: EdgeJudgement[];
  sites: SiteJudgement[];
  recall: RecallItem[];
  /** Edges whose caller sits in code the oracle did not check. */
  setAside: number;
  /** Sites where the oracle saw no call expression at all: a naming or position disagreement worth a look. */
  unmatchedSites: number;
}

export function scoreCorpus(oracle: OracleRun, edges: ExportedEdge[]): CorpusScore {
  const scoredFiles = new Set<string>();
  const ignoredFiles = new Set<string>();
  for (const unit of oracle.units) {
    for (const file of unit.ignored ?? []) ignoredFiles.add(file);
    for (const file of unit.unparsable ?? []) ignoredFiles.add(file);
    if (unit.status === 'ok') for (const file of unit.files) scoredFiles.add(file);
  }
  const callsAt = new Map<string, OracleCall[]>();
  for (const call of oracle.calls) {
    const key = siteKey(call.site);
    const list = callsAt.get(key);
    if (list) list.push(call);
    else callsAt.set(key, [call]);
  }
  const matching = oracle.matching ?? EXACT;
  const accepts = (call: OracleCall, callee: End): boolean => acceptsCallee(call, callee, ignoredFiles, matching);
  const sameCaller = (graphhub: End, oracleCaller: End): boolean => matching.caller === 'site' || sameFunction(graphhub, oracleCaller);

  const score: CorpusScore = { edges: [], sites: [], recall: [], setAside: 0, unmatchedSites: 0 };
  const edgesAt = new Map<string, ExportedEdge[]>();
  for (const edge of edges) {
    if (!scoredFiles.has(edge.caller.file)) {
      score.setAside++;
      continue;
    }
    const siteVerdicts: Array<{ verdict: Verdict; reason: string }> = [];
    for (const site of edge.sites) {
      const key = siteKey(site);
      const list = edgesAt.get(key);
      if (list) list.push(edge);
      else edgesAt.set(key, [edge]);
      const judged = judgeSite(callsAt.get(key) ?? [], edge, accepts, sameCaller);
      if (judged.reason === 'no call expression at this site') score.unmatchedSites++;
      siteVerdicts.push(judged);
      score.sites.push({ strategy: edge.strategy, confidence: edge.confidence, verdict: judged.verdict });
    }
    const correct = siteVerdicts.find((site) => site.verdict === 'correct');
    const wrong = siteVerdicts.find((site) => site.verdict === 'wrong');
    const verdict: Verdict = correct ? 'correct' : wrong ? 'wrong' : 'unverifiable';
    const reason = correct ? '' : (wrong ?? siteVerdicts[0])?.reason ?? '';
    score.edges.push({ strategy: edge.strategy, confidence: edge.confidence, verdict, reason, edge });
  }

  for (const call of oracle.calls) {
    if (!call.callee || !scoredFiles.has(call.site.file)) continue;
    const kind = recallKind(call);
    if (!kind) continue;
    const found = (edgesAt.get(siteKey(call.site)) ?? []).some(
      (edge) => sameCaller(edge.caller, call.caller) && accepts(call, edge.callee),
    );
    score.recall.push({ kind, found, call });
  }
  return score;
}

function judgeSite(
  calls: OracleCall[],
  edge: ExportedEdge,
  accepts: (call: OracleCall, callee: End) => boolean,
  sameCaller: (graphhub: End, oracle: End) => boolean,
): { verdict: Verdict; reason: string } {
  if (REFLECTIVE_STRATEGIES.has(edge.strategy)) return { verdict: 'unverifiable', reason: 'reached by reflection' };
  if (calls.length === 0) return { verdict: 'wrong', reason: 'no call expression at this site' };
  const own = calls.filter((call) => sameCaller(edge.caller, call.caller));
  if (own.length === 0) {
    return { verdict: 'wrong', reason: `the call belongs to ${calls[0]!.caller.name}, not ${edge.caller.name}` };
  }
  if (own.some((call) => accepts(call, edge.callee))) return { verdict: 'correct', reason: '' };
  if (own.every((call) => call.kind === 'dynamic')) return { verdict: 'unverifiable', reason: 'dynamic call: no static target' };
  const call = own[0]!;
  const said = call.callee ? `${call.callee.name} (${call.callee.file}:${call.callee.line})` : call.external ? `external ${call.external}` : call.kind;
  return { verdict: 'wrong', reason: `${call.kind}: ${said}` };
}

/** The same caller, a graphhub subtest (`TestX/case`) being its enclosing test function (`TestX` or `Suite.TestX`). */
function sameFunction(graphhub: End, oracle: End): boolean {
  if (endKey(graphhub) === endKey(oracle)) return true;
  const slash = graphhub.name.indexOf('/');
  if (slash < 0 || graphhub.file !== oracle.file || oracle.line > graphhub.line) return false;
  const test = graphhub.name.slice(0, slash);
  return oracle.name === test || oracle.name.endsWith(`.${test}`);
}

function acceptsCallee(call: OracleCall, callee: End, ignoredFiles: Set<string>, matching: Matching): boolean {
  const targets = call.callee ? [call.callee, ...(call.alternatives ?? [])] : (call.alternatives ?? []);
  const key = calleeKey(callee, matching);
  if (targets.some((target) => calleeKey(target, matching) === key)) return true;
  // The same function declared again for another platform or build tag.
  if (!ignoredFiles.has(callee.file)) return false;
  const directory = posix.dirname(callee.file);
  return targets.some((target) => target.name === callee.name && posix.dirname(target.file) === directory);
}

function recallKind(call: OracleCall): RecallKind | undefined {
  switch (call.kind) {
    case 'static':
      return call.callee!.name.includes('.') ? 'method' : 'function';
    case 'interface':
      return 'interface';
    case 'funcvalue':
      return 'funcvalue';
    default:
      return undefined;
  }
}
