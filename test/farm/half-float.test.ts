// KServe v2's FP16 and BF16 to and from float32 (api/infer/half-float.ts), against bit patterns
// of IEEE 754 binary16 and bfloat16 written out by hand: normals, the largest half, overflow to
// Infinity, subnormals, ties to even, signed zero, NaN.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { bf16ToFloat32, float32ToBf16, float32ToHalf, halfToFloat32 } from '../../api/infer/half-float.js';

const half = (value: number) => float32ToHalf(Float32Array.of(value))[0];
const bf16 = (value: number) => float32ToBf16(Float32Array.of(value))[0];

describe('FP16 and BF16 conversions', () => {
  const halves: [number, number][] = [
    [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [1770, 0x66ea], [65504, 0x7bff],
    [65519, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -25, 0x0002], [2 ** -26, 0x0000],
    [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0, 0x0000], [-0, 0x8000],
  ];
  for (const [value, bits] of halves) {
    it(`rounds ${value} to the half 0x${bits.toString(16)}`, () => assert.equal(half(value), bits));
  }

  it('keeps NaN a NaN both ways', () => {
    assert.equal(half(NaN) & 0x7c00, 0x7c00);
    assert.notEqual(half(NaN) & 0x3ff, 0);
    assert.ok(Number.isNaN(halfToFloat32(Uint16Array.of(0x7e00))[0]));
    assert.ok(Number.isNaN(bf16ToFloat32(Uint16Array.of(bf16(NaN)))[0]));
  });

  it('widens every finite half exactly, and back to the same bits', () => {
    const all = Uint16Array.from({ length: 0x10000 }, (_, i) => i).filter((bits) => (bits & 0x7c00) !== 0x7c00);
    const widened = halfToFloat32(all);
    assert.deepEqual(float32ToHalf(widened), all);
    assert.equal(widened[all.indexOf(0x0001)], 2 ** -24);
    assert.equal(widened[all.indexOf(0x7bff)], 65504);
  });

  const bfloats: [number, number][] = [
    [1, 0x3f80], [-2, 0xc000], [1 + 2 ** -8, 0x3f80], [1 + 3 * 2 ** -8, 0x3f82], [3e38, 0x7f62], [3.4e38, 0x7f80], [-0, 0x8000],
  ];
  for (const [value, bits] of bfloats) {
    it(`rounds ${value} to the bfloat16 0x${bits.toString(16)}`, () => assert.equal(bf16(value), bits));
  }

  it('widens bfloat16 by its 16 high bits', () => {
    assert.deepEqual(Array.from(bf16ToFloat32(Uint16Array.of(0x3f80, 0xc000, 0x7f80))), [1, -2, Infinity]);
  });
});
