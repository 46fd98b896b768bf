/**
 * The MCP tools, defined once for both transports (stdio and Streamable
 * HTTP): name, description, input and output schemas, and the query that
 * answers. Every tool is read-only, and every answer names the repository
 * and commit it was computed from.
 */
import { z } from 'zod';
import type { Hub } from '../hub/hub.js';
import { GraphhubError } from '../model/errors.js';
import { SYMBOL_KINDS, type GraphInfo, type SymbolKind } from '../model/graph.js';
import { callersOf, calleesOf, pageOf } from '../query/edges.js';
import { findGraph } from '../query/find-symbol.js';
import { impactOf, MAX_IMPACT_DEPTH } from '../query/impact.js';
import { resolveSymbol } from '../query/resolve-symbol.js';
import { searchSymbols } from '../query/search.js';
import { MAX_EXCERPT_LINES } from '../query/source.js';
import { sourceRange } from '../query/source-range.js';
import { symbolPage } from '../query/symbol-page.js';
import { testsOf } from '../query/tests-answer.js';
import { usedInTheWild } from '../query/wild.js';
import {
  calleesSchema,
  callersSchema,
  impactSchema,
  repositoriesSchema,
  searchSchema,
  sourceRangeSchema,
  symbolTestsSchema,
  symbolToolSchema,
  wildSchema,
} from './output-schemas.js';
import {
  calleesText,
  callersText,
  impactText,
  repositoriesText,
  searchText,
  sourceText,
  symbolText,
  testsText,
  wildText,
} from './text.js';

export interface ToolAnswer {
  structured: Record<string, unknown>;
  text: string;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  output: z.ZodObject;
  run(hub: Hub, args: Record<string, unknown>): Promise<ToolAnswer>;
}

const repository = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .describe('Repository, e.g. github.com/opencontainers/runc, or a unique suffix such as runc. Default: every indexed repository.');
const commit = z
  .string()
  .regex(/^(?:dir-)?[0-9a-fA-F]{4,64}$/, 'a commit hash or a prefix of at least 4 hex digits')
  .optional()
  .describe("A commit of the repository (full hash or unique prefix) to pin the graph. Default: the repository's newest graph.");
const symbol = z
  .string()
  .min(1)
  .max(512)
  .describe('The symbol: a name (startContainer), a qualified name (main.startContainer, libcontainer.(*Container).Run) or a symbol id from another answer (go:utils_linux.go:main.startContainer).');
const offset = z.int().min(0).max(10_000_000).optional().describe('Skip this many items (paging). Default 0.');
const limit = (fallback: number, max: number) => z.int().min(1).max(max).optional().describe(`At most this many items. Default ${fallback}, at most ${max}.`);

const symbolArgs = { repository, commit, symbol };

/** Defines a tool whose handler sees its parsed, typed arguments. */
function tool<I extends z.ZodRawShape, O extends z.ZodObject>(definition: {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  run(hub: Hub, args: z.output<z.ZodObject<I>>): Promise<{ structured: z.input<O>; text: string }>;
}): ToolDefinition {
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    input: z.strictObject(definition.input),
    output: definition.output,
    async run(hub, args) {
      const answer = await definition.run(hub, args as z.output<z.ZodObject<I>>);
      // Parsing drops anything the schema does not name, so the answer always matches the advertised schema.
      return { structured: definition.output.parse(answer.structured) as Record<string, unknown>, text: answer.text };
    },
  };
}

function selectorOf(args: { repository?: string | undefined; commit?: string | undefined }): { repository?: string; commit?: string } {
  return { ...(args.repository !== undefined ? { repository: args.repository } : {}), ...(args.commit !== undefined ? { commit: args.commit } : {}) };
}

/** The graph for tools that name no symbol: the repository given, or the only one indexed. */
async function graphFor(hub: Hub, args: { repository?: string | undefined; commit?: string | undefined }): Promise<GraphInfo> {
  if (args.repository === undefined) {
    const names = (await hub.store.listRepositories()).filter((entry) => entry.newest).map((entry) => entry.name);
    if (names.length > 1) {
      throw new GraphhubError('invalid-input', `Several repositories are indexed; pass \`repository\`, one of: ${names.slice(0, 50).join(', ')}`, { choices: names });
    }
    if (args.commit !== undefined && names.length === 1) return findGraph(hub.store, { repository: names[0]!, commit: args.commit });
  }
  return findGraph(hub.store, selectorOf(args));
}

