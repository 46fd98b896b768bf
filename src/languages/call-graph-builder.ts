/**
 * Collects a resolver's output — edges with their sites, external
 * references, unresolved calls — so that every language records them the
 * same way: one edge per caller→callee pair that keeps every site and the
 * strongest strategy seen.
 */
import { confidenceOf, type Strategy } from '../model/confidence.js';
import type { CallSite, EdgeRecord, ExternalRef, PossibleTarget, UnresolvedCall } from '../model/graph.js';

export class CallGraphBuilder {
  private readonly edges = new Map<string, EdgeRecord>();
  readonly externalRefs: ExternalRef[] = [];
  readonly unresolved: UnresolvedCall[] = [];

  addEdge(caller: string, callee: string, strategy: Strategy, site: CallSite): void {
    const key = `${caller}\u0000${callee}`;
    const existing = this.edges.get(key);
    const confidence = confidenceOf(strategy);
    if (!existing) {
      this.edges.set(key, { caller, callee, strategy, confidence, sites: [site] });
      return;
    }
    if (!existing.sites.some((known) => known.line === site.line && known.col === site.col && known.file === site.file)) {
      existing.sites.push(site);
    }
    // Several sites may resolve by different strategies; the edge keeps the best evidence.
    if (confidence > existing.confidence) {
      existing.strategy = strategy;
      existing.confidence = confidence;
    }
  }

  addExternal(caller: string, target: { module: string; packagePath: string; symbol: string }, strategy: Strategy, site: CallSite): void {
    this.externalRefs.push({ caller, ...target, strategy, confidence: confidenceOf(strategy), site });
  }

  /** `couldBe`: which symbols of that name the call could reach (see UnresolvedCall); none when it is known to go elsewhere. */
  addUnresolved(caller: string, name: string, receiver: string | undefined, reason: string, site: CallSite, couldBe?: PossibleTarget): void {
    const call: UnresolvedCall = { caller, name, reason, site };
    if (receiver !== undefined) call.receiver = receiver;
    if (couldBe) call.couldBe = couldBe;
    this.unresolved.push(call);
  }

  edgeList(): EdgeRecord[] {
    return [...this.edges.values()];
  }
}

/**
 * Symbol descriptors must be unique per file: the second and later
 * definitions of one qualified name get `~2`, `~3`… (symbol-id.ts, rule 2).
 */
export class DescriptorCounter {
  private readonly seen = new Map<string, number>();

  next(qualifiedName: string): string {
    const count = (this.seen.get(qualifiedName) ?? 0) + 1;
    this.seen.set(qualifiedName, count);
    return count === 1 ? qualifiedName : `${qualifiedName}~${count}`;
  }
}
