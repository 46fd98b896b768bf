/**
 * The static assets (one stylesheet, one script, an icon), read once from
 * src/web/assets/ and served from memory under /-/assets/NAME. A version
 * hash in the links lets browsers cache them for a year. Names are looked up
 * in this fixed table; no URL ever becomes a file path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
  version: string;
}

const CONTENT_TYPES: Record<string, string> = {
  'hub.css': 'text/css; charset=utf-8',
  'hub.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

function assetDirectory(): string {
  // Compiled code runs from dist/web/; the assets stay in src/web/assets (like the .scm query files).
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here.replace(/([\\/])dist([\\/])/, '$1src$2'), 'assets');
}

function loadAssets(): Map<string, Asset> {
  const directory = assetDirectory();
  const assets = new Map<string, Asset>();
  for (const [name, contentType] of Object.entries(CONTENT_TYPES)) {
    const body = readFileSync(join(directory, name));
    assets.set(name, { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  }
  return assets;
}

export const ASSETS: ReadonlyMap<string, Asset> = loadAssets();

/** `/-/assets/hub.css?v=…`: the URL to link, versioned by content. */
export function assetHref(name: keyof typeof CONTENT_TYPES & string): string {
  const asset = ASSETS.get(name);
  return `/-/assets/${name}${asset ? `?v=${asset.version}` : ''}`;
}
