/**
 * The one way HTML is produced: a tagged template that escapes every
 * interpolated value unless it is already SafeHtml (the result of another
 * `html` template, or a constant marked with `trustedHtml`). Repository
 * content — code, paths, names, messages — is only ever interpolated, so it
 * is always escaped.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

const NEEDS_ESCAPING = /[&<>"'`]/;

export function escapeHtml(text: string): string {
  // Most names and code need no escaping: skip the replace (and its allocation) then.
  return NEEDS_ESCAPING.test(text) ? text.replace(/[&<>"'`]/g, (char) => ESCAPES[char]!) : text;
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** html`<a href="${url}">${name}</a>`: every `${…}` is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let index = 0; index < values.length; index++) out += render(values[index]!) + strings[index + 1]!;
  return new SafeHtml(out);
}

/** Marks a constant written in this code base as HTML. Never pass it data. */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}
