/**
 * Source text as HTML: highlighted on the server, one element per line with
 * its number, optional line anchors (`#L12`) and links on definitions.
 * Every piece of text goes through the escaping template.
 */
import { highlight, type HighlightSpan } from '../languages/highlight.js';
import type { SourceExcerpt } from '../query/source.js';
import { html, type SafeHtml } from './html.js';

export interface DefinitionLink {
  line: number;
  /** 1-based column in UTF-8 bytes, as the graph stores it; 0 when unknown. */
  col: number;
  name: string;
  href: string;
}

export interface SourceViewOptions {
  languageId: string | undefined;
  /** Give each line an `id="L12"` anchor (the file page). */
  anchors: boolean;
  /** Where a line number links to (default `#L12`). */
  lineHref?: (line: number) => string;
  /** Lines outside this range are dimmed as context. */
  focus?: { startLine: number; endLine: number };
  definitions?: DefinitionLink[];
}

/**
 * Highlighted lines by blob, range and language. The key names the content
 * (a blob address is the hash of its bytes) and the excerpt was verified
 * against that address just now, so a hit is the highlighting of exactly
 * these lines; only the parse is saved, never the verification.
 */
const highlightCache = new Map<string, HighlightSpan[][]>();
const HIGHLIGHT_CACHE_ENTRIES = 256;

function highlightedLines(excerpt: SourceExcerpt, languageId: string | undefined): HighlightSpan[][] {
  if (!excerpt.verified) return highlight(excerpt.lines.join('\n'), languageId);
  const key = `${excerpt.blob}:${excerpt.startLine}:${excerpt.endLine}:${languageId ?? ''}`;
  const cached = highlightCache.get(key);
  if (cached) {
    highlightCache.delete(key);
    highlightCache.set(key, cached);
    return cached;
  }
  const lines = highlight(excerpt.lines.join('\n'), languageId);
  highlightCache.set(key, lines);
  if (highlightCache.size > HIGHLIGHT_CACHE_ENTRIES) highlightCache.delete(highlightCache.keys().next().value as string);
  return lines;
}

/**
 * Rendered excerpts up to this many lines are remembered, keyed like the
 * highlighting plus everything the options put into the markup: a symbol
 * page's source is then rendered once, and only re-read and re-verified.
 */
const RENDER_CACHE_MAX_LINES = 400;
const renderCache = new Map<string, SafeHtml>();
const RENDER_CACHE_ENTRIES = 256;

export function sourceView(excerpt: SourceExcerpt, options: SourceViewOptions): SafeHtml {
  if (!excerpt.verified || excerpt.lines.length > RENDER_CACHE_MAX_LINES) return renderSourceView(excerpt, options);
  const key = JSON.stringify([
    excerpt.blob,
    excerpt.startLine,
    excerpt.endLine,
    options.languageId ?? '',
    options.anchors,
    // Line links differ only by their line number, so one of them stands for all.
    options.lineHref ? options.lineHref(excerpt.startLine) : '',
    options.focus ?? null,
    options.definitions ?? [],
  ]);
  const cached = renderCache.get(key);
  if (cached) {
    renderCache.delete(key);
    renderCache.set(key, cached);
    return cached;
  }
  const rendered = renderSourceView(excerpt, options);
  renderCache.set(key, rendered);
  if (renderCache.size > RENDER_CACHE_ENTRIES) renderCache.delete(renderCache.keys().next().value as string);
  return rendered;
}

function renderSourceView(excerpt: SourceExcerpt, options: SourceViewOptions): SafeHtml {
  const highlighted = highlightedLines(excerpt, options.languageId);
  const definitionsByLine = new Map<number, DefinitionLink>();
  for (const definition of options.definitions ?? []) {
    if (!definitionsByLine.has(definition.line)) definitionsByLine.set(definition.line, definition);
  }
  const rows = excerpt.lines.map((text, index) => {
    const line = excerpt.startLine + index;
    const spans = highlighted[index] ?? (text === '' ? [] : [{ text }]);
    const definition = definitionsByLine.get(line);
    const range = definition ? nameRange(text, definition) : undefined;
    const context = options.focus && (line < options.focus.startLine || line > options.focus.endLine);
    const href = options.lineHref ? options.lineHref(line) : `#L${line}`;
    return html`<span class="line${context ? ' context' : ''}"${options.anchors ? html` id="L${line}"` : ''}><a class="ln" href="${href}">${line}</a><span class="src">${renderSpans(spans, range, definition?.href)}</span></span>`;
  });
  return html`<pre class="code"><code>${rows}</code></pre>`;
}

/** The character range of a definition's name in its line, or undefined when it is not where the graph says. */
function nameRange(text: string, definition: DefinitionLink): [number, number] | undefined {
  if (definition.col > 0) {
    const start = Buffer.from(text, 'utf8').subarray(0, definition.col - 1).toString('utf8').length;
    if (text.startsWith(definition.name, start)) return [start, start + definition.name.length];
  }
  // Without a usable column, the first whole-word occurrence (`run` in `func (r *runner) run(`).
  if (definition.name === '') return undefined;
  const identifier = /[\p{L}\p{N}_$]/u;
  for (let index = text.indexOf(definition.name); index >= 0; index = text.indexOf(definition.name, index + 1)) {
    const before = text[index - 1];
    const after = text[index + definition.name.length];
    if ((before === undefined || !identifier.test(before)) && (after === undefined || !identifier.test(after))) {
      return [index, index + definition.name.length];
    }
  }
  return undefined;
}

function spanHtml(span: HighlightSpan): SafeHtml {
  if (!span.scope) return html`${span.text}`;
  return html`<span class="hl-${span.scope.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}">${span.text}</span>`;
}

function renderSpans(spans: HighlightSpan[], range: [number, number] | undefined, href: string | undefined): SafeHtml {
  if (!range || !href) return html`${spans.map(spanHtml)}`;
  const before: SafeHtml[] = [];
  const inside: SafeHtml[] = [];
  const after: SafeHtml[] = [];
  let offset = 0;
  for (const span of spans) {
    const end = offset + span.text.length;
    const pieces: Array<[number, number, SafeHtml[]]> = [
      [offset, Math.min(end, range[0]), before],
      [Math.max(offset, range[0]), Math.min(end, range[1]), inside],
      [Math.max(offset, range[1]), end, after],
    ];
    for (const [from, to, target] of pieces) {
      if (to > from) target.push(spanHtml({ ...span, text: span.text.slice(from - offset, to - offset) }));
    }
    offset = end;
  }
  return html`${before}<a class="def" href="${href}">${inside}</a>${after}`;
}
