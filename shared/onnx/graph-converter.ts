// Walks an ONNX graph's nodes in order and writes the equivalent layers of a NetworkSpec.
import onnxProto from 'onnx-proto';
import { MAX_DIMS, MAX_IO_TENSORS, MAX_LAYERS, MAX_NAME_LENGTH, MAX_TENSOR_ELEMENTS, MAX_TOTAL_WEIGHT_BYTES } from '../network/limits.js';
import type { ActivationKind, ElementWiseOp, InputSpec, LayerSpec, NetworkSpec } from '../network/spec.js';
import { readTensorProto, toNumber, type OnnxConstant } from './constant.js';
import type { ValidationKind } from '../network/validation-error.js';
import { OnnxImportError } from './onnx-import-error.js';
import { broadcast, product, reshapeTarget, transpose2d } from './shapes.js';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

// What an ONNX value name stands for: a tensor of the network (a network input or a layer's
// output) or a constant not yet written as a layer.
type Known = { kind: 'tensor'; tensor: string; shape: number[] } | OnnxConstant;
type Tensor = Extract<Known, { kind: 'tensor' }>;
type FloatConstant = Extract<Known, { kind: 'float' }>;

const ACTIVATIONS: Record<string, ActivationKind> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Gelu: 'gelu', LeakyRelu: 'leakyRelu' };
const BINARY: Record<string, ElementWiseOp> = { Add: 'sum', Mul: 'prod', Sub: 'sub' };

export class GraphConverter {
  private readonly known = new Map<string, Known>();
  private readonly layers: LayerSpec[] = [];
  private readonly inputs: InputSpec[] = [];
  // Every name in the graph, so that names made up for extra layers never collide with one.
  private readonly taken = new Set<string>();
  private readonly layerNames = new Set<string>();
  // Constants already written as constant layers.
  private readonly written = new Map<Known, Tensor>();
  // A constant's ONNX name (the first it was known by), for the layer it becomes.
  private readonly constantNames = new Map<Known, string>();
  // The next suffix to try for a made-up name, per base.
  private readonly suffixes = new Map<string, number>();
  private weightBytes = 0;
  private where = '';

  // The limits that names and counts alone decide are checked here, before any conversion work;
  // the layer and weight limits as layers are written (see push).
  constructor(private readonly graph: onnxProto.onnx.IGraphProto) {
    const initializers = new Set((graph.initializer ?? []).map((init) => init.name ?? ''));
    const inputs = (graph.input ?? []).filter((info) => !initializers.has(info.name ?? ''));
    const outputs = graph.output ?? [];
    if (inputs.length > MAX_IO_TENSORS) throw new OnnxImportError(`${inputs.length} graph inputs, over the limit of ${MAX_IO_TENSORS}`, 'over-limit');
    if (outputs.length > MAX_IO_TENSORS) throw new OnnxImportError(`${outputs.length} graph outputs, over the limit of ${MAX_IO_TENSORS}`, 'over-limit');
    const claim = (name: string, where: () => string) => {
      if (name.length > MAX_NAME_LENGTH) {
        throw new OnnxImportError(`${where()}: a name of ${name.length} characters, over the limit of ${MAX_NAME_LENGTH}`, 'over-limit');
      }
      this.taken.add(name);
    };
    (graph.input ?? []).forEach((info, i) => claim(info.name ?? '', () => `graph input #${i}`));
    (graph.initializer ?? []).forEach((init, i) => claim(init.name ?? '', () => `initializer #${i}`));
    (graph.node ?? []).forEach((node, i) => (node.output ?? []).forEach((out, o) => claim(out, () => `node #${i} (${node.opType}) output ${o}`)));
    outputs.forEach((info, i) => claim(info.name ?? '', () => `graph output #${i}`));
  }

