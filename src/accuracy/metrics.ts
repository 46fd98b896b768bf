/**
 * Figures from judged edges, sites and recall items: precision, recall, F1,
 * per-strategy precision, the reliability table (confidence bucket →
 * observed precision) and the expected calibration error (ECE).
 *
 * Unverifiable edges (dynamic calls the oracle cannot name a target for) are
 * counted but left out of every precision.
 */
import type { EdgeJudgement, RecallItem, RecallKind, SiteJudgement } from './score.js';

export interface Ratio {
  hits: number;
  total: number;
  /** hits / total, or null when there is nothing to divide. */
  value: number | null;
}

export interface StrategyFigures {
  edges: number;
  correct: number;
  wrong: number;
  unverifiable: number;
  /** Observed precision of the strategy's edges. */
  precision: number | null;
  /** Wilson 95% interval of that precision. */
  interval: [number, number] | null;
  /** Confidence the table gave the strategy's edges during the run. */
  confidence: number;
  sitePrecision: number | null;
}

export interface ReliabilityBucket {
  from: number;
  to: number;
  edges: number;
  meanConfidence: number | null;
  precision: number | null;
}

export interface Figures {
  edges: number;
  unverifiable: number;
  edgePrecision: Ratio;
  /** Precision over edges shown at confidence ≥ 0.8. */
  edgePrecisionHigh: Ratio;
  sitePrecision: Ratio;
  recall: Ratio;
  f1: number | null;
  recallByKind: Record<RecallKind, Ratio>;
  strategies: Record<string, StrategyFigures>;
  reliability: ReliabilityBucket[];
  ece: number | null;
}

export const HIGH_CONFIDENCE = 0.8;
const BUCKETS = 10;

export function ratio(hits: number, total: number): Ratio {
  return { hits, total, value: total === 0 ? null : round(hits / total, 4) };
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Wilson score interval at 95%: how far the observed precision can be trusted with this many edges. */
export function wilson(hits: number, total: number): [number, number] | null {
  if (total === 0) return null;
  const z = 1.96;
  const p = hits / total;
  const denominator = 1 + (z * z) / total;
  const centre = p + (z * z) / (2 * total);
  const spread = z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total));
  return [round((centre - spread) / denominator, 4), round((centre + spread) / denominator, 4)];
}

export function computeFigures(edges: EdgeJudgement[], sites: SiteJudgement[], recall: RecallItem[]): Figures {
  const judged = edges.filter((edge) => edge.verdict !== 'unverifiable');
  const correct = (list: Array<{ verdict: string }>): number => list.filter((item) => item.verdict === 'correct').length;
  const high = judged.filter((edge) => edge.confidence >= HIGH_CONFIDENCE);
  const judgedSites = sites.filter((site) => site.verdict !== 'unverifiable');
  const edgePrecision = ratio(correct(judged), judged.length);
  const sitePrecision = ratio(correct(judgedSites), judgedSites.length);
  const recallRatio = ratio(recall.filter((item) => item.found).length, recall.length);
  const f1 =
    sitePrecision.value !== null && recallRatio.value !== null && sitePrecision.value + recallRatio.value > 0
      ? round((2 * sitePrecision.value * recallRatio.value) / (sitePrecision.value + recallRatio.value), 4)
      : null;

  const recallByKind = {} as Record<RecallKind, Ratio>;
  for (const kind of ['function', 'method', 'interface', 'funcvalue'] as const) {
    const items = recall.filter((item) => item.kind === kind);
    recallByKind[kind] = ratio(items.filter((item) => item.found).length, items.length);
  }

  const strategies: Record<string, StrategyFigures> = {};
  for (const name of [...new Set(edges.map((edge) => edge.strategy))].sort()) {
    const all = edges.filter((edge) => edge.strategy === name);
    const own = all.filter((edge) => edge.verdict !== 'unverifiable');
    const ownSites = judgedSites.filter((site) => site.strategy === name);
    const hits = correct(own);
    strategies[name] = {
      edges: all.length,
      correct: hits,
      wrong: own.length - hits,
      unverifiable: all.length - own.length,
      precision: ratio(hits, own.length).value,
      interval: wilson(hits, own.length),
      confidence: all[0]!.confidence,
      sitePrecision: ratio(correct(ownSites), ownSites.length).value,
    };
  }

  const reliability: ReliabilityBucket[] = [];
  let calibrationGap = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const from = bucket / BUCKETS;
    const to = (bucket + 1) / BUCKETS;
    const inside = judged.filter((edge) => bucketOf(edge.confidence) === bucket);
    const meanConfidence = inside.length === 0 ? null : inside.reduce((sum, edge) => sum + edge.confidence, 0) / inside.length;
    const precision = inside.length === 0 ? null : correct(inside) / inside.length;
    if (meanConfidence !== null && precision !== null) calibrationGap += (inside.length / judged.length) * Math.abs(precision - meanConfidence);
    reliability.push({
      from,
      to,
      edges: inside.length,
      meanConfidence: meanConfidence === null ? null : round(meanConfidence, 4),
      precision: precision === null ? null : round(precision, 4),
    });
  }

  return {
    edges: edges.length,
    unverifiable: edges.length - judged.length,
    edgePrecision,
    edgePrecisionHigh: ratio(correct(high), high.length),
    sitePrecision,
    recall: recallRatio,
    f1,
    recallByKind,
    strategies,
    reliability,
    ece: judged.length === 0 ? null : round(calibrationGap, 4),
  };
}

/** Buckets are [0.0, 0.1), …, [0.9, 1.0]; confidence 1.0 falls in the last. */
function bucketOf(confidence: number): number {
  return Math.min(BUCKETS - 1, Math.floor(confidence * BUCKETS + 1e-9));
}
