// The contract's network JSON (shared/contract.md, "Network description"): the one definition of
// its structure. `networkSchema` checks it (JSON-Schema-convertible, so the API's OpenAPI document
// comes from it) and `networkFromJson` turns a checked value into the NetworkSpec the engine takes.
// Only structure is checked here; graph semantics (dangling inputs, shapes, counts) are the native
// core's (EngineAddon.validate).
import { z } from 'zod';
import type { DecodedBase64 } from './base64.js';
import type { LayerSpec, NetworkSpec } from './spec.js';
import { MAX_DIMS, MAX_IO_TENSORS, MAX_LAYERS, MAX_NAME_LENGTH, MAX_TENSOR_ELEMENTS, MAX_TOTAL_WEIGHT_BYTES } from './limits.js';
import { decodeFloatData, elementCount, floatDataBytes, floatDataSchema, type FloatDataJson } from './tensor.js';
import { ValidationError, parseOrThrow } from './validation-error.js';

export const nameSchema = z.string().min(1).max(MAX_NAME_LENGTH);

const dimension = z.number().int().max(MAX_TENSOR_ELEMENTS);
const shapeOf = (dim: z.ZodNumber, description: string) => z.array(dim).min(1).max(MAX_DIMS).describe(description);

const inputSchema = z.strictObject({
  name: nameSchema,
  shape: shapeOf(
    dimension.min(-1).refine((d) => d !== 0, 'dimensions are positive integers, or -1 for a dynamic batch'),
    'positive integers; -1 only in dimension 0 (the batch)',
  ),
});

// `input` (one name) or `inputs` (several); omitted: the previous layer's output.
const connections = {
  name: nameSchema,
  input: nameSchema.optional(),
  inputs: z.array(nameSchema).min(1).max(MAX_IO_TENSORS).optional(),
};

const fullyConnectedSchema = z.strictObject({
  ...connections,
  type: z.literal('fullyConnected'),
  outputs: z.number().int().min(1).max(MAX_TENSOR_ELEMENTS),
  weights: floatDataSchema.describe('outputs × K values, row-major'),
  bias: floatDataSchema.optional().describe('outputs values'),
});

const constantSchema = z.strictObject({
  name: nameSchema,
  type: z.literal('constant'),
  shape: shapeOf(dimension.min(1), 'positive integers'),
  values: floatDataSchema,
});

const matrixMultiplySchema = z.strictObject({
  ...connections,
  type: z.literal('matrixMultiply'),
  // A plain array with a custom length check rather than a tuple: a tuple's length error is
  // `too_big`, which ValidationError keeps for limits.
  transpose: z.array(z.boolean()).optional().describe('[transpose a, transpose b]'),
});

const elementWiseSchema = z.strictObject({
  ...connections,
  type: z.literal('elementWise'),
  op: z.enum(['sum', 'prod', 'sub', 'max', 'min']),
});

const activationSchema = z.strictObject({
  ...connections,
  type: z.literal('activation'),
  kind: z.enum(['relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu']),
  alpha: z.number().optional().describe('leakyRelu slope (default 0.01)'),
});

const reshapeSchema = z.strictObject({
  ...connections,
  type: z.literal('reshape'),
  shape: shapeOf(dimension.min(-1), '0 copies the input dimension, -1 is inferred'),
});

export const layerSchema = z.discriminatedUnion('type', [
  fullyConnectedSchema,
  constantSchema,
  matrixMultiplySchema,
  elementWiseSchema,
  activationSchema,
  reshapeSchema,
]);
export type LayerJson = z.infer<typeof layerSchema>;

const INPUT_COUNT: Record<LayerJson['type'], number> = {
  fullyConnected: 1,
  constant: 0,
  matrixMultiply: 2,
  elementWise: 2,
  activation: 1,
  reshape: 1,
};

