// The config.pbtxt of a Triton model repository entry `<name>/1/model.plan` serving a tensorrt
// plan's engine. The shapes are the engine's full shapes (-1 for the dynamic batch), hence
// max_batch_size 0: Triton then takes the batch from the engine's optimization profile.
import type { PlanInfo, TensorInfo } from '../../shared/engine/types.js';

export type TritonPlanInfo = Pick<PlanInfo, 'compatKey' | 'inputs' | 'outputs'>;

// Every plan tensor is fp32 (TensorInfo.dtype).
const TRITON_TYPES: Record<TensorInfo['dtype'], string> = { float32: 'TYPE_FP32' };

export function tritonConfig(name: string, info: TritonPlanInfo): string {
  return [
    `# a trtfarm plan's TensorRT engine; it runs on ${info.compatKey}`,
    `name: ${quoted(name)}`,
    'platform: "tensorrt_plan"',
    'max_batch_size: 0',
    ...tensors('input', info.inputs),
    ...tensors('output', info.outputs),
    '',
  ].join('\n');
}

function tensors(kind: 'input' | 'output', list: TensorInfo[]): string[] {
  const entries = list.map((tensor) =>
    ['  {', `    name: ${quoted(tensor.name)}`, `    data_type: ${TRITON_TYPES[tensor.dtype]}`, `    dims: [ ${tensor.shape.join(', ')} ]`, '  }'].join('\n'),
  );
  return [`${kind} [`, entries.join(',\n'), ']'];
}

// A protobuf text-format string literal.
function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
