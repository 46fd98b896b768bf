import { readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex, verifyStore } from '../src/cas/content-store.js';
import { FsContentStore } from '../src/cas/fs-content-store.js';
import { GraphhubError } from '../src/model/errors.js';
import { tempDir } from './helpers/temp.js';

describe('file-system content store', () => {
  it('stores bytes under their SHA-256 and reads them back', async () => {
    const cas = new FsContentStore(tempDir());
    const bytes = Buffer.from('package main\n');
    const address = await cas.put(bytes);
    expect(address).toBe(sha256Hex(bytes));
    expect(address).toMatch(/^[0-9a-f]{64}$/);
    expect((await cas.get(address)).equals(bytes)).toBe(true);
    expect(await cas.has(address)).toBe(true);
  });

  it('shards blobs two levels deep and leaves no temporary files', async () => {
    const root = tempDir();
    const cas = new FsContentStore(root);
    const address = await cas.put(Buffer.from('x'));
    expect(existsSync(join(root, address.slice(0, 2), address.slice(2, 4), address))).toBe(true);
    expect(readdirSync(join(root, address.slice(0, 2), address.slice(2, 4)))).toEqual([address]);
  });

  it('is idempotent: the same bytes twice are one blob', async () => {
    const cas = new FsContentStore(tempDir());
    const first = await cas.put(Buffer.from('same'));
    const second = await cas.put(Buffer.from('same'));
    expect(second).toBe(first);
    const all: string[] = [];
    for await (const address of cas.addresses()) all.push(address);
    expect(all).toEqual([first]);
  });

  it('refuses a blob with a flipped byte on disk, naming the address', async () => {
    const cas = new FsContentStore(tempDir());
    const address = await cas.put(Buffer.from('func startContainer() {}\n'));
    const path = cas.pathOf(address);
    const bytes = readFileSync(path);
    bytes[5] = bytes[5]! ^ 0x01;
    writeFileSync(path, bytes);
    const error = await cas.get(address).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphhubError);
    expect((error as GraphhubError).code).toBe('integrity');
    expect((error as GraphhubError).message).toContain(address);
  });

  it('reports missing blobs as not-found and rejects malformed addresses', async () => {
    const cas = new FsContentStore(tempDir());
    const missing = 'a'.repeat(64);
    await expect(cas.get(missing)).rejects.toMatchObject({ code: 'not-found' });
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(63)}/`]) {
      await expect(cas.get(bad)).rejects.toMatchObject({ code: 'invalid-input' });
    }
  });

  it('verify lists corrupt and missing blobs', async () => {
    const cas = new FsContentStore(tempDir());
    const good = await cas.put(Buffer.from('good'));
    const bad = await cas.put(Buffer.from('bad'));
    const gone = await cas.put(Buffer.from('gone'));
    writeFileSync(cas.pathOf(bad), 'tampered');
    rmSync(cas.pathOf(gone));
    const report = await verifyStore(cas, [good, bad, gone]);
    expect(report.checked).toBe(2);
    expect(report.corrupt).toEqual([bad]);
    expect(report.missing).toEqual([gone]);
  });
});
