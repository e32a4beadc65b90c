import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNetwork } from '../../shared/network/schema.js';
import { float32Base64, rejection, seedFullyConnectedJson, seedMatrixMultiplyJson, seedWeights } from './seed-networks.js';

type Json = Record<string, any>;


describe('network schema', () => {
  it('accepts the seed as one fullyConnected layer and folds input into inputs', () => {
    const network = parseNetwork(seedFullyConnectedJson());
    assert.deepEqual(network.inputs, [{ name: 'x', shape: [1, 3, 4, 5] }]);
    assert.equal(network.layers.length, 1);
    const fc = network.layers[0];
    assert.equal(fc.type, 'fullyConnected');
    if (fc.type !== 'fullyConnected') return;
    assert.deepEqual(fc.inputs, ['x']);
    assert.equal(fc.outputs, 2);
    assert.ok(fc.weights instanceof Float32Array);
    assert.deepEqual(Array.from(fc.weights), seedWeights);
    assert.deepEqual(Array.from(fc.bias!), [0, 0]);
    assert.deepEqual(network.outputs, ['fc']);
  });

  it('accepts the seed as reshape → constant → matrixMultiply → constant → elementWise sum', () => {
    const network = parseNetwork(seedMatrixMultiplyJson());
    assert.deepEqual(network.layers.map((layer) => layer.type), ['reshape', 'constant', 'matrixMultiply', 'constant', 'elementWise']);
    const [reshape, w, matmul, , sum] = network.layers;
    assert.deepEqual(reshape.type === 'reshape' && reshape.shape, [0, -1]);
    assert.deepEqual(w.type === 'constant' && Array.from(w.values), seedWeights);
    assert.deepEqual(matmul.type === 'matrixMultiply' && matmul.transpose, [false, true]);
    assert.deepEqual(sum.type === 'elementWise' && [sum.op, sum.inputs], ['sum', ['xw', 'b']]);
  });

  it('decodes base64 weights to the same values as the array form', () => {
    const json = seedFullyConnectedJson() as Json;
    json.layers[0].weights = { base64: float32Base64(seedWeights) };
    const fromBase64 = parseNetwork(json);
    assert.deepEqual(fromBase64, parseNetwork(seedFullyConnectedJson()));
  });

  it('keeps layers without input fields unconnected (the engine defaults them) and omitted outputs omitted', () => {
    const json = seedFullyConnectedJson() as Json;
    delete json.layers[0].input;
    delete json.outputs;
    const network = parseNetwork(json);
    assert.equal(network.layers[0].inputs, undefined);
    assert.equal('outputs' in network, false);
  });

  it('accepts a dynamic batch (-1 in dimension 0)', () => {
    const json = seedFullyConnectedJson() as Json;
    json.inputs[0].shape = [-1, 3, 4, 5];
    assert.deepEqual(parseNetwork(json).inputs[0].shape, [-1, 3, 4, 5]);
  });

  // Each case breaks the seed in one way; the message must name the place and the problem.
  const badInputs: [string, (json: Json) => void, RegExp][] = [
    ['-1 outside the batch dimension', (j) => (j.inputs[0].shape = [1, -1, 4, 5]), /inputs\[0\] \("x"\)\.shape\[1\]: only the batch dimension/],
    ['a zero dimension', (j) => (j.inputs[0].shape = [1, 0, 4, 5]), /inputs\[0\] \("x"\)\.shape\[1\]: .*positive/],
    ['a fractional dimension', (j) => (j.inputs[0].shape = [1, 2.5, 4, 5]), /inputs\[0\] \("x"\)\.shape\[1\]: .*expected int/],
    ['an empty shape', (j) => (j.inputs[0].shape = []), /inputs\[0\] \("x"\)\.shape: /],
    ['an unknown layer type', (j) => (j.layers[0].type = 'convolution'), /layers\[0\] \("fc"\)\.type: .*fullyConnected/],
    ['a string among the weights', (j) => (j.layers[0].weights[7] = 'one'), /layers\[0\] \("fc"\)\.weights\[7\]: .*expected number/],
    ['a non-finite weight', (j) => (j.layers[0].weights[3] = Infinity), /layers\[0\] \("fc"\)\.weights\[3\]: .*Infinity/],
    ['a weight outside the float32 range', (j) => (j.layers[0].weights[5] = 1e39), /layers\[0\] \("fc"\)\.weights\[5\]: 1e\+39 is not a finite float32/],
    ['base64 of a byte count that is not a multiple of 4', (j) => (j.layers[0].weights = { base64: Buffer.alloc(6).toString('base64') }),
      /layers\[0\] \("fc"\)\.weights: base64 decodes to 6 bytes/],
    ['base64 with characters outside the alphabet', (j) => (j.layers[0].weights = { base64: 'AAAA*AAA' }), /layers\[0\] \("fc"\)\.weights: not valid base64/],
    ['base64 of a NaN', (j) => (j.layers[0].bias = { base64: float32Base64([0, NaN]) }), /layers\[0\] \("fc"\)\.bias\[1\]: NaN is not a finite/],
    ['a misspelt field', (j) => { j.layers[0].weigths = j.layers[0].weights; delete j.layers[0].weights; }, /layers\[0\] \("fc"\)\.weights: .*expected array/],
    ['an unknown field', (j) => (j.layers[0].stride = 2), /layers\[0\] \("fc"\): Unrecognized key: "stride"/],
    ['non-positive outputs', (j) => (j.layers[0].outputs = 0), /layers\[0\] \("fc"\)\.outputs: /],
    ['an empty layer name', (j) => (j.layers[0].name = ''), /layers\[0\]\.name: /],
    ['a layer named like an input', (j) => (j.layers[0].name = 'x'), /layers\[0\] \("x"\)\.name: name "x" is already used by inputs\[0\]/],
    ['both input and inputs', (j) => (j.layers[0].inputs = ['x']), /layers\[0\] \("fc"\): give either "input" or "inputs"/],
    ['two inputs to a one-input layer', (j) => { delete j.layers[0].input; j.layers[0].inputs = ['x', 'x']; }, /layers\[0\] \("fc"\)\.inputs: fullyConnected takes one input, got 2/],
    ['an output listed twice', (j) => (j.outputs = ['fc', 'fc']), /outputs\[1\]: "fc" is listed twice/],
    ['no layers', (j) => (j.layers = []), /^layers: /],
    ['a network that is not an object', (j) => { for (const key of Object.keys(j)) delete j[key]; }, /inputs: .*expected array/],
  ];
  for (const [what, breakIt, message] of badInputs) {
    it(`rejects ${what} with a message naming the place`, () => {
      const json = seedFullyConnectedJson() as Json;
      breakIt(json);
      const error = rejection(json);
      assert.equal(error.kind, 'invalid');
      assert.match(error.message, message);
    });
  }

  const badMatrixMultiplyForms: [string, (json: Json) => void, RegExp][] = [
    ['a matrixMultiply with one input', (j) => (j.layers[2].inputs = ['flat']), /layers\[2\] \("xw"\)\.inputs: matrixMultiply takes "inputs": \[a, b\]/],
    ['a matrixMultiply with "input"', (j) => { delete j.layers[2].inputs; j.layers[2].input = 'flat'; }, /layers\[2\] \("xw"\)\.inputs: matrixMultiply takes/],
    ['a transpose of three flags', (j) => (j.layers[2].transpose = [false, true, true]), /layers\[2\] \("xw"\)\.transpose: transpose is \[boolean, boolean\]/],
    ['an unknown element-wise op', (j) => (j.layers[4].op = 'div'), /layers\[4\] \("y"\)\.op: .*"sum"/],
    ['a reshape with two -1', (j) => (j.layers[0].shape = [-1, -1]), /layers\[0\] \("flat"\)\.shape: at most one dimension may be -1/],
    ['a constant with a zero dimension', (j) => (j.layers[1].shape = [0, 60]), /layers\[1\] \("W"\)\.shape\[0\]: /],
    ['a constant with an input', (j) => (j.layers[1].input = 'x'), /layers\[1\] \("W"\): Unrecognized key: "input"/],
  ];
  for (const [what, breakIt, message] of badMatrixMultiplyForms) {
    it(`rejects ${what} with a message naming the place`, () => {
      const json = seedMatrixMultiplyJson() as Json;
      breakIt(json);
      assert.match(rejection(json).message, message);
    });
  }

  it('rejects an unknown activation kind, naming the allowed ones', () => {
    const json = seedFullyConnectedJson() as Json;
    json.layers.push({ name: 'act', type: 'activation', kind: 'swish' });
    assert.match(rejection(json).message, /layers\[1\] \("act"\)\.kind: .*"relu".*"leakyRelu"/);
  });
});
