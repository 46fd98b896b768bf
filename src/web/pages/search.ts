/** Search results: the no-JavaScript results page, and the fragment the search box fetches as you type. */
import { kindLabel } from '../../model/graph.js';
import { linkNames } from '../../query/symbol-links.js';
import { searchSymbols, type SearchHit } from '../../query/search.js';
import type { GraphStore } from '../../store/graph-store.js';
import { html, type SafeHtml } from '../html.js';
import { textParam, type PageResult, type WebContext } from '../context.js';
import { symbolHref } from '../urls.js';
import { shortCommit } from './common.js';

export async function searchResults(context: WebContext, limit: number): Promise<{ text: string; items: SafeHtml }> {
  const text = textParam(context.url, 'q') ?? '';
  const answer = await searchSymbols(context.hub.store, { text, limit });
  if (text.trim() === '') return { text, items: html`` };
  if (answer.hits.length === 0) return { text, items: html`<li class="empty">no symbols match ${text}</li>` };
  const names = await linkNamesOfHits(context.hub.store, answer.hits);
  const items = answer.hits.map((hit) => {
    const href = symbolHref({ repository: hit.repository }, names.get(`${hit.repository}\u0000${hit.symbol.id}`) ?? hit.symbol.id);
    return html`<li><span class="kind">${kindLabel(hit.symbol.kind)}</span><a class="mono" href="${href}">${hit.symbol.qualifiedName}</a> <span class="muted">${hit.symbol.file}:${hit.symbol.line} · ${hit.repository}@${shortCommit(hit.commit)}</span></li>`;
  });
  return { text, items: html`${items}` };
}

async function linkNamesOfHits(store: GraphStore, hits: SearchHit[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const byRepository = new Map<string, SearchHit[]>();
  for (const hit of hits) byRepository.set(hit.repository, [...(byRepository.get(hit.repository) ?? []), hit]);
  for (const [repository, group] of byRepository) {
    const graph = await store.findGraph(repository);
    if (!graph || graph.commit !== group[0]!.commit) continue;
    const links = await linkNames(store, graph, group.map((hit) => hit.symbol));
    for (const [id, name] of links) names.set(`${repository}\u0000${id}`, name);
  }
  return names;
}

export async function searchPage(context: WebContext): Promise<PageResult> {
  const { text, items } = await searchResults(context, 50);
  return {
    title: text ? `${text} · search · graphhub` : 'search · graphhub',
    searchText: text,
    body: html`<h1>Search</h1>${text ? html`<p class="muted">symbols matching <span class="mono">${text}</span> in the newest graph of every repository</p>` : html`<p class="muted">Type a name in the search box.</p>`}<ul class="results">${items}</ul>`,
  };
}
