/**
 * A file name's bytes as the text the graph records. Names are bytes (git
 * and Linux allow any but `/` and NUL): a UTF-8 name is its text; any other
 * has each byte above 0x7f, and each `%`, written `%XX`. Why not decode it
 * anyway: every invalid byte would become U+FFFD, so two files could share
 * one path (the index failed on the duplicate row) and the text would name
 * no file on disk (a working tree's graph lost it).
 */
export function pathText(raw: Uint8Array): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let escaped = '';
  for (const byte of bytes) escaped += byte >= 0x80 || byte === 0x25 ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
  return escaped;
}

/** The parts of NUL-separated output (git's `-z`), as bytes. */
export function splitNul(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0); at >= 0; at = bytes.indexOf(0, start)) {
    if (at > start) parts.push(bytes.subarray(start, at));
    start = at + 1;
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return parts;
}
