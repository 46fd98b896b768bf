/**
 * The graphhub side of a measurement: index a directory through the real
 * pipeline into a throw-away hub, read its edges in the `export edges`
 * format, and answer the follow-up questions the report asks about misses
 * (what graphhub did at a site; whether a target with no resolved caller
 * at least shows possible unresolved callers).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHub, type Hub } from '../hub/hub.js';
import { indexRepository } from '../indexer/index-repository.js';
import { openDirectorySource } from '../indexer/source.js';
import type { ExternalRef, GraphInfo, SymbolRecord, UnresolvedCall } from '../model/graph.js';
import { exportedEnd, exportEdges, type ExportedEdge } from '../query/export-edges.js';
import { calleeKey, EXACT, siteKey, type End, type Matching, type OracleCall } from './oracle-records.js';

export interface TargetStatus {
  /** Callers graphhub resolved for the target. */
  callers: number;
  /** What the symbol page shows as "N possible callers unresolved". */
  possibleCallersUnresolved: number;
}

export class GraphhubSide {
  private readonly symbolsByFile = new Map<string, SymbolRecord[]>();
  private readonly recordsByCaller = new Map<string, { unresolved: UnresolvedCall[]; external: ExternalRef[] }>();

  private constructor(
    private readonly hub: Hub,
    private readonly dataDir: string,
    readonly graph: GraphInfo,
    readonly edges: ExportedEdge[],
  ) {}

  static async index(directory: string, repository: string): Promise<GraphhubSide> {
    const dataDir = mkdtempSync(join(tmpdir(), 'graphhub-accuracy-'));
    const hub = await openHub({ dataDir });
    try {
      const source = await openDirectorySource(directory);
      let graph: GraphInfo;
      try {
        ({ graph } = await indexRepository({ source, repository: { name: repository }, store: hub.store, cas: hub.cas }));
      } finally {
        source.close();
      }
      const edges: ExportedEdge[] = [];
      for await (const edge of exportEdges(hub.store, graph)) edges.push(edge);
      return new GraphhubSide(hub, dataDir, graph, edges);
    } catch (error) {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The graph's symbol for an exported end, if it has one. */
  async symbolAt(end: End, matching: Matching = EXACT): Promise<SymbolRecord | undefined> {
    let symbols = this.symbolsByFile.get(end.file);
    if (!symbols) {
      symbols = await this.hub.store.symbolsInFile(this.graph.id, end.file);
      this.symbolsByFile.set(end.file, symbols);
    }
    const key = calleeKey(end, matching);
    return symbols.find((symbol) => symbol.kind !== 'file' && calleeKey(exportedEnd(symbol), matching) === key);
  }

  /** What graphhub recorded at a call site it has no right edge for: an unresolved call, an external reference, or nothing. */
  async explainMiss(call: OracleCall, matching: Matching = EXACT): Promise<string> {
    const caller = matching.caller === 'exact' ? await this.symbolAt(call.caller) : await this.ownerOfSite(call.site);
    if (!caller) return 'no such caller symbol';
    let records = this.recordsByCaller.get(caller.id);
    if (!records) {
      records = {
        unresolved: await this.hub.store.unresolvedFrom(this.graph.id, caller.id),
        external: await this.hub.store.externalRefsFrom(this.graph.id, caller.id),
      };
      this.recordsByCaller.set(caller.id, records);
    }
    const key = siteKey(call.site);
    const unresolved = records.unresolved.find((item) => siteKey(item.site) === key);
    if (unresolved) return `unresolved: ${unresolved.reason}`;
    const external = records.external.find((item) => siteKey(item.site) === key);
    if (external) return `external: ${external.packagePath} ${external.symbol}`;
    const other = this.edges.find((edge) => edge.sites.some((site) => siteKey(site) === key));
    if (other) return `edge to another target: ${other.callee.name} (${other.callee.file}:${other.callee.line})`;
    return 'nothing recorded at the site';
  }

  /** The innermost symbol of the site's file whose range holds the site, or the file. */
  private async ownerOfSite(site: { file: string; line: number; col: number }): Promise<SymbolRecord | undefined> {
    let symbols = this.symbolsByFile.get(site.file);
    if (!symbols) {
      symbols = await this.hub.store.symbolsInFile(this.graph.id, site.file);
      this.symbolsByFile.set(site.file, symbols);
    }
    let best: SymbolRecord | undefined;
    for (const symbol of symbols) {
      const { startLine, endLine } = symbol.range;
      if (site.line < startLine || site.line > endLine) continue;
      if (!best || best.kind === 'file' || startLine > best.range.startLine || (startLine === best.range.startLine && endLine <= best.range.endLine)) best = symbol;
    }
    return best;
  }

  async targetStatus(end: End, matching: Matching = EXACT): Promise<TargetStatus | undefined> {
    const symbol = await this.symbolAt(end, matching);
    if (!symbol) return undefined;
    const callers = await this.hub.store.callers(this.graph.id, symbol.id);
    const possibleCallersUnresolved = await this.hub.store.countPossibleCallers(this.graph.id, symbol);
    return { callers: callers.length, possibleCallersUnresolved };
  }

  async close(): Promise<void> {
    await this.hub.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
