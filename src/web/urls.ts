/**
 * The hub's URLs, built and parsed in one place so that every link is one
 * the router understands:
 *
 *   /                                             home
 *   /-/search?q=TEXT                              search results
 *   /-/jobs[?state=STATE]                         indexing jobs
 *   /-/assets/NAME                                CSS, JS, icon
 *   /REPO[@COMMIT]                                repository
 *   /REPO[@COMMIT]/-/tree/PATH                    folder
 *   /REPO[@COMMIT]/-/file/PATH[#L12]              file
 *   /REPO[@COMMIT]/-/symbol/QUERY                 symbol (qualified name or id)
 *   /REPO[@COMMIT]/-/callers/QUERY, …/-/callees/QUERY, …/-/wild/QUERY
 *   /api/…                                        the same data as JSON
 *   /mcp                                          MCP over Streamable HTTP
 *
 * REPO is the canonical name with its slashes (github.com/opencontainers/runc);
 * `@COMMIT` (a hash or a unique prefix; `dir-…` for a directory snapshot) pins
 * a graph, without it the newest graph is shown.
 */
import { invalidInput } from '../model/errors.js';

export interface GraphAddress {
  repository: string;
  /** The pinned commit, as given; undefined for the newest graph. */
  commit?: string;
}

export const VIEWS = ['tree', 'file', 'symbol', 'callers', 'callees', 'tests', 'impact', 'wild', 'source'] as const;
export type View = (typeof VIEWS)[number];

export type HubPath =
  | { kind: 'repository'; address: GraphAddress }
  | { kind: 'view'; address: GraphAddress; view: View; rest: string };

/** A commit hash or unique prefix; `dir-…` names the snapshot of a plain directory (indexer/index-repository.ts). */
const COMMIT = /^(?:dir-)?[0-9a-fA-F]{4,64}$/;
export const MAX_PATH_LENGTH = 4096;

/** Percent-encodes one path segment, keeping `:` and `@` readable (they are safe in a path). */
function encodeSegment(segment: string, keepAt: boolean): string {
  const encoded = encodeURIComponent(segment).replace(/%3A/gi, ':');
  return keepAt ? encoded.replace(/%40/g, '@') : encoded;
}

function encodePath(path: string, keepAt: boolean): string {
  return path.split('/').map((segment) => encodeSegment(segment, keepAt)).join('/');
}

function decodeSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw invalidInput(`malformed percent-encoding in URL segment ${JSON.stringify(segment.slice(0, 100))}`);
  }
  // Control characters have no business in names or paths; refusing them early keeps logs and pages sane.
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw invalidInput('control character in URL');
  return decoded;
}

export function repositoryPath(address: GraphAddress): string {
  return `/${encodePath(address.repository, false)}${address.commit ? `@${encodeURIComponent(address.commit)}` : ''}`;
}

export function viewPath(address: GraphAddress, view: View, rest: string): string {
  return `${repositoryPath(address)}/-/${view}/${encodePath(rest, true)}`;
}

export function fileHref(address: GraphAddress, path: string, line?: number): string {
  return `${viewPath(address, 'file', path)}${line !== undefined ? `#L${line}` : ''}`;
}

export function treeHref(address: GraphAddress, path: string): string {
  return path === '' ? repositoryPath(address) : viewPath(address, 'tree', path);
}

export function symbolHref(address: GraphAddress, linkName: string): string {
  return viewPath(address, 'symbol', linkName);
}

export function apiPath(pagePath: string): string {
  return `/api${pagePath}`;
}

export function searchHref(text: string): string {
  return `/-/search?q=${encodeURIComponent(text)}`;
}

/**
 * `view source on GitHub` for repositories named github.com/ORG/REPO: exactly
 * the symbol's lines at the indexed commit. Undefined for other hosts.
 */
export function githubHref(repository: string, commit: string, path: string, startLine: number, endLine: number): string | undefined {
  const match = /^github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (!match || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const lines = endLine > startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  return `https://github.com/${match[1]}/${match[2]}/blob/${commit}/${encodePath(path, false)}${lines}`;
}

/**
 * Parses the path of a repository URL (without a leading `/api`). Returns
 * undefined for a path that is not a repository URL at all; throws
 * `invalid-input` for one that is malformed.
 */
export function parseHubPath(pathname: string): HubPath | undefined {
  if (pathname.length > MAX_PATH_LENGTH) throw invalidInput('URL path too long');
  const raw = pathname.replace(/^\/+/, '').split('/');
  if (raw.length === 0 || raw[0] === '' || raw[0] === '-') return undefined;
  const separator = raw.indexOf('-');
  const repositorySegments = separator < 0 ? raw : raw.slice(0, separator);
  while (repositorySegments.length > 0 && repositorySegments[repositorySegments.length - 1] === '') repositorySegments.pop();
  if (repositorySegments.length === 0) return undefined;
  const last = repositorySegments[repositorySegments.length - 1]!;
  const at = last.lastIndexOf('@');
  let commit: string | undefined;
  if (at > 0 && COMMIT.test(last.slice(at + 1))) {
    commit = last.slice(at + 1).toLowerCase();
    repositorySegments[repositorySegments.length - 1] = last.slice(0, at);
  }
  const names = repositorySegments.map(decodeSegment);
  if (names.some((name) => name === '' || name === '.' || name === '..')) throw invalidInput('bad repository name in URL');
  const address: GraphAddress = { repository: names.join('/'), ...(commit ? { commit } : {}) };
  if (separator < 0) return { kind: 'repository', address };
  const view = raw[separator + 1];
  if (!view || !(VIEWS as readonly string[]).includes(view)) throw invalidInput(`unknown view ${JSON.stringify((view ?? '').slice(0, 40))}`);
  const rest = raw.slice(separator + 2).map(decodeSegment).join('/');
  return { kind: 'view', address, view: view as View, rest };
}