  convert(): NetworkSpec {
    for (const init of this.graph.initializer ?? []) {
      this.remember(init.name ?? '', readTensorProto(init, `initializer ${JSON.stringify(init.name)}`));
    }
    for (const info of this.graph.input ?? []) {
      if (!this.known.has(info.name ?? '')) this.addInput(info);
    }
    (this.graph.node ?? []).forEach((node, i) => {
      const output = node.output?.[0] ?? '';
      this.where = `node ${node.name ? JSON.stringify(node.name) : `#${i} (output ${JSON.stringify(output)})`} (${node.opType})`;
      if (node.domain && node.domain !== 'ai.onnx') this.fail(`operators of domain ${JSON.stringify(node.domain)} are not supported`);
      this.convertNode(node);
    });
    this.where = 'graph outputs';
    const outputs = (this.graph.output ?? []).map((info) => this.exposeOutput(info.name ?? ''));
    if (!outputs.length) this.fail('the graph has no outputs');
    return { inputs: this.inputs, layers: this.layers, outputs };
  }

  private convertNode(node: NodeProto): void {
    const op = node.opType ?? '';
    const out = node.output?.[0];
    if (!out) this.fail('the node has no output');
    if (Object.hasOwn(ACTIVATIONS, op)) return this.activation(node, ACTIVATIONS[op], out);
    if (Object.hasOwn(BINARY, op)) return this.elementWise(BINARY[op], this.arg(node, 0), this.arg(node, 1), out);
    switch (op) {
      case 'Gemm': return this.gemm(node, out);
      case 'MatMul': return this.matMul(this.arg(node, 0), this.arg(node, 1), out);
      case 'Flatten': return this.flatten(node, out);
      case 'Reshape': return this.reshape(node, out);
      case 'Constant': return this.constant(node, out);
      case 'Identity': return this.remember(out, this.arg(node, 0));
      default:
        this.fail(`operator ${op} is not supported (supported: Gemm, MatMul, Add, Mul, Sub, Relu, Sigmoid, Tanh, Gelu, LeakyRelu, Flatten, Reshape, Constant, Identity)`);
    }
  }

  private addInput(info: onnxProto.onnx.IValueInfoProto): void {
    const name = info.name ?? '';
    const where = `graph input ${JSON.stringify(name)}`;
    const tensorType = info.type?.tensorType;
    if (!tensorType || tensorType.elemType !== onnx.TensorProto.DataType.FLOAT) {
      throw new OnnxImportError(`${where}: only float32 tensor inputs are supported`);
    }
    if (!tensorType.shape) throw new OnnxImportError(`${where}: the input has no shape; give its rank and every dimension but the batch`);
    const shape = (tensorType.shape.dim ?? []).map((dim, d) => {
      const value = dim.dimValue != null ? toNumber(dim.dimValue) : 0;
      if (value > 0) return value;
      if (d === 0) return -1;
      throw new OnnxImportError(`${where}: dimension ${d} is ${dim.dimParam ? `the symbol ${JSON.stringify(dim.dimParam)}` : 'unknown'}; only the batch dimension (dimension 0) may be dynamic`);
    });
    if (shape.length > MAX_DIMS) throw new OnnxImportError(`${where}: ${shape.length} dimensions, over the limit of ${MAX_DIMS}`, 'over-limit');
    if (product(shape.filter((dim) => dim > 0)) > MAX_TENSOR_ELEMENTS) {
      throw new OnnxImportError(`${where}: more than ${MAX_TENSOR_ELEMENTS} elements per batch item, the limit`, 'over-limit');
    }
    this.inputs.push({ name, shape });
    this.known.set(name, { kind: 'tensor', tensor: name, shape });
  }

