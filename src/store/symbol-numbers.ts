/**
 * A graph writer's symbol id → symbol number table, kept as 96-bit hashes of
 * the ids in one typed array rather than as the ids themselves.
 *
 * Why: a writer looks every call's caller and callee up by id, so it holds a
 * number for every symbol of the graph until the graph is published. As a
 * Map keyed by the id strings that was ~100 bytes a symbol (the string and
 * its entry; 18 MB for a generated 2M-line repository's 190k symbols), the
 * largest thing still growing with the repository while its calls are
 * written. Here a symbol costs 16 bytes a slot at a load of at most 0.7.
 *
 * Two ids are told apart by three 32-bit hashes, each from a lane of its own
 * (multiplier, rotation, seed): taken as one 96-bit hash, the chance that
 * any two of a graph's n ids share it is about n²/2⁹⁷ (10⁻¹⁸ for a million
 * symbols), the same bet a content-addressed store makes. A hash is never
 * turned back into an id: an edge naming an id never set finds no number,
 * bar that same chance.
 */
const EMPTY = -1;
const WIDTH = 4; // hash a, hash b, hash c, number
const MAX_LOAD = 0.7;
/**
 * Ids looked up lately, by string: a caller's calls and a popular callee ask
 * for one id again and again, often as the very same string, whose hash V8
 * keeps — far cheaper than hashing its units here each time.
 */
const RECENT = 4096;

/**
 * Symbols whose numbers a graph writer keeps in memory, at most (a table of
 * 2 MB): the numbers of the rest are looked up in the store's
 * symbols_by_sid index as calls name them, so that the table stops growing
 * with the graph. A generated Go repository of 1M lines has ~95k symbols;
 * runc ~21k.
 */
let keptNumbers = 90_000;

/** Sets keptNumbers for writers begun from now on (tests: the store's lookups with a few symbols); returns the previous value. */
export function setKeptNumbers(count: number): number {
  const previous = keptNumbers;
  keptNumbers = count;
  return previous;
}

export class SymbolNumbers {
  private slots = new Int32Array(1024 * WIDTH).fill(EMPTY);
  private mask = 1023;
  private count = 0;
  // The current id's hashes (hash() sets them; no object per lookup).
  private a = 0;
  private b = 0;
  private c = 0;
  private readonly recent = new Map<string, number>();

  /**
   * At most this many ids are kept (unbounded when not given): `set` of a
   * new id beyond it keeps nothing and says so, and the owner looks that id
   * up elsewhere (a graph writer: its store's index), so that the table
   * stops growing with the graph.
   */
  constructor(private readonly limit = Infinity) {}

  /** A graph writer's table: keptNumbers at most. */
  static bounded(): SymbolNumbers {
    return new SymbolNumbers(keptNumbers);
  }

  static of(entries: Iterable<readonly [string, number]>): SymbolNumbers {
    const numbers = new SymbolNumbers();
    for (const [id, value] of entries) numbers.set(id, value);
    return numbers;
  }

  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const seen = this.recent.get(id);
    if (seen !== undefined) return seen;
    const at = this.find(id);
    if (this.slots[at + 3] === EMPTY) return undefined;
    const value = this.slots[at + 3]!;
    this.note(id, value);
    return value;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** Sets `id`'s number; false, keeping nothing, when `id` is new and the table holds its limit. */
  set(id: string, value: number): boolean {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new Error(`symbol number out of range: ${value}`);
    let at = this.find(id);
    if (this.slots[at + 3] === EMPTY) {
      if (this.count >= this.limit) return false;
      if ((this.count + 1) / (this.mask + 1) > MAX_LOAD) {
        this.grow();
        at = this.find(id);
      }
      this.slots[at] = this.a;
      this.slots[at + 1] = this.b;
      this.slots[at + 2] = this.c;
      this.count++;
    }
    this.slots[at + 3] = value;
    if (this.recent.has(id)) this.recent.set(id, value);
    return true;
  }

  /** Remembers `id`'s number among the ids looked up lately only (one found elsewhere, by an owner whose table is full). */
  note(id: string, value: number): void {
    if (this.recent.size >= RECENT) this.recent.clear();
    this.recent.set(id, value);
  }

  /** The slot (array offset) holding `id`'s hashes, or the empty slot where they would go. */
  private find(id: string): number {
    this.hash(id);
    const slots = this.slots;
    let slot = this.a & this.mask;
    for (;;) {
      const at = slot * WIDTH;
      if (slots[at + 3] === EMPTY) return at;
      if (slots[at] === this.a && slots[at + 1] === this.b && slots[at + 2] === this.c) return at;
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * WIDTH).fill(EMPTY);
    for (let at = 0; at < old.length; at += WIDTH) {
      if (old[at + 3] === EMPTY) continue;
      let slot = old[at]! & this.mask;
      while (this.slots[slot * WIDTH + 3] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots.set(old.subarray(at, at + WIDTH), slot * WIDTH);
    }
  }

  /**
   * Three 32-bit hashes of the id's UTF-16 units, two units a step (a
   * missing last unit reads as 0, so the length seeds every lane): each lane
   * its own multiplier and rotation, then murmur3's finaliser.
   */
  private hash(id: string): void {
    const length = id.length;
    let a = 0x9747b28c ^ length;
    let b = 0x85ebca6b ^ length;
    let c = 0x27d4eb2f ^ length;
    for (let i = 0; i < length; i += 2) {
      const unit = id.charCodeAt(i) | (i + 1 < length ? id.charCodeAt(i + 1) << 16 : 0);
      a = Math.imul(a ^ unit, 0xcc9e2d51);
      a = (a << 15) | (a >>> 17);
      b = Math.imul(b ^ unit, 0x1b873593);
      b = (b << 13) | (b >>> 19);
      c = Math.imul(c ^ unit, 0x165667b1);
      c = (c << 11) | (c >>> 21);
    }
    this.a = finish(a);
    this.b = finish(b);
    this.c = finish(c);
  }
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
