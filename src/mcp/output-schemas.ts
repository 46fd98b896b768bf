/**
 * The MCP tools' output schemas: zod mirrors of the answer shapes in
 * query/ (the same objects the JSON API and `--json` return). The `exact`
 * checks at the bottom fail to compile when a shape and its schema drift
 * apart, so a field added to an answer must be added here too.
 */
import { z } from 'zod';
import { STRATEGIES, type Strategy } from '../model/confidence.js';
import { SYMBOL_KINDS, type ExternalRef, type GraphStats, type SymbolKind, type UnresolvedCall } from '../model/graph.js';
import type { CalleesAnswer, CallersAnswer, ListPage } from '../query/edges.js';
import type { ImpactAnswer } from '../query/impact.js';
import type { SearchAnswer } from '../query/search.js';
import type { SourceExcerpt } from '../query/source.js';
import type { SourceRange } from '../query/source-range.js';
import type { SymbolPage } from '../query/symbol-page.js';
import type { TestsAnswer } from '../query/tests.js';
import type { SymbolTests } from '../query/tests-answer.js';
import type { EdgeItem, GraphRef, SymbolSummary } from '../query/views.js';
import type { WildAnswer, WildRepository, WildSite } from '../query/wild.js';

const symbolKind = z.enum(SYMBOL_KINDS as [SymbolKind, ...SymbolKind[]]);
const strategy = z.enum(Object.keys(STRATEGIES) as [Strategy, ...Strategy[]]);

const graphRefShape = {
  repository: z.string().describe('the repository the answer was computed from'),
  commit: z.string().describe('the commit of the graph the answer was computed from'),
  graphId: z.number(),
  indexedAt: z.string(),
};
export const graphRefSchema = z.object(graphRefShape);

export const symbolSummarySchema = z.object({
  id: z.string().describe('stable symbol id, usable as `symbol` in every tool'),
  kind: symbolKind,
  name: z.string(),
  qualifiedName: z.string(),
  file: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  line: z.number(),
  signature: z.string(),
  exported: z.boolean(),
  receiver: z.string().optional(),
  packagePath: z.string().optional(),
  module: z.string().optional(),
  doc: z.string().optional(),
});

const callSite = z.object({ file: z.string(), line: z.number(), col: z.number() });

export const edgeItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  qualifiedName: z.string(),
  kind: symbolKind,
  file: z.string(),
  line: z.number(),
  confidence: z.number().describe('measured probability that this edge is a real call to exactly this target'),
  strategy,
  strategyDescription: z.string(),
  sites: z.array(callSite),
});

const unresolvedCall = z.object({
  caller: z.string(),
  name: z.string(),
  receiver: z.string().optional(),
  reason: z.string(),
  site: callSite,
  couldBe: z.enum(['method', 'function', 'any']).optional(),
});

const externalRef = z.object({
  caller: z.string(),
  module: z.string(),
  packagePath: z.string(),
  symbol: z.string(),
  strategy,
  confidence: z.number(),
  site: callSite,
});

export const sourceExcerptSchema = z.object({
  file: z.string(),
  blob: z.string().describe('SHA-256 address of the file in the content-addressed store'),
  verified: z.boolean().describe('true when the bytes hashed to their address'),
  startLine: z.number(),
  endLine: z.number(),
  lines: z.array(z.string()),
  error: z.string().optional(),
});

const testPathStep = z.object({ id: z.string(), name: z.string(), kind: symbolKind });

export const testsAnswerSchema = z.object({
  status: z.enum(['covered', 'none', 'unknown']),
  tests: z.array(
    z.object({
      test: testPathStep.extend({ file: z.string(), line: z.number() }),
      path: z.array(testPathStep),
      length: z.number(),
      confidence: z.number(),
      confirmedByCoverage: z.boolean().optional().describe('the runtime coverage report saw the symbol run'),
    }),
  ),
  more: z.number(),
  maxDepth: z.number(),
  coverage: z
    .object({
      covered: z.number().describe('lines of the symbol that ran at least once'),
      total: z.number().describe('lines of the symbol the report instruments'),
      report: z.object({ format: z.enum(['go-coverprofile', 'lcov']), source: z.string(), importedAt: z.string(), blocks: z.number() }),
    })
    .optional()
    .describe("from the graph's imported runtime coverage report, when there is one"),
});

const listPage = z.object({ offset: z.number(), limit: z.number(), total: z.number(), nextOffset: z.number().optional() });

export const symbolPageSchema = z.object({
  ...graphRefShape,
  symbol: symbolSummarySchema,
  source: sourceExcerptSchema.optional(),
  callers: z.array(edgeItemSchema),
  callees: z.array(edgeItemSchema),
  callerCount: z.number().describe('all callers; `callers` may hold only the first of them'),
  calleeCount: z.number().describe('all callees; `callees` may hold only the first of them'),
  unresolvedCalls: z.array(unresolvedCall),
  possibleCallersUnresolved: z.number(),
  externalCalls: z.array(externalRef),
  tests: testsAnswerSchema,
});

/** The `symbol` tool's answer: the page, with callers and calls cut to `limit` (the counts say how many there are). */
export const symbolToolSchema = symbolPageSchema;

export const callersSchema = z.object({
  ...graphRefShape,
  symbol: symbolSummarySchema,
  callers: z.array(edgeItemSchema),
  possibleCallersUnresolved: z.number(),
  page: listPage,
});

export const calleesSchema = z.object({
  ...graphRefShape,
  symbol: symbolSummarySchema,
  callees: z.array(edgeItemSchema),
  unresolvedCalls: z.array(unresolvedCall),
  externalCalls: z.array(externalRef),
  page: listPage,
});