  // Y = alpha · A' · B' + beta · C. Written as fullyConnected (X·Wᵀ + b) when B is constant and A a
  // 2-D tensor, else as matrixMultiply with the scale and C as element-wise layers.
  private gemm(node: NodeProto, out: string): void {
    const alpha = this.floatAttr(node, 'alpha', 1);
    const beta = this.floatAttr(node, 'beta', 1);
    const transA = this.intAttr(node, 'transA', 0) !== 0;
    const transB = this.intAttr(node, 'transB', 0) !== 0;
    const a = this.arg(node, 0);
    const b = this.arg(node, 1);
    const c = node.input?.[2] ? this.arg(node, 2) : undefined;
    if (a.shape.length !== 2 || b.shape.length !== 2) this.fail(`A and B must be 2-D, got [${a.shape}] and [${b.shape}]`);
    const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
    const [kB, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
    if (k !== kB) this.fail(`inner dimensions differ: A' is [${m}, ${k}], B' is [${kB}, ${n}]`);

    if (a.kind === 'tensor' && !transA && b.kind === 'float') {
      // B' as it is shares the initializer's data (nothing changes either): a copy only to scale it.
      const weights = !transB ? transpose2d(b.data, k, n) : alpha === 1 ? b.data : b.data.slice();
      scale(weights, alpha);
      const bias = c?.kind === 'float' && isRowVector(c.shape, n) ? expandRow(c.data, n, beta) : undefined;
      const fcName = c && !bias ? this.fresh(`${out}/fc`) : out;
      this.push({ name: fcName, type: 'fullyConnected', inputs: [a.tensor], outputs: n, weights, ...(bias ? { bias } : {}) });
      const fc: Tensor = { kind: 'tensor', tensor: fcName, shape: [m, n] };
      if (!c || bias) return void this.known.set(out, fc);
      return this.elementWise('sum', fc, this.scaled(c, beta, out), out);
    }

    // alpha folds into a constant operand when there is one.
    const [a2, b2] = alpha === 1 ? [a, b] : b.kind === 'float' ? [a, scaledConstant(b, alpha)] : a.kind === 'float' ? [scaledConstant(a, alpha), b] : [a, b];
    const productName = c || (alpha !== 1 && a2 === a && b2 === b) ? this.fresh(`${out}/matmul`) : out;
    this.push({ name: productName, type: 'matrixMultiply', inputs: [this.tensor(a2).tensor, this.tensor(b2).tensor], transpose: [transA, transB] });
    let result: Tensor = { kind: 'tensor', tensor: productName, shape: [m, n] };
    if (alpha !== 1 && a2 === a && b2 === b) {
      const scaledName = c ? this.fresh(`${out}/alpha`) : out;
      this.elementWise('prod', result, { kind: 'float', shape: [1, 1], data: Float32Array.of(alpha) }, scaledName);
      result = this.known.get(scaledName) as Tensor;
    }
    if (!c) return void this.known.set(out, result);
    this.elementWise('sum', result, this.scaled(c, beta, out), out);
  }

  private matMul(a: Known, b: Known, out: string): void {
    if (a.shape.length < 2 || b.shape.length < 2) this.fail(`1-D operands are not supported, got [${a.shape}] and [${b.shape}]`);
    const [m, k] = a.shape.slice(-2);
    const [kB, n] = b.shape.slice(-2);
    if (k !== kB) this.fail(`inner dimensions differ: [${a.shape}] · [${b.shape}]`);
    const lead = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (!lead) this.fail(`leading dimensions of [${a.shape}] and [${b.shape}] do not broadcast`);
    this.push({ name: out, type: 'matrixMultiply', inputs: [this.tensor(a).tensor, this.tensor(b).tensor], transpose: [false, false] });
    this.known.set(out, { kind: 'tensor', tensor: out, shape: [...lead, m, n] });
  }

  private elementWise(op: ElementWiseOp, a: Known, b: Known, out: string): void {
    const shape = broadcast(a.shape, b.shape);
    if (!shape) this.fail(`shapes [${a.shape}] and [${b.shape}] do not broadcast (the dynamic batch only against itself or 1)`);
    this.push({ name: out, type: 'elementWise', op, inputs: [this.tensor(a).tensor, this.tensor(b).tensor] });
    this.known.set(out, { kind: 'tensor', tensor: out, shape });
  }

  private activation(node: NodeProto, kind: ActivationKind, out: string): void {
    if (kind === 'gelu') {
      const approximate = this.stringAttr(node, 'approximate', 'none');
      if (approximate !== 'none') this.fail(`approximate="${approximate}" is not supported; only the exact (erf) Gelu is`);
    }
    const input = this.tensor(this.arg(node, 0));
    const alpha = kind === 'leakyRelu' ? { alpha: this.floatAttr(node, 'alpha', 0.01) } : {};
    this.push({ name: out, type: 'activation', kind, inputs: [input.tensor], ...alpha });
    this.known.set(out, { kind: 'tensor', tensor: out, shape: input.shape });
  }

  private flatten(node: NodeProto, out: string): void {
    const input = this.arg(node, 0);
    const rank = input.shape.length;
    let axis = this.intAttr(node, 'axis', 1);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis > rank) this.fail(`axis ${this.intAttr(node, 'axis', 1)} is outside the input's rank ${rank}`);
    if (input.shape[0] === -1 && (axis === 0 || product(input.shape.slice(1, axis)) !== 1)) {
      this.fail(`axis ${axis} would fold other dimensions into the dynamic batch; only dimension 0 may be dynamic, unscaled`);
    }
    const outer = input.shape[0] === -1 ? -1 : product(input.shape.slice(0, axis));
    this.reshapeTo(input, [outer, product(input.shape.slice(axis))], [outer, product(input.shape.slice(axis))], out);
  }

