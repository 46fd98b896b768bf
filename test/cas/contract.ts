/**
 * The content-store contract: the embedded store (files) and the database
 * store (PostgreSQL) pass the same suite. Each backend says how to damage a
 * blob behind the store's back, so that the integrity check is tested
 * against real corruption of that backend's storage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex, verifyStore, type ContentStore } from '../../src/cas/content-store.js';
import { GraphhubError } from '../../src/model/errors.js';

export interface ContentStoreFactory {
  open(): Promise<ContentStore>;
  /** Replaces the stored bytes of `address` without going through the store. */
  tamper(store: ContentStore, address: string, bytes: Buffer): Promise<void>;
  /** Deletes the stored bytes of `address` without going through the store. */
  remove(store: ContentStore, address: string): Promise<void>;
}

export function contentStoreContract(name: string, factory: ContentStoreFactory): void {
  describe(`content store contract: ${name}`, () => {
    let cas: ContentStore;
    beforeEach(async () => {
      cas = await factory.open();
    });
    afterEach(async () => {
      await cas.close();
    });

    it('stores bytes under their SHA-256 and reads them back', async () => {
      const bytes = Buffer.from('package main\n');
      const address = await cas.put(bytes);
      expect(address).toBe(sha256Hex(bytes));
      expect(address).toMatch(/^[0-9a-f]{64}$/);
      expect((await cas.get(address)).equals(bytes)).toBe(true);
      expect(await cas.has(address)).toBe(true);
      expect(await cas.has('0'.repeat(64))).toBe(false);
    });

    it('answers which of many addresses it holds, however many are asked', async () => {
      const blobs = Array.from({ length: 1200 }, (_, i) => Buffer.from(`package p${i}\n`));
      const stored = await cas.putMany(blobs.filter((_, i) => i % 2 === 0));
      const asked = blobs.map((bytes) => sha256Hex(bytes));
      // Repeats, and more addresses than one statement takes.
      const found = await cas.hasMany([...asked, ...asked.slice(0, 10)]);
      expect(found).toEqual(new Set(stored));
      expect(await cas.hasMany([])).toEqual(new Set());
    });

    it('keeps every byte value, empty blobs and large blobs', async () => {
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const large = Buffer.alloc(300 * 1024, 'func f() {}\n');
      large[large.length - 1] = 0;
      for (const bytes of [all, Buffer.alloc(0), large]) {
        const address = await cas.put(bytes);
        expect((await cas.get(address)).equals(bytes)).toBe(true);
      }
      // Stored once: putting it again (the check-first path for large blobs) changes nothing.
      expect(await cas.put(large)).toBe(sha256Hex(large));
    });

    it('stores a batch: addresses in order, repeats and blobs already present included', async () => {
      const present = await cas.put(Buffer.from('already here'));
      const items = [Buffer.from('one'), Buffer.from('already here'), Buffer.from('two'), Buffer.from('one'), Buffer.alloc(0)];
      const addresses = await cas.putMany(items);
      expect(addresses).toEqual(items.map((bytes) => sha256Hex(bytes)));
      expect(addresses[1]).toBe(present);
      for (const [index, address] of addresses.entries()) expect((await cas.get(address)).equals(items[index]!)).toBe(true);
      const all: string[] = [];
      for await (const address of cas.addresses()) all.push(address);
      expect(all.sort()).toEqual([...new Set(addresses)].sort());
      expect(await cas.putMany([])).toEqual([]);
    });

    it('is idempotent: the same bytes twice are one blob', async () => {
      const [first, second] = await Promise.all([cas.put(Buffer.from('same')), cas.put(Buffer.from('same'))]);
      expect(second).toBe(first);
      const all: string[] = [];
      for await (const address of cas.addresses()) all.push(address);
      expect(all).toEqual([first]);
    });

    it('refuses a blob with a flipped byte in storage, naming the address', async () => {
      const bytes = Buffer.from('func startContainer() {}\n');
      const address = await cas.put(bytes);
      const flipped = Buffer.from(bytes);
      flipped[5] = flipped[5]! ^ 0x01;
      await factory.tamper(cas, address, flipped);
      const error = await cas.get(address).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GraphhubError);
      expect((error as GraphhubError).code).toBe('integrity');
      expect((error as GraphhubError).message).toContain(address);
    });

    it('reports missing blobs as not-found and rejects malformed addresses', async () => {
      await expect(cas.get('a'.repeat(64))).rejects.toMatchObject({ code: 'not-found' });
      for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'abc', `${'a'.repeat(63)}/`, `${'a'.repeat(63)}\u0000`, "' OR 1=1 --"]) {
        await expect(cas.get(bad)).rejects.toMatchObject({ code: 'invalid-input' });
        await expect(cas.has(bad)).rejects.toMatchObject({ code: 'invalid-input' });
        await expect(cas.hasMany(['a'.repeat(64), bad])).rejects.toMatchObject({ code: 'invalid-input' });
      }
    });

    it('verify lists corrupt and missing blobs', async () => {
      const good = await cas.put(Buffer.from('good'));
      const bad = await cas.put(Buffer.from('bad'));
      const gone = await cas.put(Buffer.from('gone'));
      await factory.tamper(cas, bad, Buffer.from('tampered'));
      await factory.remove(cas, gone);
      const report = await verifyStore(cas, [good, bad, gone]);
      expect(report.checked).toBe(2);
      expect(report.corrupt).toEqual([bad]);
      expect(report.missing).toEqual([gone]);
    });

    it('lists every address once, however many there are', async () => {
      const expected: string[] = [];
      for (let i = 0; i < 1001; i++) expected.push(await cas.put(Buffer.from(`blob ${i}`)));
      const listed: string[] = [];
      for await (const address of cas.addresses()) listed.push(address);
      expect(listed.sort()).toEqual(expected.sort());
    });
  });
}