export const TOOLS: readonly ToolDefinition[] = [
  tool({
    name: 'repositories',
    title: 'Indexed repositories',
    description: 'List the repositories indexed in this hub, each with its newest graph (commit, time, counts of files, symbols and call edges).',
    input: { offset, limit: limit(50, 500) },
    output: repositoriesSchema,
    async run(hub, args) {
      const all = await hub.store.listRepositories();
      const { items, page } = pageOf(all, args, 50);
      const structured = {
        repositories: items.map((entry) => ({
          repository: entry.name,
          ...(entry.url ? { url: entry.url } : {}),
          graphCount: entry.graphCount,
          ...(entry.newest
            ? { newest: { commit: entry.newest.commit, graphId: entry.newest.id, indexedAt: entry.newest.indexedAt, modules: entry.newest.modules, stats: entry.newest.stats } }
            : {}),
        })),
        page,
      };
      return { structured, text: repositoriesText(structured) };
    },
  }),
  tool({
    name: 'search',
    title: 'Search symbols',
    description:
      'Find functions, methods, types, tests, files and packages by name or part of a name, in the newest graph of every repository (or one repository). Returns ids to pass as `symbol` to the other tools.',
    input: {
      query: z.string().min(1).max(200).describe('Part of a name or qualified name, e.g. startContainer or Container.Run.'),
      repository,
      commit,
      kinds: z.array(z.enum(SYMBOL_KINDS as [SymbolKind, ...SymbolKind[]])).max(13).optional().describe('Only these kinds.'),
      limit: limit(20, 100),
    },
    output: searchSchema,
    async run(hub, args) {
      const answer = await searchSymbols(hub.store, {
        text: args.query,
        ...selectorOf(args),
        ...(args.kinds ? { kinds: args.kinds } : {}),
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
      });
      return { structured: answer, text: searchText(answer) };
    },
  }),
  tool({
    name: 'symbol',
    title: 'Everything about a symbol',
    description:
      "Everything the hub's symbol page shows: kind, location, signature, the hash-verified source with context lines, callers and callees (sorted by confidence, with call sites and the resolution strategy), unresolved calls, calls into other modules and the tests that reach it. Uses in other repositories: see used_in_the_wild.",
    input: { ...symbolArgs, limit: limit(50, 500).describe('At most this many callers and this many callees. Default 50; use callers/callees to page.') },
    output: symbolToolSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const structured = await symbolPage(hub.store, hub.cas, graph, found, { edgeLimit: args.limit ?? 50 });
      return { structured, text: symbolText(structured) };
    },
  }),
  tool({
    name: 'callers',
    title: 'Callers of a symbol',
    description: 'Who calls a symbol: each caller with its kind, confidence, resolution strategy and call sites, highest confidence first, a page at a time.',
    input: { ...symbolArgs, offset, limit: limit(100, 500) },
    output: callersSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const answer = await callersOf(hub.store, graph, found, args);
      return { structured: answer, text: callersText(answer) };
    },
  }),
  tool({
    name: 'callees',
    title: 'Calls of a symbol',
    description: 'What a symbol calls: each resolved callee with kind, confidence, strategy and call sites, highest confidence first, a page at a time; plus unresolved calls and calls into other modules.',
    input: { ...symbolArgs, offset, limit: limit(100, 500) },
    output: calleesSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const answer = await calleesOf(hub.store, graph, found, args);
      return { structured: answer, text: calleesText(answer) };
    },
  }),
  tool({
    name: 'impact',
    title: 'Impact of changing a symbol',
    description: `What could break if a symbol changes: its transitive callers up to \`depth\` levels (at most ${MAX_IMPACT_DEPTH}), each with the confidence of its best path, and the tests among them.`,
    input: {
      ...symbolArgs,
      depth: z.int().min(1).max(MAX_IMPACT_DEPTH).optional().describe('Levels of callers to follow. Default 3.'),
      limit: limit(500, 5000).describe('At most this many callers; `truncated` says when more were cut. Default 500.'),
    },
    output: impactSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const answer = await impactOf(hub.store, graph, found, {
        ...(args.depth !== undefined ? { depth: args.depth } : {}),
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
      });
      return { structured: answer, text: impactText(answer) };
    },
  }),
  tool({
    name: 'tests',
    title: 'Tests of a symbol',
    description: 'The tests that exercise a symbol, directly or through other functions, each with its call path and the confidence of that path; or that no test reaches it.',
    input: {
      ...symbolArgs,
      depth: z.int().min(1).max(20).optional().describe('Longest call path to follow from a test. Default 8.'),
      limit: limit(20, 500),
    },
    output: symbolTestsSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const answer = await testsOf(hub.store, graph, found, {
        ...(args.depth !== undefined ? { maxDepth: args.depth } : {}),
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
      });
      return { structured: answer, text: testsText(answer) };
    },
  }),
  tool({
    name: 'used_in_the_wild',
    title: 'Uses in other repositories',
    description:
      "Real call sites of a symbol in OTHER indexed repositories that depend on (or vendor) its module, grouped by repository with source excerpts, a page of repositories at a time. Identical copies (forks) are collapsed into one entry.",
    input: { ...symbolArgs, offset, limit: limit(10, 50).describe('Repositories per page. Default 10, at most 50.') },
    output: wildSchema,
    async run(hub, args) {
      const { graph, symbol: found } = await resolveSymbol(hub.store, selectorOf(args), args.symbol);
      const answer = await usedInTheWild(hub.store, hub.cas, graph, found, {
        ...(args.offset !== undefined ? { offset: args.offset } : {}),
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
      });
      return { structured: answer, text: wildText(answer) };
    },
  }),
  tool({
    name: 'source',
    title: 'Source of a file range',
    description: `Lines of a file at the graph's commit, read from the content-addressed store and verified against their SHA-256 address (an integrity failure is an error, never unverified text). At most ${MAX_EXCERPT_LINES} lines.`,
    input: {
      repository,
      commit,
      file: z.string().min(1).max(4096).describe('Path relative to the repository root, e.g. utils_linux.go.'),
      startLine: z.int().min(1).describe('First line (1-based).'),
      endLine: z.int().min(1).describe(`Last line (inclusive); at most ${MAX_EXCERPT_LINES} lines after startLine.`),
    },
    output: sourceRangeSchema,
    async run(hub, args) {
      if (args.endLine < args.startLine) throw new GraphhubError('invalid-input', `endLine ${args.endLine} is before startLine ${args.startLine}`);
      const graph = await graphFor(hub, args);
      const answer = await sourceRange(hub.store, hub.cas, graph, args.file, args.startLine, Math.min(args.endLine, args.startLine + MAX_EXCERPT_LINES - 1));
      return { structured: answer, text: sourceText(answer) };
    },
  }),
];
