/**
 * Lists of callers and callees: name, kind, confidence (the strategy on
 * hover), a link and the call-site lines.
 */
import { kindLabel } from '../model/graph.js';
import type { EdgeItem } from '../query/views.js';
import { html, type SafeHtml } from './html.js';
import { fileHref, symbolHref, type GraphAddress } from './urls.js';

export function edgeList(
  address: GraphAddress,
  edges: EdgeItem[],
  linkNames: Map<string, string>,
  empty: string,
): SafeHtml {
  if (edges.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<ul class="edges">${edges.map((edge) => edgeRow(address, edge, linkNames))}</ul>`;
}

function edgeRow(address: GraphAddress, edge: EdgeItem, linkNames: Map<string, string>): SafeHtml {
  // A File caller is code at file level (a closure in a package-level var): its link is the call site itself.
  const isFile = edge.kind === 'file';
  const firstSite = edge.sites[0];
  const href = isFile ? fileHref(address, edge.file, firstSite?.line) : symbolHref(address, linkNames.get(edge.id) ?? edge.id);
  const name = isFile ? edge.file : edge.name;
  const sites = edge.sites.slice(0, 20).map(
    (site, index) => html`${index > 0 ? ', ' : ''}<a href="${fileHref(address, site.file, site.line)}">${site.file}:${site.line}</a>`,
  );
  const moreSites = edge.sites.length > 20 ? html` and ${edge.sites.length - 20} more` : '';
  return html`<li><a class="name" href="${href}" title="${edge.qualifiedName}">${name}</a>${
    isFile ? '' : html`<span class="qualified">${edge.qualifiedName}</span>`
  }<span class="meta"><span class="kind">${kindLabel(edge.kind)}</span> · <span class="conf" title="${edge.strategy}: ${edge.strategyDescription}">${edge.confidence.toFixed(2)}</span></span><span class="sites">${edge.sites.length === 1 ? 'call at ' : 'calls at '}${sites}${moreSites}</span></li>`;
}
