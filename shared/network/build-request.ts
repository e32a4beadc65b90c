// POST /v1/builds: the request body's schema, its normalized form, and its content id.
import { z } from 'zod';
import { onnxToNetwork } from '../onnx/import.js';
import type { BackendName, NetworkSpec, Precision, ProfileRange } from './spec.js';
import { decodeBase64 } from './base64.js';
import { MAX_DIMS, MAX_ONNX_BYTES, MAX_TENSOR_ELEMENTS, base64Length } from './limits.js';
import { contentHash } from './content-hash.js';
import { nameSchema, networkFromJson, networkSchema } from './schema.js';
import { ValidationError, parseOrThrow } from './validation-error.js';

export const PRECISIONS = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8'] as const satisfies readonly Precision[];
export const BACKEND_CHOICES = ['auto', 'tensorrt', 'cuda', 'cpu'] as const;
export type BackendChoice = 'auto' | BackendName;

const profileShape = z.array(z.number().int().min(1).max(MAX_TENSOR_ELEMENTS)).min(1).max(MAX_DIMS);

export const profileSchema = z
  .record(nameSchema, z.strictObject({ min: profileShape, opt: profileShape, max: profileShape }))
  .describe('per dynamic input: the full shapes of the smallest, typical and largest batch');

export const buildRequestSchema = z
  .strictObject({
    network: networkSchema.optional(),
    onnx: z.string().max(base64Length(MAX_ONNX_BYTES)).optional().describe('base64 of an ONNX model (FC subset)'),
    precision: z.enum(PRECISIONS).default('fp32'),
    profile: profileSchema.optional(),
    backend: z.enum(BACKEND_CHOICES).default('auto'),
  })
  .superRefine((request, ctx) => {
    if ((request.network === undefined) === (request.onnx === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of "network" or "onnx"' });
    }
    for (const [name, range] of Object.entries(request.profile ?? {})) {
      const { min, opt, max } = range;
      if (opt.length !== min.length || max.length !== min.length) {
        ctx.addIssue({ code: 'custom', path: ['profile', name], message: 'min, opt and max must have the same number of dimensions' });
      } else if (min.some((dim, d) => dim > opt[d] || opt[d] > max[d])) {
        ctx.addIssue({ code: 'custom', path: ['profile', name], message: 'each dimension needs min ≤ opt ≤ max' });
      }
    }
  });
export type BuildRequestJson = z.input<typeof buildRequestSchema>;
export type BuildRequest = z.output<typeof buildRequestSchema>;

export interface BuildRequestOptions {
  precision: Precision;
  profile?: Record<string, ProfileRange>;
  backend: BackendChoice;
}

// What a build request asks for, whichever form it came in: the id is computed from this.
export interface NormalizedBuildRequest {
  network: NetworkSpec;
  options: BuildRequestOptions;
}

// A checked request (buildRequestSchema's output) → the network (decoded, or converted from ONNX)
// and the options with defaults applied. Throws ValidationError (OnnxImportError for ONNX).
export function normalizeBuildRequest(request: BuildRequest): NormalizedBuildRequest {
  let network: NetworkSpec;
  if (request.network !== undefined) {
    network = networkFromJson(request.network, 'network');
  } else if (request.onnx !== undefined) {
    network = onnxToNetwork(decodeBase64(request.onnx, 'onnx'));
  } else {
    throw new ValidationError('give exactly one of "network" or "onnx"');
  }
  const options: BuildRequestOptions = { precision: request.precision, backend: request.backend };
  if (request.profile) options.profile = request.profile;
  return { network, options };
}

// Checks and normalizes any JSON body; throws ValidationError.
export function parseBuildRequest(json: unknown): NormalizedBuildRequest {
  return normalizeBuildRequest(parseOrThrow(buildRequestSchema, json));
}

// The build's id: a sha256 (64 hex digits) of the normalized request, so the same request in any
// form (numbers or base64, any key order, defaults given or not) gets the same id.
export function buildRequestId(request: NormalizedBuildRequest): string {
  return contentHash(request);
}
