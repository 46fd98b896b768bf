/**
 * What every page and API handler gets: the hub, how agents connect to it,
 * the request URL; and the small helpers they share (the graph an address
 * names, integer query parameters).
 */
import type { Hub } from '../hub/hub.js';
import { invalidInput } from '../model/errors.js';
import type { GraphInfo } from '../model/graph.js';
import { findGraph } from '../query/find-symbol.js';
import type { SafeHtml } from './html.js';
import type { McpClientInfo } from './layout.js';
import type { GraphAddress } from './urls.js';

export interface WebContext {
  hub: Hub;
  mcp: McpClientInfo;
  url: URL;
}

export interface PageResult {
  status?: number;
  title: string;
  body: SafeHtml;
  searchText?: string;
  hideTopSearch?: boolean;
}

export interface AddressedGraph {
  graph: GraphInfo;
  /** The address to put in links: the full repository name, and the full commit when the URL pinned one. */
  address: GraphAddress;
}

export async function graphAt(hub: Hub, address: GraphAddress): Promise<AddressedGraph> {
  // Links carry full names: one lookup. Suffixes, misses and ambiguity go through findGraph's rules and messages.
  const graph =
    (await hub.store.findGraph(address.repository, address.commit)) ??
    (await findGraph(hub.store, { repository: address.repository, ...(address.commit ? { commit: address.commit } : {}) }));
  return { graph, address: { repository: graph.repository, ...(address.commit ? { commit: graph.commit } : {}) } };
}

/** An integer query parameter within bounds; absent means `fallback`. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const text = url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  if (!/^-?\d{1,9}$/.test(text)) throw invalidInput(`query parameter ${name} must be an integer`);
  const value = Number(text);
  if (value < min || value > max) throw invalidInput(`query parameter ${name} must be from ${min} to ${max}`);
  return value;
}

/** A text query parameter of bounded length. */
export function textParam(url: URL, name: string, maxLength = 200): string | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  if (text.length > maxLength) throw invalidInput(`query parameter ${name} longer than ${maxLength} characters`);
  return text;
}
