// Random networks over every layer kind of the contract, with their inputs and profile, for
// checking the engine against the float64 reference. Seeded: a failure names its seed.
import type { ActivationKind, ElementWiseOp, LayerSpec, NetworkSpec, ProfileRange } from '../../shared/network/spec.js';

export type Rng = () => number;

// mulberry32: small, fast, and the same sequence everywhere.
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ACTIVATIONS: ActivationKind[] = ['relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu'];
export const ELEMENTWISE_OPS: ElementWiseOp[] = ['sum', 'prod', 'sub', 'max', 'min'];
export const BLOCKS = ['fc', 'matmul', 'activation', 'constantOperand', 'residual', 'reshape', 'selfMatmul', 'foldedWeights'] as const;
export type Block = (typeof BLOCKS)[number];

export interface RandomNetwork {
  network: NetworkSpec;
  profile?: Record<string, ProfileRange>;
  batches: number[]; // the batches to run: min, opt, max and one in between when dynamic
  blocks: Block[];
}

export interface RandomNetworkOptions {
  depth: number; // blocks, 1–4
  rank: 2 | 4;
  dynamic: boolean;
  blocks?: Block[]; // forced blocks (cycled); random otherwise
}

// A layer without its name (the builder names it); distributes over the LayerSpec union.
type WithoutName<T> = T extends unknown ? Omit<T, 'name'> : never;
type LayerBody = WithoutName<LayerSpec>;

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]) => items[Math.floor(rng() * items.length)];
const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function randomData(rng: Rng, count: number, scale = 1): Float32Array {
  return Float32Array.from({ length: count }, () => (rng() * 2 - 1) * scale);
}

class NetworkBuilder {
  layers: LayerSpec[] = [];
  current: string;
  shape: number[]; // dim 0 is the batch (-1 when dynamic)
  private count = 0;

  constructor(
    private rng: Rng,
    input: string,
    shape: number[],
  ) {
    this.current = input;
    this.shape = shape;
  }

  private name(kind: string) {
    return `${kind}${this.count++}`;
  }

  // Adds a layer reading `inputs` (the current tensor by default, sometimes left implicit).
  add(layer: LayerBody, shape: number[]): string {
    const name = this.name(layer.type);
    const previous = this.layers[this.layers.length - 1];
    const implicit = layer.inputs === undefined && (previous === undefined || previous.name === this.current);
    const inputs = layer.inputs ?? [this.current];
    const full = { ...layer, name, ...(implicit && this.rng() < 0.5 ? {} : { inputs }) } as LayerSpec;
    if (layer.type === 'constant') delete (full as { inputs?: string[] }).inputs;
    this.layers.push(full);
    if (layer.type !== 'constant') {
      this.current = name;
      this.shape = shape;
    }
    return name;
  }

  constant(shape: number[], scale: number): string {
    return this.add({ type: 'constant', shape, values: randomData(this.rng, numel(shape), scale) }, shape);
  }

  flatten() {
    if (this.shape.length !== 2) this.add({ type: 'reshape', shape: [0, -1] }, [this.shape[0], numel(this.shape.slice(1))]);
  }

  activation() {
    const kind = pick(this.rng, ACTIVATIONS);
    const alpha = kind === 'leakyRelu' && this.rng() < 0.5 ? { alpha: Math.fround(0.05 + this.rng() * 0.3) } : {};
    this.add({ type: 'activation', kind, ...alpha }, this.shape);
  }
}

