/**
 * The hub's HTTP application: pages, the JSON API, the assets and (when
 * given) the MCP endpoint, as one Hono app on web-standard Request and
 * Response. `createApp(hub)` has no port: tests call `app.request()`, the
 * server (src/server/) binds it to a socket.
 *
 * Every response carries a strict Content-Security-Policy (scripts only from
 * /-/assets, no inline script or style), malformed requests get a 4xx, and
 * nothing a request names is read from a file system path.
 */
import { Hono, type Context } from 'hono';
import type { Hub } from '../hub/hub.js';
import { GraphhubError, isGraphhubError } from '../model/errors.js';
import { repositoryName } from '../query/find-symbol.js';
import { apiAnswer } from './api.js';
import { ASSETS } from './assets.js';
import type { PageResult, WebContext } from './context.js';
import { errorBody, errorPageBody, statusFor } from './errors.js';
import { layout, type McpClientInfo } from './layout.js';
import { edgesPage } from './pages/edges.js';
import { filePage } from './pages/file.js';
import { homePage } from './pages/home.js';
import { JOBS_PATH, jobsPage } from './pages/jobs.js';
import { folderPage, repositoryPage } from './pages/repository.js';
import { searchPage, searchResults } from './pages/search.js';
import { symbolPage } from './pages/symbol.js';
import { wildAnswerFor, wildFragment, wildPage } from './pages/wild.js';
import { MAX_PATH_LENGTH, parseHubPath, type GraphAddress } from './urls.js';

export interface WebOptions {
  /** Serves /mcp (Streamable HTTP); without it /mcp is a 404. */
  mcpEndpoint?: (request: Request) => Promise<Response>;
  /** The stdio command shown next to the HTTP URL in the MCP configuration. */
  mcpStdio?: { command: string; args: string[] };
  /**
   * Host names (without port) the hub answers to; requests naming another
   * Host, or an MCP request from another Origin, get 403. Guards a hub on
   * loopback against DNS rebinding. Undefined: any host.
   */
  allowedHosts?: string[];
  /** Where internal errors are reported (default: stderr). */
  log?: (line: string) => void;
}

