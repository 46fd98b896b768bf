/** The home page: every indexed repository with its newest graph, and a symbol search box with results as you type. */
import { html } from '../html.js';
import type { PageResult, WebContext } from '../context.js';
import { repositoryPath } from '../urls.js';
import { shortCommit, statsLine, timeElement } from './common.js';

export async function homePage(context: WebContext): Promise<PageResult> {
  const repositories = await context.hub.store.listRepositories();
  const rows = repositories.map((repository) => {
    const newest = repository.newest;
    return html`<tr><td><a class="mono" href="${repositoryPath({ repository: repository.name })}">${repository.name}</a></td>${
      newest
        ? html`<td><a class="mono" href="${repositoryPath({ repository: repository.name, commit: newest.commit })}" title="${newest.commit}">${shortCommit(newest.commit)}</a></td><td>${timeElement(newest.indexedAt)}</td><td>${statsLine(newest.stats)}</td>`
        : html`<td colspan="3" class="empty">no published graph</td>`
    }<td class="num">${repository.graphCount}</td></tr>`;
  });
  const table =
    repositories.length === 0
      ? html`<p class="empty">No repository has been indexed yet. Run <code>graphhub index PATH</code>.</p>`
      : html`<table class="list"><thead><tr><th>repository</th><th>newest graph</th><th>indexed</th><th>counts</th><th class="num">graphs</th></tr></thead><tbody>${rows}</tbody></table>`;
  return {
    title: 'graphhub',
    hideTopSearch: true,
    body: html`<h1>graphhub</h1>
<p class="muted">Callers, callees, tests and uses in the wild of every function of every indexed repository.</p>
<form class="home-search" action="/-/search" method="get" role="search">
<input type="search" name="q" placeholder="Search symbols, e.g. startContainer" autocomplete="off" autofocus aria-label="Search symbols" data-search-target="home-results">
<ul class="results" id="home-results" aria-live="polite"></ul>
</form>
<h2>Repositories <span class="count">${repositories.length}</span></h2>
${table}
<p class="muted"><a href="/-/jobs">Indexing jobs</a>: what the workers are indexing, and what failed.</p>`,
  };
}
