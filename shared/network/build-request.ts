// POST /v1/builds: the request body's schema, its normalized form, and its content id.
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import { onnxToNetworkOffThread } from '../onnx/import-off-thread.js';
import type { BackendName, HardwareCompatibility, NetworkSpec, Precision, ProfileRange, TensorrtBuildOptions } from './spec.js';
import { decodeBase64, type DecodedBase64 } from './base64.js';
import { MAX_DIMS, MAX_NAME_LENGTH, MAX_ONNX_BYTES, MAX_TENSOR_ELEMENTS, base64Length } from './limits.js';
import { contentHash, writeCanonical } from './content-hash.js';
import { nameSchema, networkFromJson, networkSchema } from './schema.js';
import { ValidationError, parseOrThrow } from './validation-error.js';

export const PRECISIONS = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'] as const satisfies readonly Precision[];
export const BACKENDS = ['cpu', 'cuda', 'tensorrt'] as const satisfies readonly BackendName[];
export const BACKEND_CHOICES = ['auto', 'tensorrt', 'cuda', 'cpu'] as const;
export type BackendChoice = 'auto' | BackendName;
export const HARDWARE_COMPATIBILITY = ['none', 'ampere+', 'sameComputeCapability'] as const satisfies readonly HardwareCompatibility[];

const profileShape = z.array(z.number().int().min(1).max(MAX_TENSOR_ELEMENTS)).min(1).max(MAX_DIMS);

export const profileSchema = z
  .record(nameSchema, z.strictObject({ min: profileShape, opt: profileShape, max: profileShape }))
  .describe('per dynamic input: the full shapes of the smallest, typical and largest batch');

export const tensorrtOptionsSchema = z
  .strictObject({
    versionCompatible: z.boolean().default(false).describe('kVERSION_COMPATIBLE: runs on this TensorRT release and later ones (at least within its major)'),
    hardwareCompatibility: z
      .enum(HARDWARE_COMPATIBILITY)
      .default('none')
      .describe('none: this GPU model; ampere+: every Ampere or newer GPU; sameComputeCapability: GPUs of the same SM'),
  })
  .describe('tensorrt only (backend "tensorrt"): portable engines, at some cost in speed; the plan\'s compatKey says where it runs');

// A name given at build time: not part of the id; `/v2/models/:model` resolves it.
export const buildNameSchema = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .regex(/^[A-Za-z0-9_.-]+$/, 'a name is letters, digits, "_", "." and "-"')
  .describe('a name for the plan (not part of the id); a name resolves to the newest completed plan given it');

export const modelFields = {
  network: networkSchema.optional(),
  onnx: z.string().max(base64Length(MAX_ONNX_BYTES)).optional().describe('base64 of an ONNX model (FC subset)'),
};

// What one build (or one sweep variant) asks for besides the network.
export const variantFields = {
  precision: z.enum(PRECISIONS).default('fp32'),
  profile: profileSchema.optional(),
  backend: z.enum(BACKEND_CHOICES).default('auto'),
};

