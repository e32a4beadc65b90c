// KServe v2 / Triton HTTP inference protocol, JSON form (FP32 only).
import { z } from 'zod';

import { MAX_IO_TENSORS, MAX_TENSOR_ELEMENTS } from '../../shared/network/limits.js';
import { nameSchema } from '../../shared/network/schema.js';
import { dimsSchema } from '../../shared/network/tensor.js';

const v2TensorMetaSchema = z.object({ name: z.string(), datatype: z.literal('FP32'), shape: z.array(z.number().int()) });

export const v2ModelMetadataSchema = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string().describe('trtfarm_<backend>'),
  inputs: z.array(v2TensorMetaSchema).describe('-1 for the dynamic batch'),
  outputs: z.array(v2TensorMetaSchema),
});

const parametersSchema = z.record(z.string(), z.unknown()).optional();

export const v2InferRequestSchema = z.object({
  id: z.string().max(256).optional(),
  parameters: parametersSchema,
  inputs: z
    .array(
      z.object({
        name: nameSchema,
        shape: dimsSchema,
        datatype: z.string().describe('FP32 (the only type trtfarm plans take)'),
        parameters: parametersSchema,
        data: z.array(z.number()).max(MAX_TENSOR_ELEMENTS).describe('flat, row-major'),
      }),
    )
    .min(1)
    .max(MAX_IO_TENSORS),
  outputs: z.array(z.object({ name: nameSchema, parameters: parametersSchema })).max(MAX_IO_TENSORS).optional(),
});

export const v2InferResponseSchema = z.object({
  model_name: z.string(),
  id: z.string().optional(),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), datatype: z.literal('FP32'), data: z.array(z.number()) })),
});
