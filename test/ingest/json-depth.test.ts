import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/http/json-depth.js';

const arrays = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
const objects = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);

describe('nestsDeeperThan', () => {
  it('allows exactly MAX_JSON_DEPTH levels of arrays or objects and refuses one more', () => {
    expect(nestsDeeperThan(arrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(arrays(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(objects(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(objects(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('finds the deep branch among shallow ones and treats scalars as flat', () => {
    expect(nestsDeeperThan({ a: 1, b: [1, 2, { c: 'x' }], d: arrays(3) }, 3)).toBe(true);
    expect(nestsDeeperThan({ a: 1, b: [1, 2, { c: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan('[[[[', 1)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
  });

  it('answers for a value nested 100,000 levels deep without overflowing the stack', () => {
    expect(nestsDeeperThan(arrays(100_000), MAX_JSON_DEPTH)).toBe(true);
  });
});
