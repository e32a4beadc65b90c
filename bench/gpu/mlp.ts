// The benchmark network of bench/gpu's farm clients: LAYERS × fullyConnected WIDTH→WIDTH + bias +
// ReLU, weights from a fixed seed (the same plan bytes on every run), sent as base64 float32.
import { float32ToBase64 } from '../../shared/network/base64.js';

// mulberry32, as the tests' random networks.
export function random(seed: number, count: number, scale: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  });
}

export function mlpNetwork(layers: number, width: number) {
  const entries = [];
  for (let l = 0; l < layers; l++) {
    entries.push({ name: `fc${l}`, type: 'fullyConnected', outputs: width, weights: { base64: float32ToBase64(random(10 + l, width * width, 1 / Math.sqrt(width))) }, bias: { base64: float32ToBase64(random(20 + l, width, 0.1)) } });
    entries.push({ name: `relu${l}`, type: 'activation', kind: 'relu' });
  }
  return { inputs: [{ name: 'x', shape: [-1, width] }], layers: entries };
}