export const impactSchema = z.object({
  ...graphRefShape,
  symbol: symbolSummarySchema,
  depth: z.number(),
  callers: z.array(z.object({ symbol: symbolSummarySchema, depth: z.number(), confidence: z.number(), via: z.string() })),
  tests: z.array(z.object({ symbol: symbolSummarySchema, depth: z.number(), confidence: z.number() })),
  truncated: z.boolean(),
});

export const symbolTestsSchema = z.object({ ...graphRefShape, symbol: symbolSummarySchema, tests: testsAnswerSchema });

export const wildSchema = z.object({
  ...graphRefShape,
  symbol: symbolSummarySchema,
  status: z.enum(['ok', 'not-exported', 'no-module']),
  message: z.string().optional(),
  target: z.object({ module: z.string(), packagePath: z.string(), symbol: z.string() }).optional(),
  totalRepositories: z.number(),
  totalSites: z.number(),
  repositories: z.array(
    z.object({
      repository: z.string(),
      commit: z.string(),
      graphId: z.number(),
      relation: z.enum(['depends', 'vendors']),
      version: z.string().optional(),
      forks: z.array(z.string()),
      count: z.number(),
      sites: z.array(
        z.object({
          file: z.string(),
          line: z.number(),
          col: z.number(),
          caller: z.object({ id: z.string(), name: z.string(), qualifiedName: z.string(), kind: symbolKind }),
          excerpt: sourceExcerptSchema.optional(),
        }),
      ),
    }),
  ),
  page: z.object({ offset: z.number(), limit: z.number(), nextOffset: z.number().optional() }),
});

export const searchSchema = z.object({
  query: z.string(),
  hits: z.array(z.object({ repository: z.string(), commit: z.string(), symbol: symbolSummarySchema })),
});

export const sourceRangeSchema = z.object({ ...graphRefShape, source: sourceExcerptSchema });

const graphStats = z.object({
  files: z.number(),
  skipped: z.number(),
  symbols: z.number(),
  edges: z.number(),
  unresolved: z.number(),
  externalRefs: z.number(),
  diagnostics: z.number(),
  lines: z.number(),
  bytes: z.number(),
  durationMs: z.number(),
});

export const repositoriesSchema = z.object({
  repositories: z.array(
    z.object({
      repository: z.string(),
      url: z.string().optional(),
      graphCount: z.number(),
      newest: z
        .object({ commit: z.string(), graphId: z.number(), indexedAt: z.string(), modules: z.array(z.string()), stats: graphStats })
        .optional()
        .describe('the newest published graph; absent when every index of the repository failed'),
    }),
  ),
  page: listPage,
});

export type RepositoriesAnswer = z.output<typeof repositoriesSchema>;
export type SymbolToolAnswer = SymbolPage;

// Compile-time checks: each schema's output type is exactly its answer type.
// Mutual assignability misses an optional field that one side lacks, so the key sets are compared too.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const exact = <A, B>(value: Exact<A, B>): Exact<A, B> => value;
exact<z.output<typeof graphRefSchema>, GraphRef>(true);
exact<z.output<typeof symbolSummarySchema>, SymbolSummary>(true);
exact<z.output<typeof edgeItemSchema>, EdgeItem>(true);
exact<z.output<typeof sourceExcerptSchema>, SourceExcerpt>(true);
exact<z.output<typeof listPage>, ListPage>(true);
// JSON has no undefined: SymbolPage's `source: … | undefined` travels as an optional key.
type OptionalSource<T extends { source: unknown }> = Omit<T, 'source'> & { source?: Exclude<T['source'], undefined> };
exact<z.output<typeof symbolPageSchema>, OptionalSource<SymbolPage>>(true);
exact<z.output<typeof symbolToolSchema>, OptionalSource<SymbolToolAnswer>>(true);
exact<z.output<typeof callersSchema>, CallersAnswer>(true);
exact<z.output<typeof calleesSchema>, CalleesAnswer>(true);
exact<z.output<typeof impactSchema>, ImpactAnswer>(true);
exact<z.output<typeof symbolTestsSchema>, SymbolTests>(true);
exact<z.output<typeof wildSchema>, WildAnswer>(true);
exact<z.output<typeof searchSchema>, SearchAnswer>(true);
exact<z.output<typeof sourceRangeSchema>, SourceRange>(true);
exact<z.output<typeof unresolvedCall>, UnresolvedCall>(true);
exact<z.output<typeof externalRef>, ExternalRef>(true);
exact<z.output<typeof testsAnswerSchema>, TestsAnswer>(true);
exact<z.output<typeof testsAnswerSchema>['tests'][number], TestsAnswer['tests'][number]>(true);
exact<NonNullable<z.output<typeof testsAnswerSchema>['coverage']>, NonNullable<TestsAnswer['coverage']>>(true);
exact<z.output<typeof testsAnswerSchema>['tests'][number]['test'], TestsAnswer['tests'][number]['test']>(true);
exact<z.output<typeof wildSchema>['repositories'][number], WildRepository>(true);
exact<z.output<typeof wildSchema>['repositories'][number]['sites'][number], WildSite>(true);
exact<NonNullable<z.output<typeof wildSchema>['target']>, NonNullable<WildAnswer['target']>>(true);
exact<z.output<typeof impactSchema>['callers'][number], ImpactAnswer['callers'][number]>(true);
exact<z.output<typeof impactSchema>['tests'][number], ImpactAnswer['tests'][number]>(true);
exact<z.output<typeof graphStats>, GraphStats>(true);
