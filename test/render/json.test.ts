import { describe, expect, it } from 'vitest';
import type { Review } from '../../src/model/review.js';
import { renderReviewJson, stableJson } from '../../src/render/json.js';
import { fixtureReview } from './fixture-review.js';

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }
  return value;
}

describe('renderReviewJson', () => {
  it('is pretty, ends with a newline and parses back to the review', () => {
    const review = fixtureReview();
    const text = renderReviewJson(review);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "kind": "access-review/review",\n  "schemaVersion": "1.2",\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(review)));
  });

  it('is byte-identical whatever order the keys were built in', () => {
    const review = fixtureReview();
    expect(renderReviewJson(reverseKeys(review) as Review)).toBe(renderReviewJson(review));
  });

  it('keeps array order and drops undefined fields', () => {
    expect(stableJson({ b: [3, 1, 2], a: undefined, c: { z: 1, y: null } })).toBe(
      '{\n  "b": [\n    3,\n    1,\n    2\n  ],\n  "c": {\n    "y": null,\n    "z": 1\n  }\n}\n',
    );
  });
});
