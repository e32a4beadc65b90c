// Tensor names that are also members of every JavaScript object (`toString`, `constructor`):
// the API must look a request's inputs up as its own keys only, never through the prototype.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

// sum = toString + constructor, both (1, 2).
const network = {
  inputs: [
    { name: 'toString', shape: [1, 2] },
    { name: 'constructor', shape: [1, 2] },
  ],
  layers: [{ name: 'sum', type: 'elementWise', inputs: ['toString', 'constructor'], op: 'sum' }],
};

describe('inputs named like Object.prototype members', () => {
  let farm: TestFarm;
  let plan: string;

  farmForSuite((started) => (farm = started));
  before(async () => {
    plan = (await farm.build({ network })).plan.id;
  });

  it('runs a plan whose inputs are named toString and constructor through /v1/infer', async () => {
    const answer = await farm.post('/v1/infer?wait=10000', {
      plan,
      inputs: { toString: { shape: [1, 2], data: [1, 2] }, constructor: { shape: [1, 2], data: [10, 20] } },
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json().outputs.sum, { shape: [1, 2], data: [11, 22] });
  });

  it('runs it through KServe v2, each input given once', async () => {
    const answer = await farm.post(`/v2/models/${plan}/infer`, {
      inputs: [
        { name: 'constructor', shape: [1, 2], datatype: 'FP32', data: [10, 20] },
        { name: 'toString', shape: [1, 2], datatype: 'FP32', data: [1, 2] },
      ],
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json().outputs, [{ name: 'sum', shape: [1, 2], datatype: 'FP32', data: [11, 22] }]);
  });

  it('answers 400 naming both when /v1/infer gets neither input', async () => {
    const answer = await farm.post('/v1/infer', { plan, inputs: {} });
    assert.equal(answer.statusCode, 400, answer.body);
    assert.match(answer.json().message, /^inputs: missing "toString", "constructor" \(the plan takes/);
  });

  it('answers 400 naming the missing one when KServe v2 gets only constructor', async () => {
    const answer = await farm.post(`/v2/models/${plan}/infer`, {
      inputs: [{ name: 'constructor', shape: [1, 2], datatype: 'FP32', data: [10, 20] }],
    });
    assert.equal(answer.statusCode, 400, answer.body);
    assert.match(answer.json().error, /^inputs: missing "toString" \(the plan takes/);
  });

  it('answers 400 to a KServe v2 input given twice', async () => {
    const twice = { name: 'toString', shape: [1, 2], datatype: 'FP32', data: [1, 2] };
    const answer = await farm.post(`/v2/models/${plan}/infer`, { inputs: [twice, twice] });
    assert.equal(answer.statusCode, 400, answer.body);
    assert.match(answer.json().error, /inputs\[1\]: "toString" is given twice/);
  });
});
