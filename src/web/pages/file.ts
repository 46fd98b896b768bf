/** The file page: the source from the CAS (hash-verified) with line anchors, and its symbols linked. */
import { kindLabel } from '../../model/graph.js';
import { filePage as filePageData } from '../../query/file-page.js';
import { linkNames } from '../../query/symbol-links.js';
import { highlightLanguageOf } from '../../languages/highlight.js';
import { graphAt, intParam, type PageResult, type WebContext } from '../context.js';
import { html } from '../html.js';
import { sourceView } from '../source-view.js';
import { fileHref, symbolHref, treeHref, viewPath, type GraphAddress } from '../urls.js';
import { breadcrumb, graphLine } from './common.js';
import { integrityError, provenance } from './source-parts.js';

export async function filePage(context: WebContext, requested: GraphAddress, path: string): Promise<PageResult> {
  const { graph, address } = await graphAt(context.hub, requested);
  const startLine = intParam(context.url, 'start', 1, 1, 100_000_000);
  const page = await filePageData(context.hub.store, context.hub.cas, graph, path, { startLine });
  const names = await linkNames(context.hub.store, graph, page.symbols);
  const href = (id: string) => symbolHref(address, names.get(id) ?? id);
  const segments = page.file.path.split('/');
  const parts = segments.map((segment, index) => ({
    label: segment,
    href: index === segments.length - 1 ? fileHref(address, page.file.path) : treeHref(address, segments.slice(0, index + 1).join('/')),
  }));
  const symbols = page.symbols.map(
    (symbol) => html`<li><span class="kind">${kindLabel(symbol.kind)}</span><a class="mono" href="${href(symbol.id)}">${symbol.receiver ? `${symbol.receiver}.` : ''}${symbol.name}</a><a class="muted" href="#L${symbol.line}">line ${symbol.line}</a></li>`,
  );
  let source = html``;
  if (page.withheld) source = html`<p class="empty">Not shown: ${page.withheld}.</p>`;
  else if (page.source && !page.source.verified) source = integrityError(page.source);
  else if (page.source) {
    const shown = page.source;
    const total = page.file.lines;
    const base = viewPath(address, 'file', page.file.path);
    const more =
      total !== undefined && shown.endLine < total
        ? html`<p class="pager"><span class="muted">lines ${shown.startLine}–${shown.endLine} of ${total}</span><a href="${base}?start=${shown.endLine + 1}">next lines →</a></p>`
        : shown.startLine > 1
          ? html`<p class="pager"><span class="muted">lines ${shown.startLine}–${shown.endLine}</span><a href="${base}">from the start</a></p>`
          : '';
    source = html`${provenance(shown)}${more}${sourceView(shown, {
      languageId: highlightLanguageOf(page.file.path, page.file.language),
      anchors: true,
      definitions: page.symbols.map((symbol) => ({ line: symbol.line, col: 0, name: symbol.name, href: href(symbol.id) })),
    })}`;
  }
  return {
    status: page.source && !page.source.verified ? 500 : 200,
    title: `${page.file.path} · ${graph.repository} · graphhub`,
    body: html`${breadcrumb(address, parts)}
<h1>${page.file.path}</h1>
${graphLine(graph, address)}
<p class="muted">${page.file.language ?? 'no indexed language'} · ${page.file.lines !== undefined ? `${page.file.lines} lines · ` : ''}${page.file.size} bytes${page.file.module ? ` · vendored module ${page.file.module}` : ''}${page.file.skipReason ? ` · not parsed: ${page.file.skipReason}` : ''}</p>
${symbols.length > 0 ? html`<details class="more" open><summary>Symbols <span class="count">${symbols.length}</span></summary><ul class="plain-list">${symbols}</ul></details>` : ''}
${source}`,
  };
}
