// A normalized build request as job data: the contract's network JSON with every float array
// as base64, so a worker parses it with the same schema the API used (whatever form — numbers,
// base64 or ONNX — the client sent).
import type { BackendName, LayerSpec, NetworkSpec } from '../network/spec.js';
import type { BuildRequestJson, NormalizedBuildRequest } from '../network/build-request.js';

export function buildRequestToJson(request: NormalizedBuildRequest, backend: BackendName): BuildRequestJson {
  const { precision, profile } = request.options;
  return { network: networkToJson(request.network), precision, ...(profile ? { profile } : {}), backend };
}

function networkToJson(network: NetworkSpec): NonNullable<BuildRequestJson['network']> {
  return {
    inputs: network.inputs.map((input) => ({ name: input.name, shape: [...input.shape] })),
    layers: network.layers.map(layerToJson),
    ...(network.outputs ? { outputs: [...network.outputs] } : {}),
  };
}

function layerToJson(layer: LayerSpec) {
  const base = { name: layer.name, ...(layer.inputs ? { inputs: [...layer.inputs] } : {}) };
  switch (layer.type) {
    case 'fullyConnected':
      return {
        ...base,
        type: layer.type,
        outputs: layer.outputs,
        weights: base64(layer.weights),
        ...(layer.bias ? { bias: base64(layer.bias) } : {}),
      };
    case 'constant':
      return { name: layer.name, type: layer.type, shape: [...layer.shape], values: base64(layer.values) };
    case 'matrixMultiply':
      return { ...base, type: layer.type, ...(layer.transpose ? { transpose: layer.transpose } : {}) };
    case 'elementWise':
      return { ...base, type: layer.type, op: layer.op };
    case 'activation':
      return { ...base, type: layer.type, kind: layer.kind, ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}) };
    case 'reshape':
      return { ...base, type: layer.type, shape: [...layer.shape] };
  }
}

function base64(values: Float32Array): { base64: string } {
  return { base64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') };
}
