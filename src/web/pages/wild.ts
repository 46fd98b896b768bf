/**
 * "Used in the wild": call sites of a symbol in other indexed repositories.
 * The symbol page fetches the fragment after it has loaded; the full page
 * is for browsers without JavaScript and for paging.
 */
import { highlightLanguageOf } from '../../languages/highlight.js';
import { findOneSymbol } from '../../query/find-symbol.js';
import { usedInTheWild, type WildAnswer } from '../../query/wild.js';
import { graphAt, intParam, type PageResult, type WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { sourceView } from '../source-view.js';
import { fileHref, repositoryPath, symbolHref, viewPath, type GraphAddress } from '../urls.js';
import { breadcrumb, shortCommit } from './common.js';

export async function wildAnswerFor(context: WebContext, requested: GraphAddress, query: string): Promise<{ answer: WildAnswer; address: GraphAddress }> {
  const { graph, address } = await graphAt(context.hub, requested);
  const symbol = await findOneSymbol(context.hub.store, graph, query);
  const offset = intParam(context.url, 'offset', 0, 0, 1_000_000);
  const limit = intParam(context.url, 'limit', 10, 1, 50);
  return { answer: await usedInTheWild(context.hub.store, context.hub.cas, graph, symbol, { offset, limit }), address };
}

export function wildFragment(answer: WildAnswer, address: GraphAddress, query: string): SafeHtml {
  if (answer.status !== 'ok') return html`<p class="empty">${answer.message ?? answer.status}</p>`;
  if (answer.totalRepositories === 0) {
    const target = answer.target ? `${answer.target.packagePath || answer.target.module}.${answer.target.symbol}` : answer.symbol.qualifiedName;
    return html`<p class="empty">no call sites of <span class="mono">${target}</span> in other indexed repositories</p>`;
  }
  const repositories = answer.repositories.map((entry) => {
    const there: GraphAddress = { repository: entry.repository, commit: entry.commit };
    const sites = entry.sites.map(
      (site) => html`<li><a class="mono" href="${fileHref(there, site.file, site.line)}">${site.file}:${site.line}</a> in <a class="mono" href="${symbolHref(there, site.caller.id)}">${site.caller.qualifiedName}</a>${
        site.excerpt && site.excerpt.verified
          ? sourceView(site.excerpt, { languageId: highlightLanguageOf(site.file), anchors: false, lineHref: (line) => fileHref(there, site.file, line), focus: { startLine: site.line, endLine: site.line } })
          : site.excerpt
            ? html`<p class="integrity-error">${site.excerpt.error ?? 'source not verified'}</p>`
            : ''
      }</li>`,
    );
    return html`<div class="wild-repo"><h3><a class="mono" href="${repositoryPath(there)}">${entry.repository}</a> <span class="muted">@${shortCommit(entry.commit)} · ${entry.relation}${entry.version ? ` ${entry.version}` : ''} · ${entry.count} call site${entry.count === 1 ? '' : 's'}${entry.forks.length > 0 ? ` · identical copies: ${entry.forks.join(', ')}` : ''}</span></h3><ul class="plain-list">${sites}</ul>${
      entry.count > entry.sites.length ? html`<p class="muted">and ${entry.count - entry.sites.length} more call sites</p>` : ''
    }</div>`;
  });
  const next =
    answer.page.nextOffset !== undefined
      ? html`<p><a href="${viewPath(address, 'wild', query)}?offset=${answer.page.nextOffset}&limit=${answer.page.limit}">more repositories →</a></p>`
      : '';
  return html`<p class="muted">${answer.totalSites} call site${answer.totalSites === 1 ? '' : 's'} in ${answer.totalRepositories} repositor${answer.totalRepositories === 1 ? 'y' : 'ies'}</p>${repositories}${next}`;
}

export async function wildPage(context: WebContext, requested: GraphAddress, query: string): Promise<PageResult> {
  const { answer, address } = await wildAnswerFor(context, requested, query);
  const name = answer.symbol.kind === 'file' ? answer.symbol.file : answer.symbol.name;
  return {
    title: `${name} used in the wild · graphhub`,
    body: html`${breadcrumb(address, [{ label: name, href: symbolHref(address, query) }, { label: 'used in the wild', href: viewPath(address, 'wild', query) }])}
<h1>Used in the wild <span class="sub">${answer.symbol.qualifiedName}</span></h1>
${wildFragment(answer, address, query)}`,
  };
}
