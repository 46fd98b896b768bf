/** The repository page (packages, folders and files, most-called symbols, indexed graphs) and the folder page. */
import { kindLabel } from '../../model/graph.js';
import type { FolderListing } from '../../query/folders.js';
import { folderListing } from '../../query/folders.js';
import { repositoryOverview } from '../../query/repository-overview.js';
import { linkNames } from '../../query/symbol-links.js';
import { graphAt, type PageResult, type WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { fileHref, repositoryPath, symbolHref, treeHref, type GraphAddress } from '../urls.js';
import { breadcrumb, graphLine, shortCommit, statsLine, timeElement } from './common.js';

export async function repositoryPage(context: WebContext, requested: GraphAddress): Promise<PageResult> {
  const { graph, address } = await graphAt(context.hub, requested);
  const overview = await repositoryOverview(context.hub.store, graph);
  const names = await linkNames(context.hub.store, graph, overview.mostCalled.map((entry) => entry.symbol));
  const mostCalled = overview.mostCalled.map(
    (entry) => html`<tr><td><span class="kind">${kindLabel(entry.symbol.kind)}</span><a class="mono" href="${symbolHref(address, names.get(entry.symbol.id) ?? entry.symbol.id)}">${entry.symbol.qualifiedName}</a></td><td class="muted">${entry.symbol.file}:${entry.symbol.line}</td><td class="num">${entry.callers}</td></tr>`,
  );
  const packages = overview.packages.map(
    (symbol) => html`<li><a class="mono" href="${treeHref(address, symbol.file)}">${symbol.qualifiedName}</a><span class="muted">${symbol.file === '' ? '(root)' : symbol.file}</span></li>`,
  );
  const graphs = overview.graphs.map(
    (item) => html`<tr><td><a class="mono" href="${repositoryPath({ repository: graph.repository, commit: item.commit })}" title="${item.commit}">${shortCommit(item.commit)}</a>${item.graphId === graph.id ? html` <span class="muted">(shown)</span>` : ''}</td><td>${timeElement(item.indexedAt)}</td><td>${statsLine(item.stats)}</td></tr>`,
  );
  const modules = overview.modules.map((module) => html`<li><span class="mono">${module.name}</span> <span class="muted">${module.ecosystem} · ${module.manifest}</span></li>`);
  return {
    title: `${graph.repository} · graphhub`,
    body: html`${breadcrumb(address)}
<h1>${graph.repository}</h1>
${graphLine(graph, address)}
<p>${statsLine(overview.stats)} <span class="muted">· ${overview.stats.unresolved} unresolved calls · ${overview.stats.externalRefs} external references</span></p>
${modules.length > 0 ? html`<h2>Modules</h2><ul class="plain-list">${modules}</ul>` : ''}
<h2>Folders and files</h2>
${listingTable(address, overview.root)}
<h2>Packages <span class="count">${overview.packages.length}</span></h2>
${packages.length > 0 ? html`<ul class="plain-list">${packages}</ul>` : html`<p class="empty">no packages</p>`}
<h2>Most called <span class="count">${overview.mostCalled.length}</span></h2>
${mostCalled.length > 0 ? html`<table class="list"><thead><tr><th>symbol</th><th>defined at</th><th class="num">callers</th></tr></thead><tbody>${mostCalled}</tbody></table>` : html`<p class="empty">no calls</p>`}
<h2>Indexed graphs <span class="count">${overview.graphs.length}</span></h2>
<table class="list"><thead><tr><th>commit</th><th>indexed</th><th>counts</th></tr></thead><tbody>${graphs}</tbody></table>`,
  };
}

export async function folderPage(context: WebContext, requested: GraphAddress, path: string): Promise<PageResult> {
  const { graph, address } = await graphAt(context.hub, requested);
  const listing = await folderListing(context.hub.store, graph, path);
  const parts = listing.path.split('/').map((segment, index, all) => ({ label: segment, href: treeHref(address, all.slice(0, index + 1).join('/')) }));
  return {
    title: `${listing.path}/ · ${graph.repository} · graphhub`,
    body: html`${breadcrumb(address, parts)}
<h1>${listing.path}/</h1>
${graphLine(graph, address)}
${listing.packages.map((symbol) => html`<p>package <span class="mono">${symbol.qualifiedName}</span></p>`)}
${listingTable(address, listing)}`,
  };
}

/** Rows one folder page shows; the JSON API lists everything. */
export const MAX_LISTING_ROWS = 2000;

function listingTable(address: GraphAddress, listing: Pick<FolderListing, 'folders' | 'files'>): SafeHtml {
  if (listing.folders.length === 0 && listing.files.length === 0) return html`<p class="empty">empty folder</p>`;
  const total = listing.folders.length + listing.files.length;
  const shownFolders = listing.folders.slice(0, MAX_LISTING_ROWS);
  const shownFiles = listing.files.slice(0, Math.max(0, MAX_LISTING_ROWS - shownFolders.length));
  const folders = shownFolders.map(
    (folder) => html`<tr><td><a class="mono" href="${treeHref(address, folder.path)}">${folder.name}/</a></td><td class="muted">folder</td><td class="num muted">${folder.files} files</td></tr>`,
  );
  const files = shownFiles.map(
    (file) => html`<tr><td><a class="mono" href="${fileHref(address, file.path)}">${file.name}</a></td><td class="muted">${file.language ?? ''}${file.skipReason ? ` not parsed: ${file.skipReason}` : ''}${file.module ? ` · module ${file.module}` : ''}</td><td class="num muted">${file.lines !== undefined ? `${file.lines} lines` : `${file.size} bytes`}</td></tr>`,
  );
  const more = total > MAX_LISTING_ROWS ? html`<p class="muted">and ${total - MAX_LISTING_ROWS} more entries (the JSON API lists them all)</p>` : '';
  return html`<table class="list"><tbody>${folders}${files}</tbody></table>${more}`;
}