export function checkModelGiven(request: { network?: unknown; onnx?: unknown }, ctx: z.RefinementCtx): void {
  if ((request.network === undefined) === (request.onnx === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of "network" or "onnx"' });
  }
}

export function checkProfile(profile: Record<string, ProfileRange> | undefined, ctx: z.RefinementCtx, path: (string | number)[]): void {
  for (const [name, range] of Object.entries(profile ?? {})) {
    const { min, opt, max } = range;
    if (opt.length !== min.length || max.length !== min.length) {
      ctx.addIssue({ code: 'custom', path: [...path, name], message: 'min, opt and max must have the same number of dimensions' });
    } else if (min.some((dim, d) => dim > opt[d] || opt[d] > max[d])) {
      ctx.addIssue({ code: 'custom', path: [...path, name], message: 'each dimension needs min ≤ opt ≤ max' });
    }
  }
}

export function checkTensorrtOptions(request: { tensorrt?: unknown; backend: BackendChoice }, ctx: z.RefinementCtx): void {
  if (request.tensorrt !== undefined && request.backend !== 'tensorrt') {
    ctx.addIssue({ code: 'custom', path: ['tensorrt'], message: 'tensorrt options need "backend": "tensorrt"' });
  }
}

export const buildRequestSchema = z
  .strictObject({
    ...modelFields,
    ...variantFields,
    name: buildNameSchema.optional(),
    report: z.boolean().default(true).describe('false: no measured report on the plan (the build is faster)'),
    tensorrt: tensorrtOptionsSchema.optional(),
  })
  .superRefine((request, ctx) => {
    checkModelGiven(request, ctx);
    checkProfile(request.profile, ctx, ['profile']);
    checkTensorrtOptions(request, ctx);
  });
export type BuildRequestJson = z.input<typeof buildRequestSchema>;
export type BuildRequest = z.output<typeof buildRequestSchema>;

export interface BuildRequestOptions {
  precision: Precision;
  profile?: Record<string, ProfileRange>;
  backend: BackendChoice;
  tensorrt?: TensorrtBuildOptions;
  report?: false; // present only when the report is skipped, so other ids stay as they were
}

// What a build request asks for, whichever form it came in: the id is computed from this.
export interface NormalizedBuildRequest {
  network: NetworkSpec;
  options: BuildRequestOptions;
}

// A build request as the API handles it: the normalized request and the name it was given.
export interface NamedBuildRequest extends NormalizedBuildRequest {
  name?: string;
}

// A checked request (buildRequestSchema's output) → the network (decoded, or converted from ONNX)
// and the options with defaults applied. Rejects with ValidationError (OnnxImportError for ONNX).
// `decoded`: the request's base64 strings decoded while its body was read.
export async function normalizeBuildRequest(request: BuildRequest, decoded?: DecodedBase64): Promise<NamedBuildRequest> {
  const normalized: NamedBuildRequest = { network: await normalizeModel(request, decoded), options: normalizeOptions(request) };
  if (request.name !== undefined) normalized.name = request.name;
  return normalized;
}

// The network of a request, decoded or converted from ONNX (base64 in JSON, or the raw bytes of
// a multipart upload). An ONNX model is converted off the event loop.
export async function normalizeModel(request: { network?: unknown; onnx?: string | Uint8Array }, decoded?: DecodedBase64): Promise<NetworkSpec> {
  if (request.network !== undefined) return networkFromJson(request.network as z.output<typeof networkSchema>, 'network', decoded);
  if (typeof request.onnx === 'string') return onnxToNetworkOffThread(decodeBase64(request.onnx, 'onnx', decoded), true);
  if (request.onnx !== undefined) return onnxToNetworkOffThread(request.onnx);
  throw new ValidationError('give exactly one of "network" or "onnx"');
}

export function normalizeOptions(variant: {
  precision: Precision;
  profile?: Record<string, ProfileRange>;
  backend: BackendChoice;
  report?: boolean;
  tensorrt?: { versionCompatible: boolean; hardwareCompatibility: HardwareCompatibility };
}): BuildRequestOptions {
  const options: BuildRequestOptions = { precision: variant.precision, backend: variant.backend };
  if (variant.profile) options.profile = variant.profile;
  if (variant.report === false) options.report = false;
  // Only what differs from the defaults, so that spelling a default out keeps the id.
  const tensorrt: TensorrtBuildOptions = {};
  if (variant.tensorrt?.versionCompatible) tensorrt.versionCompatible = true;
  if (variant.tensorrt && variant.tensorrt.hardwareCompatibility !== 'none') tensorrt.hardwareCompatibility = variant.tensorrt.hardwareCompatibility;
  if (Object.keys(tensorrt).length > 0) options.tensorrt = tensorrt;
  return options;
}

// Checks and normalizes any JSON body; rejects with ValidationError.
export async function parseBuildRequest(json: unknown): Promise<NormalizedBuildRequest> {
  return normalizeBuildRequest(parseOrThrow(buildRequestSchema, json));
}

// The build's id: a sha256 (64 hex digits) of the normalized request, so the same request in any
// form (numbers or base64, any key order, defaults given or not) gets the same id.
export function buildRequestId(request: NormalizedBuildRequest): string {
  return new NetworkIdentity(request.network).requestId(request.options);
}

// The network's part of every id made from it, hashed once: a sweep's variants share it, and a
// network of hundreds of MB costs a fraction of a second per pass. `requestId` equals
// contentHash({ network, options }) (the canonical form writes "network" before "options").
export class NetworkIdentity {
  private readonly prefix: Hash;
  // A content key of the network alone (where its shared build input is kept).
  readonly key: string;

  constructor(network: NetworkSpec) {
    this.prefix = createHash('sha256');
    this.prefix.update('{"network":');
    writeCanonical(this.prefix, network);
    this.key = this.prefix.copy().digest('hex');
  }

  requestId(options: BuildRequestOptions): string {
    const hash = this.prefix.copy();
    hash.update(',"options":');
    writeCanonical(hash, options);
    hash.update('}');
    return hash.digest('hex');
  }
}

// The build's id: the request's and the class of device it is routed to.
export function buildId(requestId: string, compatKey: string): string {
  return contentHash({ request: requestId, compatKey });
}
