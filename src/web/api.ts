/**
 * The JSON API: the same data as each page, in the shapes of the CLI's
 * `--json` (query/ builds them for both). Routes mirror the page URLs under
 * /api; see README.md "JSON API".
 */
import { SYMBOL_KINDS, type SymbolKind } from '../model/graph.js';
import { invalidInput, notFound } from '../model/errors.js';
import { callersOf, calleesOf } from '../query/edges.js';
import { filePage } from '../query/file-page.js';
import { findOneSymbol } from '../query/find-symbol.js';
import { folderListing } from '../query/folders.js';
import { impactOf, MAX_IMPACT_DEPTH } from '../query/impact.js';
import { jobsOverview, oneJob } from '../query/jobs.js';
import { repositoryOverview } from '../query/repository-overview.js';
import { searchSymbols } from '../query/search.js';
import { sourceRange } from '../query/source-range.js';
import { symbolPage } from '../query/symbol-page.js';
import { testsOf } from '../query/tests-answer.js';
import { usedInTheWild } from '../query/wild.js';
import { graphAt, intParam, textParam, type WebContext } from './context.js';
import { JOBS_PATH, jobsFilter } from './pages/jobs.js';
import { parseHubPath } from './urls.js';

/** Lists inside one symbol answer stop here; `/callers` and `/callees` page through the rest. */
export const MAX_API_EDGES = 1000;

export interface ApiResult {
  status: number;
  body: unknown;
}

export const API_ROUTES = {
  repositories: '/api/-/repositories',
  search: '/api/-/search?q=TEXT[&repo=REPO][&commit=COMMIT][&kind=KIND…][&limit=N]',
  repository: '/api/REPO[@COMMIT]',
  folder: '/api/REPO[@COMMIT]/-/tree/PATH',
  file: '/api/REPO[@COMMIT]/-/file/PATH[?start=LINE]',
  source: '/api/REPO[@COMMIT]/-/source/PATH?start=LINE&end=LINE',
  symbol: '/api/REPO[@COMMIT]/-/symbol/QUERY',
  callers: '/api/REPO[@COMMIT]/-/callers/QUERY[?offset=N&limit=N]',
  callees: '/api/REPO[@COMMIT]/-/callees/QUERY[?offset=N&limit=N]',
  tests: '/api/REPO[@COMMIT]/-/tests/QUERY[?depth=N]',
  impact: '/api/REPO[@COMMIT]/-/impact/QUERY[?depth=N&limit=N]',
  wild: '/api/REPO[@COMMIT]/-/wild/QUERY[?offset=N&limit=N]',
  jobs: '/api/-/jobs[?state=queued|running|done|dead][&limit=N]',
  job: '/api/-/jobs/ID',
} as const;

export async function apiAnswer(context: WebContext, pathname: string): Promise<ApiResult> {
  const { store, cas } = context.hub;
  const url = context.url;
  const path = pathname.replace(/^\/api/, '');
  if (path === '' || path === '/') return { status: 200, body: { routes: API_ROUTES } };
  if (path === '/-/repositories') return { status: 200, body: await store.listRepositories() };
  if (path === '/-/search') {
    const kinds = url.searchParams.getAll('kind');
    for (const kind of kinds) if (!(SYMBOL_KINDS as readonly string[]).includes(kind)) throw invalidInput(`unknown kind ${kind.slice(0, 40)}`);
    const repository = textParam(url, 'repo', 512);
    const commit = textParam(url, 'commit', 64);
    const answer = await searchSymbols(store, {
      text: textParam(url, 'q') ?? '',
      limit: intParam(url, 'limit', 20, 1, 100),
      kinds: kinds as SymbolKind[],
      ...(repository ? { repository } : {}),
      ...(commit ? { commit } : {}),
    });
    return { status: 200, body: answer };
  }
  if (path === JOBS_PATH) return { status: 200, body: await jobsOverview(context.hub.queue, jobsFilter(url)) };
  if (path.startsWith(`${JOBS_PATH}/`)) {
    const id = path.slice(JOBS_PATH.length + 1);
    if (!/^[1-9]\d{0,14}$/.test(id)) throw invalidInput(`not a job id: ${JSON.stringify(id.slice(0, 40))}`);
    return { status: 200, body: await oneJob(context.hub.queue, Number(id)) };
  }
  const parsed = parseHubPath(path);
  if (!parsed) throw notFound(`no API route ${path.slice(0, 200)}`, { routes: API_ROUTES });
  const { graph } = await graphAt(context.hub, parsed.address);
  if (parsed.kind === 'repository') return { status: 200, body: await repositoryOverview(store, graph) };
  const { view, rest } = parsed;
  switch (view) {
    case 'tree':
      return { status: 200, body: await folderListing(store, graph, rest) };
    case 'file': {
      const page = await filePage(store, cas, graph, rest, { startLine: intParam(url, 'start', 1, 1, 100_000_000) });
      return { status: page.source && !page.source.verified ? 500 : 200, body: page };
    }
    case 'source': {
      const start = intParam(url, 'start', 1, 1, 100_000_000);
      const end = intParam(url, 'end', start + 99, start, start + 1999);
      return { status: 200, body: await sourceRange(store, cas, graph, rest, start, end) };
    }
    default:
      break;
  }
  const symbol = await findOneSymbol(store, graph, rest);
  switch (view) {
    case 'symbol': {
      const page = await symbolPage(store, cas, graph, symbol, { edgeLimit: MAX_API_EDGES });
      const truncated = page.callerCount > MAX_API_EDGES || page.calleeCount > MAX_API_EDGES;
      const body = truncated ? { ...page, truncated: { callers: page.callerCount, callees: page.calleeCount } } : page;
      return { status: page.source && !page.source.verified ? 500 : 200, body };
    }
    case 'callers':
    case 'callees': {
      const options = { offset: intParam(url, 'offset', 0, 0, 10_000_000), limit: intParam(url, 'limit', 100, 1, 500) };
      const body = view === 'callers' ? await callersOf(store, graph, symbol, options) : await calleesOf(store, graph, symbol, options);
      return { status: 200, body };
    }
    case 'tests':
      return { status: 200, body: await testsOf(store, graph, symbol, { maxDepth: intParam(url, 'depth', 8, 1, 20) }) };
    case 'impact':
      return {
        status: 200,
        body: await impactOf(store, graph, symbol, { depth: intParam(url, 'depth', 3, 1, MAX_IMPACT_DEPTH), limit: intParam(url, 'limit', 500, 1, 5000) }),
      };
    case 'wild':
      return {
        status: 200,
        body: await usedInTheWild(store, cas, graph, symbol, { offset: intParam(url, 'offset', 0, 0, 1_000_000), limit: intParam(url, 'limit', 10, 1, 50) }),
      };
    default:
      throw notFound(`no API route for ${view}`);
  }
}
