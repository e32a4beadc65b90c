// The config.pbtxt of a tensorrt plan's Triton model repository entry, from a PlanInfo.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { PlanInfo } from '../../shared/engine/types.js';
import { tritonConfig } from '../../api/tensorrt/triton-config.js';

const info: PlanInfo = {
  formatVersion: 1,
  backend: 'tensorrt',
  backendVersion: 'tensorrt 10.16.0, cuda 13.0',
  compatKey: 'tensorrt:sm_90:trt10.16.0:cuda13.0',
  precision: 'fp16',
  batch: { min: 1, opt: 4, max: 16 },
  inputs: [
    { name: 'x', shape: [-1, 3, 4, 5], dtype: 'float32' },
    { name: 'mask "a"', shape: [-1, 8], dtype: 'float32' },
  ],
  outputs: [{ name: 'logits', shape: [-1, 10], dtype: 'float32' }],
  profile: { x: { min: [1, 3, 4, 5], opt: [4, 3, 4, 5], max: [16, 3, 4, 5] } },
  bytes: 12345,
};

test('config.pbtxt names every tensor, TYPE_FP32, full dims with -1 for the batch, max_batch_size 0', () => {
  const expected = `# a trtfarm plan's TensorRT engine; it runs on tensorrt:sm_90:trt10.16.0:cuda13.0
name: "mlp_v1"
platform: "tensorrt_plan"
max_batch_size: 0
input [
  {
    name: "x"
    data_type: TYPE_FP32
    dims: [ -1, 3, 4, 5 ]
  },
  {
    name: "mask \\"a\\""
    data_type: TYPE_FP32
    dims: [ -1, 8 ]
  }
]
output [
  {
    name: "logits"
    data_type: TYPE_FP32
    dims: [ -1, 10 ]
  }
]
`;
  assert.equal(tritonConfig('mlp_v1', info), expected);
});

test('config.pbtxt of a fixed-batch plan keeps its batch in dims', () => {
  const fixed: PlanInfo = { ...info, inputs: [{ name: 'x', shape: [2, 6], dtype: 'float32' }], outputs: [{ name: 'y', shape: [2, 3], dtype: 'float32' }] };
  const text = tritonConfig('fixed', fixed);
  assert.match(text, /input \[\n {2}\{\n {4}name: "x"\n {4}data_type: TYPE_FP32\n {4}dims: \[ 2, 6 \]\n {2}\}\n\]/);
  assert.match(text, /output \[\n {2}\{\n {4}name: "y"\n {4}data_type: TYPE_FP32\n {4}dims: \[ 2, 3 \]\n {2}\}\n\]/);
});
