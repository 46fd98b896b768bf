/** The lines around shown source: where it came from, or the integrity error shown instead of it. */
import type { SourceExcerpt } from '../../query/source.js';
import { html, type SafeHtml } from '../html.js';

export function provenance(source: SourceExcerpt): SafeHtml {
  return html`<p class="provenance"><span class="verified">✓</span> Source from the content-addressed store, hash-verified · blob <span class="blob" title="SHA-256 of the file's bytes">${source.blob}</span></p>`;
}

export function integrityError(source: SourceExcerpt): SafeHtml {
  return html`<p class="integrity-error" role="alert">Source not shown: ${source.error ?? 'verification failed'} (blob ${source.blob}).</p>`;
}
