import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DIMS, MAX_LAYERS, MAX_TENSOR_ELEMENTS, MAX_TOTAL_WEIGHT_BYTES } from '../../shared/network/limits.js';
import { parseNetwork } from '../../shared/network/schema.js';
import { rejection } from './seed-networks.js';

const relu = (i: number) => ({ name: `relu${i}`, type: 'activation', kind: 'relu' });

describe('network limits', () => {
  it(`accepts ${MAX_LAYERS} layers and answers 413 to one more`, () => {
    const layers = Array.from({ length: MAX_LAYERS }, (_, i) => relu(i));
    assert.equal(parseNetwork({ inputs: [{ name: 'x', shape: [1, 4] }], layers }).layers.length, MAX_LAYERS);
    const error = rejection({ inputs: [{ name: 'x', shape: [1, 4] }], layers: [...layers, relu(MAX_LAYERS)] });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /^layers: .*<=256/);
  });

  it(`answers 413 to a shape of more than ${MAX_DIMS} dimensions`, () => {
    const error = rejection({ inputs: [{ name: 'x', shape: Array(MAX_DIMS + 1).fill(1) }], layers: [relu(0)] });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /inputs\[0\] \("x"\)\.shape: /);
  });

  it('answers 413 to an input of more elements per batch item than a tensor may hold', () => {
    const error = rejection({ inputs: [{ name: 'x', shape: [-1, 4096, 4097] }], layers: [relu(0)] });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /inputs\[0\] \("x"\)\.shape: more than 16777216 elements/);
  });

  it('accepts a 4096 × 4096 fp32 matrix as base64 and answers 413 to one value more', () => {
    const matrix = Float32Array.from({ length: 4096 * 4096 }, (_, i) => (i % 7) - 3);
    const fc = (weights: string) => ({
      inputs: [{ name: 'x', shape: [-1, 4096] }],
      layers: [{ name: 'fc', type: 'fullyConnected', outputs: 4096, weights: { base64: weights } }],
    });
    const network = parseNetwork(fc(Buffer.from(matrix.buffer).toString('base64')));
    const layer = network.layers[0];
    assert.ok(layer.type === 'fullyConnected' && layer.weights.length === MAX_TENSOR_ELEMENTS && layer.weights[4096 * 4096 - 1] === matrix[4096 * 4096 - 1]);
    const tooMany = Buffer.alloc((MAX_TENSOR_ELEMENTS + 1) * 4).toString('base64');
    const error = rejection(fc(tooMany));
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /layers\[0\] \("fc"\)\.weights\.base64: /);
  });

  it(`answers 413 when all weights together exceed ${MAX_TOTAL_WEIGHT_BYTES} bytes`, () => {
    // One 64 MiB payload shared by six layers: 384 MiB in all.
    const weights = { base64: Buffer.alloc(4096 * 4096 * 4).toString('base64') };
    const layers = Array.from({ length: 6 }, (_, i) => ({ name: `fc${i}`, type: 'fullyConnected', outputs: 4096, weights }));
    const error = rejection({ inputs: [{ name: 'x', shape: [-1, 4096] }], layers });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /^layers: weights and constants take 402653184 bytes as float32, over the limit of 335544320/);
  });

  it('answers 413 to a weights array longer than a tensor may hold', () => {
    const weights = new Array<number>(MAX_TENSOR_ELEMENTS + 1).fill(0);
    const error = rejection({ inputs: [{ name: 'x', shape: [1, 4] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 1, weights }] });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /layers\[0\] \("fc"\)\.weights: /);
  });
});
