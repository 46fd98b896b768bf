/**
 * visibleForm: what decides that a change cannot matter to other files. Two
 * versions must compare equal exactly when every question another file's
 * resolution asks of their offsets (which scope holds which place, is it
 * the top of the module) has the same answer.
 */
import { describe, expect, it } from 'vitest';
import { visibleForm } from '../../src/languages/affected-files.js';

const POSITIONS = new Set(['line', 'col']);
const OFFSETS = new Set(['at', 'start', 'end', 'scope']);
const MODULE_END = Number.MAX_SAFE_INTEGER;
const form = (bindings: unknown[], decls: unknown[] = []): string => visibleForm([decls, bindings], POSITIONS, OFFSETS);

describe('visibleForm', () => {
  it('is the same when an edit above moved everything by the same amount, or only lines changed', () => {
    const before = [
      { name: 'x', at: 0, scope: [0, MODULE_END] },
      { name: 'y', at: 40, scope: [30, 90], line: 3 },
    ];
    const after = [
      { name: 'x', at: 0, scope: [0, MODULE_END] },
      { name: 'y', at: 55, scope: [45, 120], line: 5 },
    ];
    expect(form(after, [{ name: 'f', start: 30, end: 120 }])).toBe(form(after, [{ name: 'f', start: 30, end: 120 }]));
    expect(form(before, [{ name: 'f', start: 20, end: 90 }])).toBe(form(after, [{ name: 'f', start: 35, end: 120 }]));
  });

  it('differs when a binding moves into another scope, though its name and value are the same', () => {
    const atTop = [
      { name: 'f', at: 0, scope: [0, MODULE_END] },
      { name: 'x', at: 0, scope: [0, MODULE_END], value: { k: 'new', name: 'A' } },
    ];
    const inside = [
      { name: 'f', at: 0, scope: [0, MODULE_END] },
      { name: 'x', at: 12, scope: [10, 40], value: { k: 'new', name: 'A' } },
    ];
    expect(form(atTop)).not.toBe(form(inside));
  });

  it('tells the top of the module and a module-wide scope from any other offset', () => {
    // Same order, but only one of them starts at 0 (looked up `at: 0`) or reaches the module's end.
    expect(form([{ name: 'x', at: 0, scope: [0, 50] }])).not.toBe(form([{ name: 'x', at: 5, scope: [5, 50] }]));
    expect(form([{ name: 'x', at: 0, scope: [0, MODULE_END] }])).not.toBe(form([{ name: 'x', at: 0, scope: [0, 900] }]));
  });

  it('differs when anything that is not a position differs', () => {
    expect(form([{ name: 'x', at: 0, scope: [0, MODULE_END] }])).not.toBe(form([{ name: 'y', at: 0, scope: [0, MODULE_END] }]));
    expect(form([], [{ name: 'f', start: 0, end: 9, returns: { name: 'A' } }])).not.toBe(form([], [{ name: 'f', start: 0, end: 9, returns: { name: 'B' } }]));
  });
});