  private reshape(node: NodeProto, out: string): void {
    const input = this.arg(node, 0);
    const target = this.arg(node, 1);
    if (target.kind !== 'int64') this.fail('the shape must be a constant int64 tensor (an initializer or a Constant node)');
    if (this.intAttr(node, 'allowzero', 0) !== 0 && target.data.includes(0)) this.fail('allowzero=1 with a 0 in the shape is not supported');
    const shape = reshapeTarget(input.shape, target.data);
    if (typeof shape === 'string') this.fail(shape);
    this.reshapeTo(input, target.data, shape, out);
  }

  // A constant is reshaped here; a tensor gets a reshape layer.
  private reshapeTo(input: Known, target: number[], shape: number[], out: string): void {
    if (input.kind !== 'tensor') return this.remember(out, { ...input, shape } as Known);
    this.push({ name: out, type: 'reshape', inputs: [input.tensor], shape: target });
    this.known.set(out, { kind: 'tensor', tensor: out, shape });
  }

  private constant(node: NodeProto, out: string): void {
    const attr = node.attribute?.[0];
    if (!attr || (node.attribute?.length ?? 0) > 1) this.fail('a Constant node needs exactly one value attribute');
    const f = (values: number[], shape: number[]): Known => ({ kind: 'float', shape, data: Float32Array.from(values) });
    switch (attr.name) {
      case 'value': return this.remember(out, readTensorProto(attr.t ?? {}, this.where));
      case 'value_float': return this.remember(out, f([attr.f ?? 0], []));
      case 'value_floats': return this.remember(out, f(attr.floats ?? [], [attr.floats?.length ?? 0]));
      case 'value_int': return this.remember(out, { kind: 'int64', shape: [], data: [toNumber(attr.i ?? 0)] });
      case 'value_ints': return this.remember(out, { kind: 'int64', shape: [attr.ints?.length ?? 0], data: (attr.ints ?? []).map(toNumber) });
      default: this.fail(`attribute ${attr.name} is not supported`);
    }
  }

  // A graph output must be a layer of that name; values that are not one yet (Identity's aliases,
  // constants) get one here.
  private exposeOutput(name: string): string {
    const value = this.known.get(name);
    if (!value) this.fail(`${JSON.stringify(name)} is not produced by any node`);
    const current = value.kind === 'tensor' ? value : this.written.get(value);
    if (current?.tensor === name && this.layerNames.has(name)) return name;
    if (this.inputs.some((input) => input.name === name)) this.fail(`${JSON.stringify(name)} is a graph input: the graph computes nothing for it`);
    if (value.kind === 'tensor') this.push({ name, type: 'reshape', inputs: [value.tensor], shape: value.shape.map(() => 0) });
    else this.tensor(value, name);
    return name;
  }

  // The operand `index` of the node, which must be known already.
  private arg(node: NodeProto, index: number): Known {
    const name = node.input?.[index];
    if (!name) this.fail(`input ${index} is missing`);
    const value = this.known.get(name);
    if (!value) this.fail(`input ${JSON.stringify(name)} is not a graph input, an initializer or the output of an earlier node`);
    if (value.kind === 'int64' && node.opType !== 'Reshape' && node.opType !== 'Identity') {
      this.fail(`input ${JSON.stringify(name)} is int64; integer tensors are only supported as Reshape shapes`);
    }
    return value;
  }

