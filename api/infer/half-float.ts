// FP16 and BF16 (KServe v2 datatypes) to and from the float32 that plans take and give.
// Rounding to the 16-bit types is to nearest, ties to even; NaN stays NaN, ±Infinity stays.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfToFloat32(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  for (let i = 0; i < half.length; i++) {
    const h = half[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 0x1f) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

export function float32ToHalf(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00; // past the largest half: Infinity
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign; // below half the smallest subnormal: zero
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - e;
      const rounded = (mantissa >> shift) + roundBit(mantissa, shift);
      out[i] = sign | rounded;
    } else {
      const rounded = ((e << 10) | (mantissa >> 13)) + roundBit(mantissa, 13);
      out[i] = sign | rounded; // a carry into the exponent is the correct rounding (up to Infinity)
    }
  }
  return out;
}

// 1 where the dropped low `shift` bits round the kept part up (to nearest, ties to even).
function roundBit(mantissa: number, shift: number): number {
  const half = 1 << (shift - 1);
  const dropped = mantissa & ((1 << shift) - 1);
  const kept = mantissa >> shift;
  return dropped > half || (dropped === half && (kept & 1) === 1) ? 1 : 0;
}

export function bf16ToFloat32(bf16: Uint16Array): Float32Array {
  const out = new Float32Array(bf16.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < bf16.length; i++) bits[i] = bf16[i] << 16;
  return out;
}

export function float32ToBf16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i];
    if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) out[i] = (x >>> 16) | 0x40; // NaN stays NaN
    else out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}