export const networkSchema = z
  .strictObject({
    inputs: z.array(inputSchema).min(1).max(MAX_IO_TENSORS),
    layers: z.array(layerSchema).min(1).max(MAX_LAYERS),
    outputs: z.array(nameSchema).min(1).max(MAX_IO_TENSORS).optional().describe('omitted: the last layer'),
  })
  .superRefine((network, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const owners = new Map<string, string>();
    const claim = (name: string, path: (string | number)[], owner: string) => {
      const previous = owners.get(name);
      if (previous) issue(path, `name ${JSON.stringify(name)} is already used by ${previous}`);
      else owners.set(name, owner);
    };

    network.inputs.forEach((input, i) => {
      claim(input.name, ['inputs', i, 'name'], `inputs[${i}]`);
      input.shape.forEach((dim, d) => {
        if (dim === -1 && d !== 0) {
          issue(['inputs', i, 'shape', d], 'only the batch dimension (dimension 0) may be dynamic (-1)');
        }
      });
      if (elementCount(input.shape.filter((dim) => dim > 0)) > MAX_TENSOR_ELEMENTS) {
        ctx.addIssue({ code: 'too_big', origin: 'array', maximum: MAX_TENSOR_ELEMENTS, path: ['inputs', i, 'shape'],
          message: `more than ${MAX_TENSOR_ELEMENTS} elements per batch item` });
      }
    });

    network.layers.forEach((layer, i) => {
      claim(layer.name, ['layers', i, 'name'], `layers[${i}]`);
      const expected = INPUT_COUNT[layer.type];
      if (layer.type === 'constant') return;
      if (layer.input !== undefined && layer.inputs !== undefined) {
        issue(['layers', i], 'give either "input" or "inputs", not both');
      } else if (expected === 2 && layer.inputs?.length !== 2) {
        issue(['layers', i, 'inputs'], `${layer.type} takes "inputs": [a, b]`);
      } else if (expected === 1 && layer.inputs && layer.inputs.length !== 1) {
        issue(['layers', i, 'inputs'], `${layer.type} takes one input, got ${layer.inputs.length}`);
      }
      if (layer.type === 'matrixMultiply' && layer.transpose && layer.transpose.length !== 2) {
        issue(['layers', i, 'transpose'], 'transpose is [boolean, boolean]: one flag for each input');
      }
      if (layer.type === 'reshape' && layer.shape.filter((dim) => dim === -1).length > 1) {
        issue(['layers', i, 'shape'], 'at most one dimension may be -1 (inferred)');
      }
    });

    const outputs = new Set<string>();
    network.outputs?.forEach((name, i) => {
      if (outputs.has(name)) issue(['outputs', i], `${JSON.stringify(name)} is listed twice`);
      outputs.add(name);
    });

    const dataBytes = network.layers.reduce((sum, layer) => sum + layerData(layer).reduce((s, data) => s + floatDataBytes(data), 0), 0);
    if (dataBytes > MAX_TOTAL_WEIGHT_BYTES) {
      ctx.addIssue({ code: 'too_big', origin: 'array', maximum: MAX_TOTAL_WEIGHT_BYTES, path: ['layers'],
        message: `weights and constants take ${dataBytes} bytes as float32, over the limit of ${MAX_TOTAL_WEIGHT_BYTES}` });
    }
  })
  .describe('a network of named tensors, one layer per entry (see the README)');
export type NetworkJson = z.infer<typeof networkSchema>;

function layerData(layer: LayerJson): FloatDataJson[] {
  if (layer.type === 'fullyConnected') return layer.bias ? [layer.weights, layer.bias] : [layer.weights];
  if (layer.type === 'constant') return [layer.values];
  return [];
}

// A checked network (networkSchema's output) as the engine takes it: data decoded to Float32Array
// (throws ValidationError for bad base64 or values outside float32), `input` folded into `inputs`.
// `root` is where the network sits in the request, for messages; `decoded`: the request's base64
// strings decoded while its body was read.
export function networkFromJson(json: NetworkJson, root = '', decoded?: DecodedBase64): NetworkSpec {
  const at = (path: string) => (root ? `${root}.${path}` : path);
  const layers = json.layers.map((layer, i): LayerSpec => {
    const where = (field: string) => at(`layers[${i}] (${JSON.stringify(layer.name)}).${field}`);
    const inputs = layer.type === 'constant' ? undefined : layer.inputs ?? (layer.input !== undefined ? [layer.input] : undefined);
    const base = inputs ? { name: layer.name, inputs } : { name: layer.name };
    switch (layer.type) {
      case 'fullyConnected':
        return {
          ...base,
          type: layer.type,
          outputs: layer.outputs,
          weights: decodeFloatData(layer.weights, where('weights'), decoded),
          ...(layer.bias ? { bias: decodeFloatData(layer.bias, where('bias'), decoded) } : {}),
        };
      case 'constant':
        return { ...base, type: layer.type, shape: [...layer.shape], values: decodeFloatData(layer.values, where('values'), decoded) };
      case 'matrixMultiply':
        return { ...base, type: layer.type, ...(layer.transpose ? { transpose: [layer.transpose[0], layer.transpose[1]] } : {}) };
      case 'elementWise':
        return { ...base, type: layer.type, op: layer.op };
      case 'activation':
        return { ...base, type: layer.type, kind: layer.kind, ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}) };
      case 'reshape':
        return { ...base, type: layer.type, shape: [...layer.shape] };
    }
  });
  return {
    inputs: json.inputs.map((input) => ({ name: input.name, shape: [...input.shape] })),
    layers,
    ...(json.outputs ? { outputs: [...json.outputs] } : {}),
  };
}

// Checks and converts any JSON value; throws ValidationError naming the place of each problem.
export function parseNetwork(json: unknown, root = ''): NetworkSpec {
  return networkFromJson(parseOrThrow(networkSchema, json, root), root);
}
