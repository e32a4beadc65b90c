// KServe v2 / Triton HTTP inference protocol: JSON bodies and the binary tensor data extension.
import { z } from 'zod';

import { MAX_IO_TENSORS } from '../../shared/network/limits.js';
import { nameSchema } from '../../shared/network/schema.js';
import { dimsSchema } from '../../shared/network/tensor.js';

// The datatypes trtfarm takes and gives (plans compute on float32; the others are converted).
export const v2DatatypeSchema = z.enum(['FP32', 'FP16', 'BF16']);
export type V2Datatype = z.infer<typeof v2DatatypeSchema>;

const v2TensorMetaSchema = z.object({ name: z.string(), datatype: z.literal('FP32'), shape: z.array(z.number().int()) });

export const v2ModelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string().describe('trtfarm_<backend>'),
  inputs: z.array(v2TensorMetaSchema).describe('-1 for the dynamic batch'),
  outputs: z.array(v2TensorMetaSchema),
});

const parametersSchema = z.record(z.string(), z.unknown()).optional();

// Nested JSON data (as numpy's tolist() gives) is flattened row-major, and its elements checked
// to be numbers, by api/infer/v2-request.ts in one loop (a zod union per element costs more than
// the rest of the request); its count is checked against the shape.
const nestedNumbersSchema = z.array(z.unknown()).describe('numbers, or arrays of them, nested as the shape');

// The JSON of an inference request: the whole body, or its header when
// Inference-Header-Content-Length says the binary tensor data follows it.
export const v2InferRequestSchema = z.object({
  id: z.string().max(256).optional(),
  parameters: z
    .object({ binary_data_output: z.boolean().optional() })
    .catchall(z.unknown())
    .optional(),
  inputs: z
    .array(
      z.object({
        name: nameSchema,
        shape: dimsSchema,
        datatype: z.string().describe('FP32, FP16 or BF16'),
        parameters: z
          .object({ binary_data_size: z.number().int().min(0).optional() })
          .catchall(z.unknown())
          .optional(),
        data: nestedNumbersSchema.optional().describe('row-major, flat or nested; absent when the values are binary (parameters.binary_data_size)'),
      }),
    )
    .min(1)
    .max(MAX_IO_TENSORS),
  outputs: z
    .array(z.object({ name: nameSchema, parameters: z.object({ binary_data: z.boolean().optional() }).catchall(z.unknown()).optional() }))
    .max(MAX_IO_TENSORS)
    .optional(),
});
export type V2InferRequest = z.infer<typeof v2InferRequestSchema>;

// For the OpenAPI document (answers are written by api/infer/v2-answer.ts).
export const v2InferResponseSchema = z.object({
  model_name: z.string(),
  model_version: z.string(),
  id: z.string().optional(),
  outputs: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int()),
      datatype: v2DatatypeSchema,
      parameters: z.object({ binary_data_size: z.number().int() }).optional(),
      data: z.array(z.number()).optional(),
    }),
  ),
});

const durationSchema = z.object({ count: z.number().int(), ns: z.number().int() });

export const v2ModelStatsSchema = z.object({
  model_stats: z.array(
    z.object({
      name: z.string(),
      version: z.string(),
      last_inference: z.number().int(),
      inference_count: z.number().int(),
      execution_count: z.number().int(),
      inference_stats: z.object({ success: durationSchema, fail: durationSchema, queue: durationSchema, compute_infer: durationSchema }),
      batch_stats: z.array(z.object({ batch_size: z.number().int(), compute_infer: durationSchema })),
    }),
  ),
});
