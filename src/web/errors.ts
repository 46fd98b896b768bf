/**
 * How the web surface reports failure, mapped once: GraphhubError code →
 * HTTP status, JSON body for the API and a page for people. Anything that
 * is not a GraphhubError is a bug: a 500 that names no internals.
 */
import { GraphhubError, type ErrorCode } from '../model/errors.js';
import { kindLabel, type SymbolKind } from '../model/graph.js';
import { html, type SafeHtml } from './html.js';
import { repositoryPath, symbolHref, type GraphAddress } from './urls.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'not-found': 404,
  // The API answers 409 Conflict; pages answer 300 Multiple Choices with the choices (see statusFor).
  ambiguous: 409,
  integrity: 500,
  'source-unavailable': 502,
  conflict: 409,
  unavailable: 503,
};

export function statusFor(error: GraphhubError, surface: 'page' | 'api'): number {
  if (error.code === 'ambiguous' && surface === 'page') return 300;
  return HTTP_STATUS[error.code];
}

export interface ErrorBody {
  error: { code: ErrorCode | 'internal' | 'method-not-allowed' | 'too-large'; message: string; suggestions?: string[]; choices?: unknown[] };
}

export function errorBody(error: unknown): ErrorBody {
  if (!(error instanceof GraphhubError)) return { error: { code: 'internal', message: 'internal error' } };
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  const suggestions = error.details?.suggestions;
  const choices = error.details?.choices;
  if (Array.isArray(suggestions)) body.error.suggestions = suggestions.slice(0, 20) as string[];
  if (Array.isArray(choices)) body.error.choices = choices.slice(0, 200);
  return body;
}

const TITLES: Record<ErrorCode, string> = {
  'invalid-input': 'Bad request',
  'not-found': 'Not found',
  ambiguous: 'Several matches',
  integrity: 'Integrity error',
  'source-unavailable': 'Source unavailable',
  conflict: 'Conflict',
  unavailable: 'Unavailable',
};

interface SymbolChoiceLike {
  id: string;
  kind: SymbolKind;
  qualifiedName: string;
  file: string;
  line: number;
  repository: string;
}

/** The body of an error page: the message and what to do instead (nearest names, or the choices). */
export function errorPageBody(error: unknown, address: GraphAddress | undefined): { title: string; body: SafeHtml } {
  if (!(error instanceof GraphhubError)) {
    return { title: 'Internal error', body: html`<h1>Internal error</h1><p class="error-box">The hub failed to answer this request. The error was logged.</p>` };
  }
  const title = TITLES[error.code];
  const suggestions = Array.isArray(error.details?.suggestions) ? (error.details.suggestions as string[]) : [];
  const choices = Array.isArray(error.details?.choices) ? (error.details.choices as unknown[]) : [];
  const suggestionList =
    suggestions.length > 0
      ? html`<h2>Nearest names</h2><ul class="plain-list">${suggestions.map(
          (name) => html`<li><a class="mono" href="${address ? symbolHref(address, name) : repositoryPath({ repository: name })}">${name}</a></li>`,
        )}</ul>`
      : '';
  const choiceList = choices.length > 0 ? html`<h2>Choose one <span class="count">${choices.length}</span></h2>${choicesHtml(choices, address)}` : '';
  return {
    title,
    body: html`<h1>${title}</h1><p class="error-box">${error.message}</p>${suggestionList}${choiceList}`,
  };
}

function choicesHtml(choices: unknown[], address: GraphAddress | undefined): SafeHtml {
  const rows = choices.slice(0, 200).map((choice) => {
    if (typeof choice === 'string') {
      // A repository name, or a commit of the addressed repository.
      const href = address && /^[0-9a-f]{40}$/.test(choice) ? repositoryPath({ repository: address.repository, commit: choice }) : repositoryPath({ repository: choice });
      return html`<li><a class="mono" href="${href}">${choice}</a></li>`;
    }
    const symbol = choice as SymbolChoiceLike;
    const pinned = address?.commit && address.repository === symbol.repository ? { commit: address.commit } : {};
    const href = symbolHref({ repository: symbol.repository, ...pinned }, symbol.id);
    return html`<li><span class="kind">${kindLabel(symbol.kind)}</span><a class="mono" href="${href}">${symbol.qualifiedName}</a><span class="muted">${symbol.file}:${symbol.line} · ${symbol.repository}</span></li>`;
  });
  return html`<ul class="plain-list">${rows}</ul>`;
}
