/** Small pieces several pages share. */
import type { GraphInfo, GraphStats } from '../../model/graph.js';
import { html, type SafeHtml } from '../html.js';
import { repositoryPath, type GraphAddress } from '../urls.js';

export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

export function timeElement(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}</time>`;
}

export function statsLine(stats: GraphStats): SafeHtml {
  return html`<span class="muted">${stats.files} files · ${stats.symbols} symbols · ${stats.edges} edges</span>`;
}

/** `hub / github.com/opencontainers/runc / startContainer`, each part a link. */
export function breadcrumb(address: GraphAddress, parts: Array<{ label: string; href: string }> = []): SafeHtml {
  const crumbs = [{ label: 'hub', href: '/' }, { label: address.repository, href: repositoryPath(address) }, ...parts];
  return html`<nav class="crumbs" aria-label="breadcrumb">${crumbs.map(
    (crumb, index) => html`${index > 0 ? ' / ' : ''}<a href="${crumb.href}">${crumb.label}</a>`,
  )}</nav>`;
}

/** Which graph a page shows: the commit, when it was indexed, and whether it is pinned. */
export function graphLine(graph: GraphInfo, address: GraphAddress): SafeHtml {
  return html`<p class="where">graph <a class="mono" href="${repositoryPath({ repository: graph.repository, commit: graph.commit })}" title="${graph.commit}">@${shortCommit(graph.commit)}</a> · indexed ${timeElement(graph.indexedAt)}${
    address.commit ? html` · pinned (<a href="${repositoryPath({ repository: graph.repository })}">newest</a>)` : html` · newest`
  }</p>`;
}

export function pager(base: string, page: { offset: number; limit: number; total: number; nextOffset?: number }): SafeHtml {
  const previous = page.offset > 0 ? Math.max(0, page.offset - page.limit) : undefined;
  const link = (offset: number, label: string) => html`<a href="${base}${base.includes('?') ? '&' : '?'}offset=${offset}&limit=${page.limit}">${label}</a>`;
  return html`<div class="pager"><span class="muted">${page.total === 0 ? 0 : page.offset + 1}–${Math.min(page.total, page.offset + page.limit)} of ${page.total}</span>${
    previous !== undefined ? link(previous, '← previous') : ''
  }${page.nextOffset !== undefined ? link(page.nextOffset, 'next →') : ''}</div>`;
}
