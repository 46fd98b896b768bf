/**
 * Excerpts decode only the lines they show (linesIn); they must be exactly
 * the lines the whole text split at `\n` gives, whatever the text: final
 * newline or not, empty lines, CRLF, multi-byte characters, invalid UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { excerptFromBlob, linesIn } from '../../src/query/source.js';
import { FsContentStore } from '../../src/cas/fs-content-store.js';
import { tempDir } from '../helpers/temp.js';

/** What an excerpt showed before: the whole text decoded and split, a final empty line dropped. */
function wholeSplit(bytes: Buffer, from: number, to: number): string[] {
  const all = bytes.toString('utf8').split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all.slice(from - 1, Math.min(to, all.length));
}

const TEXTS: Buffer[] = [
  Buffer.from(''),
  Buffer.from('\n'),
  Buffer.from('\n\n\n'),
  Buffer.from('one'),
  Buffer.from('one\n'),
  Buffer.from('one\ntwo'),
  Buffer.from('one\n\ntwo\n\n'),
  Buffer.from('crlf\r\nlines\r\n'),
  Buffer.from('é\n日本語\n🙂 emoji\nend'),
  Buffer.from([0x66, 0xff, 0xfe, 0x0a, 0xc3, 0x0a, 0xe6, 0x97, 0x0a, 0x41]),
];

describe('linesIn', () => {
  it('gives exactly the lines of the whole text, for every range', () => {
    for (const bytes of TEXTS) {
      for (let from = 1; from <= 7; from++) {
        for (let to = from; to <= 8; to++) {
          expect(linesIn(bytes, from, to), `${JSON.stringify(bytes.toString('latin1'))} ${from}-${to}`).toEqual(wholeSplit(bytes, from, to));
        }
      }
    }
  });

  it('agrees on generated texts', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'b', '\n', '\n', '\r', 'é', '語', ' '];
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]).join(''));
      const from = 1 + random(12);
      const to = from + random(6);
      expect(linesIn(bytes, from, to)).toEqual(wholeSplit(bytes, from, to));
    }
  });

  it('reports the excerpt range it could show', async () => {
    const cas = new FsContentStore(tempDir());
    const blob = await cas.put(Buffer.from('a\nb\nc\n'));
    expect(await excerptFromBlob(cas, blob, 'f.go', 2, 9)).toMatchObject({ verified: true, startLine: 2, endLine: 3, lines: ['b', 'c'] });
    expect(await excerptFromBlob(cas, blob, 'f.go', 5, 6)).toMatchObject({ verified: true, startLine: 5, endLine: 5, lines: [] });
  });
});
