import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isPlausibleLandmarks } from '../../../src/face/plausible-landmarks.js';
import type { Box, Point } from '../../../src/face/types.js';
import { placeTemplate } from './fixtures.js';

/** A face box about the size SSD gives for a template placed at 100 px a unit. */
const BOX: Box = { x: 20, y: 20, width: 120, height: 120 };

/** The template, 100 px a unit, inside {@link BOX}. */
const FACE = placeTemplate(100, [30, 35]);

/** Rotates points about a centre, in image axes. */
function rotate(points: readonly Point[], deg: number, [cx, cy]: Point): Point[] {
  const r = (deg * Math.PI) / 180;
  return points.map(([x, y]) => [
    cx + Math.cos(r) * (x - cx) - Math.sin(r) * (y - cy),
    cy + Math.sin(r) * (x - cx) + Math.cos(r) * (y - cy),
  ] as const);
}

describe('isPlausibleLandmarks', () => {
  it('accepts a frontal face in its box', () => {
    assert.equal(isPlausibleLandmarks(FACE, BOX), true);
  });

  it('accepts a face rolled by 30 degrees', () => {
    assert.equal(isPlausibleLandmarks(rotate(FACE, 30, [80, 80]), BOX), true);
  });

  it('rejects an upside-down fit', () => {
    assert.equal(isPlausibleLandmarks(rotate(FACE, 180, [80, 80]), BOX), false);
  });

  it('rejects a fit with the eyes swapped (mirrored positions, same indices)', () => {
    const swapped = FACE.map(([x, y]) => [160 - x, y] as const);
    assert.equal(isPlausibleLandmarks(swapped, BOX), false);
  });

  it('rejects a collapsed fit whose eyes are too close for the box', () => {
    const tiny = placeTemplate(15, [70, 70]);
    assert.equal(isPlausibleLandmarks(tiny, BOX), false);
  });

  it('rejects a fit that lies mostly outside the box', () => {
    const away = placeTemplate(100, [200, 35]);
    assert.equal(isPlausibleLandmarks(away, BOX), false);
  });

  it('rejects wrong point counts and non-finite points', () => {
    assert.equal(isPlausibleLandmarks(FACE.slice(1), BOX), false);
    const broken = FACE.map((p, i) => (i === 3 ? [NaN, 1] as const : p));
    assert.equal(isPlausibleLandmarks(broken, BOX), false);
  });
});
