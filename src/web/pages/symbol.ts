/**
 * The symbol page, SPEC §1: breadcrumb; kind, name, `file:start–end` and the
 * GitHub link; signature; highlighted, hash-verified source with context;
 * Callers and Calls sorted by confidence with their call sites; Tested by;
 * Used in the wild (loaded after the page).
 */
import { highlightLanguageOf } from '../../languages/highlight.js';
import { kindLabel } from '../../model/graph.js';
import { findOneSymbol } from '../../query/find-symbol.js';
import { symbolPage as symbolPageData } from '../../query/symbol-page.js';
import { linkNames } from '../../query/symbol-links.js';
import type { TestsAnswer } from '../../query/tests.js';
import { graphAt, type PageResult, type WebContext } from '../context.js';
import { edgeList } from '../edge-list.js';
import { html, type SafeHtml } from '../html.js';
import { sourceView } from '../source-view.js';
import { fileHref, githubHref, symbolHref, viewPath, type GraphAddress } from '../urls.js';
import { breadcrumb, graphLine } from './common.js';
import { integrityError, provenance } from './source-parts.js';

/** Callers and calls shown on the page; the list pages show the rest. */
export const EDGES_ON_PAGE = 100;

export async function symbolPage(context: WebContext, requested: GraphAddress, query: string): Promise<PageResult> {
  const { store, cas } = context.hub;
  const { graph, address } = await graphAt(context.hub, requested);
  const symbol = await findOneSymbol(store, graph, query);
  const page = await symbolPageData(store, cas, graph, symbol, { edgeLimit: EDGES_ON_PAGE });
  const { callers, callees } = page;
  const names = await linkNames(store, graph, [page.symbol, ...callers, ...callees]);
  const selfName = names.get(page.symbol.id) ?? page.symbol.id;
  const s = page.symbol;
  const github = s.kind === 'package' ? undefined : githubHref(graph.repository, graph.commit, s.file, s.startLine, s.endLine);
  const displayName = s.kind === 'file' ? s.file : s.name;

  let source: SafeHtml = html``;
  if (page.source && !page.source.verified) source = integrityError(page.source);
  else if (page.source) {
    source = html`${provenance(page.source)}${sourceView(page.source, {
      languageId: highlightLanguageOf(s.file, symbol.language),
      anchors: false,
      lineHref: (line) => fileHref(address, s.file, line),
      focus: { startLine: s.startLine, endLine: s.endLine },
    })}`;
  }

  const moreLink = (view: 'callers' | 'callees', total: number) =>
    total > EDGES_ON_PAGE ? html`<p><a href="${viewPath(address, view, selfName)}">all ${total} ${view === 'callers' ? 'callers' : 'calls'} →</a></p>` : '';
  // The unresolved counts are always shown: zero is information too (nothing the graph could not tie down).
  // Never a silent zero: only calls that could be calls of this symbol count (its name, a receiver of unknown type).
  const unresolvedCallers = html`<p class="muted unresolved">${plural(page.possibleCallersUnresolved, 'possible caller')} unresolved (calls of this name whose receiver's type is unknown)</p>`;
  const unresolvedCalls =
    page.unresolvedCalls.length > 0
      ? html`<details class="more unresolved"><summary>${plural(page.unresolvedCalls.length, 'unresolved call site')}</summary><ul class="plain-list">${page.unresolvedCalls.map(
          (call) => html`<li><span class="mono">${call.receiver ? `${call.receiver}.` : ''}${call.name}</span><a class="muted" href="${fileHref(address, call.site.file, call.site.line)}">${call.site.file}:${call.site.line}</a><span class="muted">${call.reason}</span></li>`,
        )}</ul></details>`
      : html`<p class="muted unresolved">0 unresolved call sites</p>`;
  const externalCalls =
    page.externalCalls.length > 0
      ? html`<details class="more"><summary>${page.externalCalls.length} call${page.externalCalls.length === 1 ? '' : 's'} into other modules</summary><ul class="plain-list">${page.externalCalls.map(
          (ref) => html`<li><span class="mono">${ref.packagePath}.${ref.symbol}</span><span class="muted">${ref.module}</span><a class="muted" href="${fileHref(address, ref.site.file, ref.site.line)}">${ref.site.file}:${ref.site.line}</a><span class="conf muted" title="${ref.strategy}">${ref.confidence.toFixed(2)}</span></li>`,
        )}</ul></details>`
      : '';

  const wildSource = `${viewPath(address, 'wild', selfName)}?fragment=1`;
  return {
    status: page.source && !page.source.verified ? 500 : 200,
    title: `${displayName} · ${graph.repository} · graphhub`,
    body: html`${breadcrumb(address, [{ label: displayName, href: symbolHref(address, selfName) }])}
<h1><span class="kind">${kindLabel(s.kind)}</span>${displayName}</h1>
<p class="where"><a class="mono" href="${fileHref(address, s.file, s.startLine)}">${s.file}:${s.startLine}–${s.endLine}</a>${
      github ? html` · <a href="${github}" rel="noopener noreferrer">view source on GitHub ↗</a>` : ''
    } · <span class="mono muted">${s.qualifiedName}</span></p>
${graphLine(graph, address)}
${s.signature ? html`<pre class="signature">${s.signature}</pre>` : ''}
${s.doc ? html`<div class="doc">${s.doc}</div>` : ''}
<section class="source">${source}</section>
<section class="callers"><h2>Callers <span class="count">${page.callerCount}</span></h2>
${edgeList(address, callers, names, 'no callers found')}${moreLink('callers', page.callerCount)}${unresolvedCallers}</section>
<section class="callees"><h2>Calls <span class="count">${page.calleeCount}</span></h2>
${edgeList(address, callees, names, 'no resolved calls')}${moreLink('callees', page.calleeCount)}${unresolvedCalls}${externalCalls}</section>
<section class="tests"><h2>Tested by${page.tests.status === 'covered' ? html` <span class="count">${page.tests.tests.length + page.tests.more}</span>` : ''}</h2>
${testsHtml(address, page.tests)}</section>
<section class="wild" data-src="${wildSource}" data-state="loading"><h2>Used in the wild <span class="sub">real call sites across dependent graphs</span></h2>
<p class="status" data-status>searching dependent graphs…</p>
<noscript><p><a href="${viewPath(address, 'wild', selfName)}">show uses in the wild</a></p></noscript>
<div data-body></div></section>`,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function testsHtml(address: GraphAddress, tests: TestsAnswer): SafeHtml {
  const coverage = tests.coverage
    ? html`<p class="muted">runtime coverage: ${tests.coverage.covered} of ${tests.coverage.total} instrumented lines ran (${tests.coverage.report.format} report ${tests.coverage.report.source})</p>`
    : '';
  if (tests.status === 'none') return html`<p class="empty">no test coverage detected</p>${coverage}`;
  if (tests.status === 'unknown') {
    return html`<p class="empty">no test coverage detected — but unresolved calls of this name could hide a test</p>${coverage}`;
  }
  const rows = tests.tests.map(
    (reach) => html`<li><a class="name" href="${symbolHref(address, reach.test.id)}">${reach.test.name}</a><span class="muted">${reach.path.map((step, index) => html`${index > 0 ? ' → ' : ''}${step.name}`)}</span><span class="meta"><a href="${fileHref(address, reach.test.file, reach.test.line)}">${reach.test.file}:${reach.test.line}</a> · <span class="conf" title="product of the confidences along the path">${reach.confidence.toFixed(2)}</span>${
      reach.confirmedByCoverage ? html` · <span title="the runtime coverage report saw it run">confirmed by coverage</span>` : ''
    }</span></li>`,
  );
  return html`<ul class="edges">${rows}</ul>${tests.more > 0 ? html`<p class="muted">and ${tests.more} more</p>` : ''}${coverage}`;
}