function addBlock(b: NetworkBuilder, rng: Rng, block: Block) {
  const k = numel(b.shape.slice(1));
  switch (block) {
    case 'fc': {
      const outputs = int(rng, 1, 24);
      const bias = rng() < 0.7 ? { bias: randomData(rng, outputs) } : {};
      const shape = [b.shape[0], outputs, ...new Array(b.shape.length - 2).fill(1)];
      b.add({ type: 'fullyConnected', outputs, weights: randomData(rng, outputs * k, 1 / Math.sqrt(k)), ...bias }, shape);
      return;
    }
    case 'matmul': {
      b.flatten();
      const n = int(rng, 1, 24);
      const transpose = rng() < 0.5;
      const w = b.constant(transpose ? [n, k] : [k, n], 1 / Math.sqrt(k));
      const x = b.current;
      b.add({ type: 'matrixMultiply', inputs: [x, w], transpose: [false, transpose] }, [b.shape[0], n]);
      const mm = b.current;
      const bias = b.constant(rng() < 0.5 ? [n] : [1, n], 1);
      b.add({ type: 'elementWise', inputs: rng() < 0.5 ? [mm, bias] : [bias, mm], op: 'sum' }, b.shape);
      if (rng() < 0.7) b.activation();
      return;
    }
    case 'activation':
      b.activation();
      return;
    case 'constantOperand': {
      const last = b.shape[b.shape.length - 1];
      const shape = pick(rng, [[last], [1, last], [1, ...b.shape.slice(1)]]);
      const x = b.current;
      const c = b.constant(shape, 1.5);
      const op = pick(rng, ELEMENTWISE_OPS);
      b.add({ type: 'elementWise', inputs: rng() < 0.5 ? [x, c] : [c, x], op }, b.shape);
      return;
    }
    case 'residual': {
      const x = b.current;
      b.activation();
      b.add({ type: 'elementWise', inputs: [x, b.current], op: pick(rng, ELEMENTWISE_OPS) }, b.shape);
      return;
    }
    case 'reshape': {
      if (b.shape.length !== 2) {
        b.flatten();
        return;
      }
      const a = [4, 3, 2].find((d) => k % d === 0 && k > d) ?? 1;
      b.add({ type: 'reshape', shape: rng() < 0.5 ? [0, a, -1] : [-1, a, k / a] }, [b.shape[0], a, k / a]);
      return;
    }
    case 'selfMatmul': {
      // A matrix product of two computed tensors, batched over dim 0: (N,a,c)·(N,a,c)ᵀ → (N,a,a).
      if (b.shape.length !== 3) addBlock(b, rng, 'reshape');
      if (b.shape.length !== 3) return;
      const x = b.current;
      b.add({ type: 'matrixMultiply', inputs: [x, x], transpose: [false, true] }, [b.shape[0], b.shape[1], b.shape[1]]);
      return;
    }
    case 'foldedWeights': {
      // Weights computed from constants at build time: act(W) feeding a matrix multiply.
      b.flatten();
      const n = int(rng, 1, 16);
      const x = b.current;
      const w = b.constant([k, n], 1 / Math.sqrt(k));
      const name = `folded${b.layers.length}`;
      b.layers.push({ name, type: 'activation', inputs: [w], kind: 'tanh' });
      b.add({ type: 'matrixMultiply', inputs: [x, name] }, [b.shape[0], n]);
      return;
    }
  }
}

export function randomNetwork(rng: Rng, options: RandomNetworkOptions): RandomNetwork {
  const dims = options.rank === 2 ? [int(rng, 1, 40)] : [int(rng, 1, 4), int(rng, 1, 4), int(rng, 1, 5)];
  const fixedBatch = int(rng, 1, 3);
  const shape = [options.dynamic ? -1 : fixedBatch, ...dims];
  const b = new NetworkBuilder(rng, 'x', shape);
  const blocks: Block[] = [];
  for (let i = 0; i < options.depth; i++) {
    const block = options.blocks ? options.blocks[i % options.blocks.length] : pick(rng, BLOCKS);
    blocks.push(block);
    addBlock(b, rng, block);
  }
  const network: NetworkSpec = { inputs: [{ name: 'x', shape }], layers: b.layers };
  const computed = b.layers.filter((l) => l.type !== 'constant' && !l.name.startsWith('folded')).map((l) => l.name);
  if (computed.length > 1 && rng() < 0.3) network.outputs = [b.current, computed[0]].filter((v, i, a) => a.indexOf(v) === i);
  if (!options.dynamic) return { network, batches: [fixedBatch], blocks };
  const min = int(rng, 1, 2);
  const opt = min + int(rng, 0, 3);
  const max = opt + int(rng, 1, 4);
  const profile = { x: { min: [min, ...dims], opt: [opt, ...dims], max: [max, ...dims] } };
  const between = int(rng, min, max);
  return { network, profile, batches: [...new Set([min, opt, max, between])], blocks };
}
