/**
 * Collects a resolver's output — edges with their sites, external
 * references, unresolved calls — so that every language records them the
 * same way: one edge per caller→callee pair that keeps every site and the
 * strongest strategy seen.
 */
import { confidenceOf, type Strategy } from '../model/confidence.js';
import type { CallSite, EdgeRecord, ExternalRef, PossibleTarget, UnresolvedCall } from '../model/graph.js';
import { localFactReader, type CallBatch, type ResolveFile } from './language.js';

/** What one call resolved to (TypeScript's and Python's resolvers). */
export type CallTarget =
  | { k: 'symbols'; ids: string[]; strategy: Strategy }
  | { k: 'external'; module: string; packagePath: string; symbol: string; strategy: Strategy }
  | { k: 'ignore' }
  | { k: 'unresolved'; name: string; receiver?: string; reason: string; couldBe?: PossibleTarget };

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

  /** Records what a call resolved to; `keep` may leave out a callee (TypeScript: `new C()` in C's own constructor). */
  addTarget(caller: string, target: CallTarget, site: CallSite, keep?: (callee: string) => boolean): void {
    switch (target.k) {
      case 'symbols':
        for (const callee of target.ids) if (!keep || keep(callee)) this.addEdge(caller, callee, target.strategy, site);
        break;
      case 'external':
        this.addExternal(caller, target, target.strategy, site);
        break;
      case 'unresolved':
        this.addUnresolved(caller, target.name, target.receiver, target.reason, site, target.couldBe);
        break;
      case 'ignore':
        break;
    }
  }

  edgeList(): EdgeRecord[] {
    return [...this.edges.values()];
  }
}

/**
 * A resolver's calls, resolved one file at a time as the writer asks for
 * them (Resolution.callBatches): neither the repository's calls nor its
 * edges are ever all in memory. A caller is a declaration of its file (or
 * the file), so edges merge within the file and each file's batch is final.
 * A file's calls are a local fact: read back for it from `inputs` when the
 * index keeps them out of memory (ResolveFile.stored). `beforeFile`
 * lets go of the resolver's caches, which live for one file.
 */
export function* callBatchesByFile<Call extends { line: number; col: number }, File extends { path: string; facts: { calls: Call[] } }>(
  files: readonly File[],
  inputs: ReadonlyArray<ResolveFile<{ calls: Call[] }>>,
  beforeFile: () => void,
  resolve: (call: Call, file: File, graph: CallGraphBuilder, site: CallSite) => void,
): Generator<CallBatch> {
  const local = localFactReader(inputs);
  for (const file of files) {
    beforeFile();
    const calls = local(file, 'calls');
    const graph = new CallGraphBuilder();
    for (const call of calls) resolve(call, file, graph, { file: file.path, line: call.line, col: call.col });
    yield { edges: graph.edgeList(), unresolved: graph.unresolved, externalRefs: graph.externalRefs };
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