  // A value as a tensor of the network: a constant is written as a constant layer, once, named
  // `layerName`, else by its ONNX name when it has one and that is free.
  private tensor(value: Known, layerName?: string): Tensor {
    if (value.kind === 'tensor') return value;
    if (value.kind === 'int64') this.fail('an int64 tensor can only be a Reshape shape');
    const cached = this.written.get(value);
    if (cached && (layerName === undefined || cached.tensor === layerName)) return cached;
    const onnxName = this.constantNames.get(value);
    const name = layerName ?? (onnxName !== undefined && !this.layerNames.has(onnxName) ? onnxName : this.fresh(onnxName ?? 'constant'));
    // A scalar constant becomes [1]: shapes of the network have at least one dimension.
    const shape = value.shape.length ? value.shape : [1];
    this.push({ name, type: 'constant', shape, values: value.data });
    const tensor: Tensor = { kind: 'tensor', tensor: name, shape };
    if (!cached) this.written.set(value, tensor);
    return tensor;
  }

  // Checked before each layer is added, so that a model over a limit costs at most the work
  // of the layers the limit admits.
  private push(layer: LayerSpec): void {
    if (this.layers.length === MAX_LAYERS) this.fail(`the model converts to more than ${MAX_LAYERS} layers, the limit`, 'over-limit');
    // float16 initializers double in size as float32.
    if (layer.type === 'fullyConnected') this.weightBytes += layer.weights.byteLength + (layer.bias?.byteLength ?? 0);
    if (layer.type === 'constant') this.weightBytes += layer.values.byteLength;
    if (this.weightBytes > MAX_TOTAL_WEIGHT_BYTES) {
      this.fail(`the model's weights take more than ${MAX_TOTAL_WEIGHT_BYTES} bytes as float32, the limit`, 'over-limit');
    }
    this.layers.push(layer);
    this.layerNames.add(layer.name);
  }

  private remember(name: string, value: Known): void {
    this.known.set(name, value);
    if (value.kind !== 'tensor' && !this.constantNames.has(value)) this.constantNames.set(value, name);
  }

  // beta · C: folded into C when C is constant, else an element-wise product.
  private scaled(c: Known, beta: number, out: string): Known {
    if (beta === 1) return c;
    if (c.kind === 'float') return scaledConstant(c, beta);
    const name = this.fresh(`${out}/beta`);
    this.elementWise('prod', c, { kind: 'float', shape: c.shape.map(() => 1), data: Float32Array.of(beta) }, name);
    return this.known.get(name)!;
  }

  private fresh(base: string): string {
    let name = base;
    let i = this.suffixes.get(base) ?? 1;
    for (; this.taken.has(name); i++) name = `${base}_${i}`;
    this.suffixes.set(base, i);
    this.taken.add(name);
    return name;
  }

  private attr(node: NodeProto, name: string): AttributeProto | undefined {
    return node.attribute?.find((attribute) => attribute.name === name);
  }
  private floatAttr(node: NodeProto, name: string, fallback: number): number {
    const attribute = this.attr(node, name);
    return attribute ? attribute.f ?? 0 : fallback;
  }
  private intAttr(node: NodeProto, name: string, fallback: number): number {
    const attribute = this.attr(node, name);
    return attribute ? toNumber(attribute.i ?? 0) : fallback;
  }
  private stringAttr(node: NodeProto, name: string, fallback: string): string {
    const attribute = this.attr(node, name);
    return attribute?.s ? Buffer.from(attribute.s).toString('utf8') : fallback;
  }

  private fail(message: string, kind: ValidationKind = 'invalid'): never {
    throw new OnnxImportError(`${this.where}: ${message}`, kind);
  }
}

// Gemm's C as a bias: a shape that broadcasts to [M, N] along rows ([], [1], [N], [1, 1], [1, N]).
function isRowVector(shape: readonly number[], n: number): boolean {
  return shape.length <= 2 && (shape.length < 2 || shape[0] === 1) && (product(shape) === n || product(shape) === 1);
}

function expandRow(data: Float32Array, n: number, beta: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => beta * data[data.length === 1 ? 0 : i]);
}

function scale(data: Float32Array, factor: number): void {
  if (factor !== 1) for (let i = 0; i < data.length; i++) data[i] *= factor;
}

function scaledConstant(value: FloatConstant, factor: number): FloatConstant {
  const data = value.data.slice();
  scale(data, factor);
  return { kind: 'float', shape: value.shape, data };
}
