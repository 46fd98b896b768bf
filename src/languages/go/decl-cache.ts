/**
 * A file's declarations, read back from where the index keeps them
 * (ResolveFile.stored) when a resolution looks inside one, and kept for
 * later lookups within a budget of declarations in all.
 *
 * Why: declarations (signatures, fields, parameter and result types,
 * ranges) were most of the Go resolver's memory — 58 MB of 122 MB live on a
 * generated 1M-line repository — and grew with the repository, while any
 * one file's resolution reads only its own package's and its imports'.
 * The package index is built from their heads (GoDeclHead); a file's full
 * declarations come back on first use. The budget holds all of runc's
 * (~19k), so a repository of that size reads each file's once; beyond it,
 * files leave by the clock algorithm (a file used since the hand last
 * passed gets another round), so the packages most files import stay.
 */
import type { GoDecl } from './facts.js';

/** Declarations held at most, over all files (~600 bytes each in memory). */
export const DECL_BUDGET = 32768;

let currentBudget = DECL_BUDGET;

/** Sets the budget of the caches made from now on and returns the previous one (for tests and measurements). */
export function setDeclBudget(decls: number): number {
  const previous = currentBudget;
  currentBudget = decls;
  return previous;
}

/** What the cache holds for one file: `value` while it is held. */
export interface Slot {
  value: unknown;
  used: boolean;
  weight: number;
}

export class DeclCache {
  private readonly ring: Slot[] = [];
  private hand = 0;
  /** Declarations held now (a file counts one more than its declarations). */
  held = 0;
  /** Files' declarations read back, counting each reading (for tests and measurements). */
  loads = 0;

  constructor(private readonly budget: number = currentBudget) {}

  /** An empty slot for one file, which its owner looks in itself before it asks `fill` (no closure a file). */
  slot(): Slot {
    return { value: undefined, used: false, weight: 0 };
  }

  /**
   * Loads what an empty slot holds (a file's declarations, or anything else
   * about a file that `weight` counts in declarations) and keeps it,
   * letting the files not used since the hand last passed go. A scan
   * (`scan`: every file once, in order, as the symbol records are made)
   * keeps what it reads only while there is room: letting files go for it
   * would only have the resolution that follows read them again.
   */
  fill<T>(slot: Slot, load: () => T, weight: (value: T) => number, scan: boolean): T {
    const value = load();
    this.loads++;
    const slotWeight = this.weigh(weight(value));
    if (scan && this.held + slotWeight > this.budget) return value;
    this.makeRoom(slotWeight);
    this.keep(slot, value, slotWeight, true);
    return value;
  }

  /** Puts what is already in hand in an empty slot while there is room, so that it need not be read at all. */
  offer<T>(slot: Slot, value: T, weight: (value: T) => number): void {
    const slotWeight = this.weigh(weight(value));
    if (this.held + slotWeight <= this.budget) this.keep(slot, value, slotWeight, false);
  }

  /**
   * What one file or package counts against the budget: itself and its
   * declarations, but never more than half the budget. One heavier
   * than the budget (the Go standard library's largest package, syscall,
   * has ~8,000 symbols; a generated API client's may have more than the
   * whole budget) would otherwise push everything else out, and be pushed
   * out by the next thing read: each of its uses would read it again. It is
   * held beyond the budget instead, as the one thing it is.
   */
  private weigh(decls: number): number {
    return Math.min(decls, Math.max(1, Math.floor(this.budget / 2))) + 1;
  }

  private keep(slot: Slot, value: unknown, weight: number, used: boolean): void {
    slot.value = value;
    slot.weight = weight;
    slot.used = used;
    this.ring.push(slot);
    this.held += weight;
  }

  private makeRoom(weight: number): void {
    while (this.held + weight > this.budget && this.ring.length > 0) {
      if (this.hand >= this.ring.length) this.hand = 0;
      const slot = this.ring[this.hand]!;
      if (slot.used) {
        slot.used = false;
        this.hand++;
        continue;
      }
      slot.value = undefined;
      this.held -= slot.weight;
      // The last slot takes the evicted one's place; the hand stays to look at it next.
      const last = this.ring.pop()!;
      if (last !== slot) this.ring[this.hand] = last;
    }
  }
}

/** The weight (DeclCache.fill) of a file's declarations: how many there are. */
export const declCount = (decls: readonly GoDecl[]): number => decls.length;
