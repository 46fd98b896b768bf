/** Every caller or every callee of a symbol, a page at a time (the symbol page shows the first ones). */
import { callersOf, calleesOf } from '../../query/edges.js';
import { findOneSymbol } from '../../query/find-symbol.js';
import { linkNames } from '../../query/symbol-links.js';
import { graphAt, intParam, type PageResult, type WebContext } from '../context.js';
import { edgeList } from '../edge-list.js';
import { html } from '../html.js';
import { symbolHref, viewPath, type GraphAddress } from '../urls.js';
import { breadcrumb, graphLine, pager } from './common.js';

export async function edgesPage(context: WebContext, requested: GraphAddress, view: 'callers' | 'callees', query: string): Promise<PageResult> {
  const { store } = context.hub;
  const { graph, address } = await graphAt(context.hub, requested);
  const symbol = await findOneSymbol(store, graph, query);
  const options = { offset: intParam(context.url, 'offset', 0, 0, 10_000_000), limit: intParam(context.url, 'limit', 100, 1, 500) };
  const answer = view === 'callers' ? await callersOf(store, graph, symbol, options) : await calleesOf(store, graph, symbol, options);
  const edges = 'callers' in answer ? answer.callers : answer.callees;
  const names = await linkNames(store, graph, [answer.symbol, ...edges]);
  const selfName = names.get(answer.symbol.id) ?? answer.symbol.id;
  const title = view === 'callers' ? 'Callers' : 'Calls';
  const name = answer.symbol.kind === 'file' ? answer.symbol.file : answer.symbol.name;
  return {
    title: `${title} of ${name} · graphhub`,
    body: html`${breadcrumb(address, [{ label: name, href: symbolHref(address, selfName) }, { label: view, href: viewPath(address, view, selfName) }])}
<h1>${title} <span class="count">${answer.page.total}</span> <span class="sub">${answer.symbol.qualifiedName}</span></h1>
${graphLine(graph, address)}
${pager(viewPath(address, view, selfName), answer.page)}
${edgeList(address, edges, names, view === 'callers' ? 'no callers found' : 'no resolved calls')}`,
  };
}
