/**
 * The page shell: head (one stylesheet, one deferred script, no inline
 * script or style), the top bar with the search box and the MCP button, and
 * the footer.
 */
import { assetHref } from './assets.js';
import { html, type SafeHtml } from './html.js';

/** How an agent connects to this hub; the MCP button copies it. */
export interface McpClientInfo {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:7777/mcp. */
  httpUrl: string;
  /** The stdio command that serves the same tools from the same data folder. */
  stdio?: { command: string; args: string[] };
}

/** The configuration text the MCP button copies: one entry per transport; keep the one your client supports. */
export function mcpConfigText(info: McpClientInfo): string {
  const servers: Record<string, unknown> = { graphhub: { type: 'http', url: info.httpUrl } };
  if (info.stdio) servers['graphhub-stdio'] = { type: 'stdio', command: info.stdio.command, args: info.stdio.args };
  return JSON.stringify({ mcpServers: servers }, null, 2);
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  mcp: McpClientInfo;
  /** Text to keep in the top search box. */
  searchText?: string;
  /** Hide the top search box (the home page has its own). */
  hideTopSearch?: boolean;
}

export function layout(options: PageOptions): SafeHtml {
  const config = mcpConfigText(options.mcp);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title>
<link rel="stylesheet" href="${assetHref('hub.css')}">
<link rel="icon" href="${assetHref('favicon.svg')}" type="image/svg+xml">
<script src="${assetHref('hub.js')}" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/">graphhub</a>
${
  options.hideTopSearch
    ? ''
    : html`<form class="search" action="/-/search" method="get" role="search">
<input type="search" name="q" value="${options.searchText ?? ''}" placeholder="Search symbols…" autocomplete="off" aria-label="Search symbols" data-search-target="top-results">
<ul class="results" id="top-results" aria-live="polite"></ul>
</form>`
}
<div class="mcp">
<button type="button" class="mcp-button" data-mcp-config="${config}" data-status-target="mcp-status" title="Copy the MCP client configuration for this hub">MCP copy</button>
<span class="mcp-status" id="mcp-status" role="status" aria-live="polite"></span>
<details class="mcp-details"><summary>config</summary><pre>${config}</pre></details>
</div>
</header>
<main>
${options.body}
</main>
<footer>graphhub · source from the content-addressed store, hash-verified · MCP at <span class="mono">${options.mcp.httpUrl}</span></footer>
</body>
</html>
`;
}
