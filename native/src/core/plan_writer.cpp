#include "byte_io.h"
#include "crc32.h"
#include "plan.h"
#include "plan_format.h"

namespace trtfarm {

namespace {

void writeDims(ByteWriter& w, const Dims& dims) {
  w.u32(static_cast<uint32_t>(dims.size()));
  for (int64_t d : dims) w.i64(d);
}

void writeDescs(ByteWriter& w, const std::vector<TensorDesc>& descs) {
  w.u32(static_cast<uint32_t>(descs.size()));
  for (const TensorDesc& d : descs) {
    w.str(d.name);
    writeDims(w, d.shape);
    w.u32(static_cast<uint32_t>(d.profile.size()));
    for (const Dims& p : d.profile) writeDims(w, p);
  }
}

void writeIndices(ByteWriter& w, const std::vector<int32_t>& indices) {
  w.u32(static_cast<uint32_t>(indices.size()));
  for (int32_t i : indices) w.i32(i);
}

void writeProgram(ByteWriter& w, const Program& p) {
  w.u32(static_cast<uint32_t>(p.values.size()));
  for (const Value& v : p.values) {
    w.str(v.name);
    writeDims(w, v.shape);
    w.i32(v.constant);
  }
  w.u32(static_cast<uint32_t>(p.weights.size()));
  for (const Weights& wt : p.weights) {
    w.u8(static_cast<uint8_t>(wt.dtype));
    writeDims(w, wt.shape);
    w.bytes(wt.bytes);
  }
  w.u32(static_cast<uint32_t>(p.ops.size()));
  for (const Op& op : p.ops) {
    w.u8(static_cast<uint8_t>(op.kind));
    writeIndices(w, op.inputs);
    w.i32(op.output);
    w.i64(op.k);
    w.i64(op.n);
    w.i32(op.weight);
    w.i32(op.bias);
    w.u8(static_cast<uint8_t>(op.activation));
    w.f32(op.alpha);
    w.u8(op.transposeA);
    w.u8(op.transposeB);
    w.u8(static_cast<uint8_t>(op.binary));
  }
  writeIndices(w, p.inputs);
  writeIndices(w, p.outputs);
}

}  // namespace

std::vector<uint8_t> serializePlan(const Plan& plan) {
  ByteWriter w;
  // Room for the weights up front: growing a vector of hundreds of megabytes copies it each time.
  size_t payload = plan.tactics.size() + (1u << 16);
  for (const Weights& wt : plan.program.weights) payload += wt.bytes.size() + 64;
  w.buffer().reserve(payload);
  w.raw(kPlanMagic, sizeof kPlanMagic);
  w.u32(kPlanFormatVersion);
  w.str(plan.backend);
  w.str(plan.backendVersion);
  w.str(plan.compatKey);
  w.u8(static_cast<uint8_t>(plan.precision));
  w.i64(plan.batch.min);
  w.i64(plan.batch.opt);
  w.i64(plan.batch.max);
  writeDescs(w, plan.inputs);
  writeDescs(w, plan.outputs);
  writeProgram(w, plan.program);
  w.bytes(plan.tactics);
  const uint32_t checksum = crc32(w.buffer().data(), w.buffer().size());
  w.u32(checksum);
  return std::move(w.buffer());
}

}  // namespace trtfarm