/** Requests with a larger body are refused before they are read. */
export const MAX_REQUEST_BODY = 1024 * 1024;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function createApp(hub: Hub, options: WebOptions = {}): Hono {
  const app = new Hono();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const allowedHosts = options.allowedHosts?.map((host) => host.toLowerCase());

  const contextOf = (c: Context): WebContext => {
    const url = new URL(c.req.url);
    const mcp: McpClientInfo = { httpUrl: `${url.origin}/mcp`, ...(options.mcpStdio ? { stdio: options.mcpStdio } : {}) };
    return { hub, mcp, url };
  };

  const sendPage = (c: Context, result: PageResult): Response => {
    const context = contextOf(c);
    const page = layout({
      title: result.title,
      body: result.body,
      mcp: context.mcp,
      ...(result.searchText !== undefined ? { searchText: result.searchText } : {}),
      ...(result.hideTopSearch ? { hideTopSearch: true } : {}),
    });
    return c.html(page.value, (result.status ?? 200) as 200);
  };

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  });

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    if (allowedHosts && !allowedHosts.includes(url.hostname.toLowerCase())) return c.text('host not allowed\n', 403);
    if (url.pathname.length + url.search.length > MAX_PATH_LENGTH) return c.text('URL too long\n', 414);
    const length = Number(c.req.header('content-length') ?? '0');
    if (!Number.isFinite(length) || length > MAX_REQUEST_BODY) return c.text('request body too large\n', 413);
    if (url.pathname !== '/mcp' && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.text('method not allowed\n', 405);
    }
    return next();
  });

  app.get('/-/assets/:name', (c) => {
    const asset = ASSETS.get(c.req.param('name'));
    if (!asset) return c.text('no such asset\n', 404);
    const versioned = c.req.query('v') === asset.version;
    return c.body(new Uint8Array(asset.body), 200, {
      'Content-Type': asset.contentType,
      'Cache-Control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
  app.get('/favicon.ico', (c) => c.redirect('/-/assets/favicon.svg', 301));

  app.all('/mcp', async (c) => {
    if (!options.mcpEndpoint) return c.json({ error: { code: 'not-found', message: 'this hub serves no MCP endpoint' } }, 404);
    const origin = c.req.header('origin');
    if (origin && allowedHosts) {
      let originHost = '';
      try {
        originHost = new URL(origin).hostname.toLowerCase();
      } catch {
        originHost = '';
      }
      if (!allowedHosts.includes(originHost)) return c.json({ error: { code: 'forbidden', message: 'origin not allowed' } }, 403);
    }
    return options.mcpEndpoint(c.req.raw);
  });

  app.get('/', async (c) => sendPage(c, await homePage(contextOf(c))));

  app.get('/-/search', async (c) => {
    const context = contextOf(c);
    if (c.req.query('fragment') === '1') return c.html((await searchResults(context, 12)).items.value);
    return sendPage(c, await searchPage(context));
  });

  app.get(JOBS_PATH, async (c) => sendPage(c, await jobsPage(contextOf(c))));

  app.get('/api', async (c) => apiResponse(c));
  app.get('/api/*', async (c) => apiResponse(c));

  const apiResponse = async (c: Context): Promise<Response> => {
    const context = contextOf(c);
    const result = await apiAnswer(context, context.url.pathname);
    return jsonResponse(result.body, result.status);
  };

  app.get('*', async (c) => {
    const context = contextOf(c);
    const parsed = parseHubPath(context.url.pathname);
    if (!parsed) throw new GraphhubError('not-found', `no page at ${context.url.pathname.slice(0, 200)}`);
    if (parsed.kind === 'repository') return sendPage(c, await repositoryPage(context, parsed.address));
    const { address, view, rest } = parsed;
    switch (view) {
      case 'symbol':
        return sendPage(c, await symbolPage(context, address, rest));
      case 'file':
        return sendPage(c, await filePage(context, address, rest));
      case 'tree':
        return sendPage(c, await folderPage(context, address, rest));
      case 'callers':
      case 'callees':
        return sendPage(c, await edgesPage(context, address, view, rest));
      case 'wild':
        if (c.req.query('fragment') === '1') {
          const { answer, address: linkAddress } = await wildAnswerFor(context, address, rest);
          return c.html(wildFragment(answer, linkAddress, rest).value);
        }
        return sendPage(c, await wildPage(context, address, rest));
      default:
        // tests, impact and source have API answers but no pages of their own: the symbol page shows them.
        throw new GraphhubError('not-found', `no page for ${view}; see /api for its JSON`);
    }
  });

  app.notFound((c) => {
    if (new URL(c.req.url).pathname.startsWith('/api')) return jsonResponse(errorBody(new GraphhubError('not-found', 'no such route')), 404);
    return sendPage(c, { status: 404, ...errorPageBody(new GraphhubError('not-found', 'no such page'), undefined) });
  });

  app.onError(async (error, c) => {
    if (!isGraphhubError(error)) log(`graphhub serve: internal error on ${c.req.method} ${c.req.path}: ${error.stack ?? String(error)}`);
    const url = new URL(c.req.url);
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    const isFragment = url.searchParams.get('fragment') === '1';
    const status = isGraphhubError(error) ? statusFor(error, isApi ? 'api' : 'page') : 500;
    if (isApi) return jsonResponse(errorBody(error), status);
    const address = await existingAddress(hub, url.pathname);
    const { title, body } = errorPageBody(error, address);
    if (isFragment) return c.html(body.value, status as 400);
    return sendPage(c, { status, title, body });
  });

  return app;
}

/**
 * JSON with `<`, `>` and `&` written as \u escapes: the same data once parsed,
 * but repository text can never form markup, even in a client that
 * mistakes the body for HTML.
 */
function jsonResponse(body: unknown, status: number): Response {
  const text = JSON.stringify(body).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return new Response(text, { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

/**
 * The repository an erroring URL named, for the links of the error page
 * (nearest symbol names, choices); undefined when the URL named none, or one
 * that does not exist (the suggestions are then repository names).
 */
async function existingAddress(hub: Hub, pathname: string): Promise<GraphAddress | undefined> {
  try {
    const parsed = parseHubPath(pathname);
    if (!parsed) return undefined;
    const repository = await repositoryName(hub.store, parsed.address.repository);
    return { ...parsed.address, repository };
  } catch {
    return undefined;
  }
}
