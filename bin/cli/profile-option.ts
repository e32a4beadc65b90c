// --profile x=MIN:OPT:MAX: each of MIN, OPT, MAX a full shape (1x3x4x5) or a batch size alone
// (8), whose other dimensions are the input's own.
import type { NetworkSpec } from '../../shared/network/spec.js';
import { UsageError } from './usage-error.js';

export type Profile = Record<string, { min: number[]; opt: number[]; max: number[] }>;

// "x=1:8:64,y=1:8:64" (one profile, several inputs) → { x: …, y: … }
export function parseProfile(text: string, network: NetworkSpec): Profile {
  const profile: Profile = {};
  for (const part of text.split(',')) {
    const match = /^([^=]+)=([^:]+):([^:]+):([^:]+)$/.exec(part.trim());
    if (!match) throw new UsageError(`--profile ${part}: expected NAME=MIN:OPT:MAX, e.g. x=1:8:64 or x=1x3x4x5:8x3x4x5:64x3x4x5`);
    const [, name, ...ranges] = match;
    const input = network.inputs.find((candidate) => candidate.name === name);
    if (!input) throw new UsageError(`--profile ${part}: the network has no input "${name}" (inputs: ${network.inputs.map((i) => i.name).join(', ')})`);
    const [min, opt, max] = ranges.map((range) => shapeOf(range, input.shape, part));
    profile[name] = { min, opt, max };
  }
  return profile;
}

function shapeOf(text: string, inputShape: readonly number[], part: string): number[] {
  const dims = text.split('x').map(Number);
  if (dims.some((dim) => !Number.isInteger(dim) || dim < 1)) throw new UsageError(`--profile ${part}: "${text}" is not a batch size or a shape like 8x3x4x5`);
  return dims.length === 1 ? [dims[0], ...inputShape.slice(1)] : dims;
}
