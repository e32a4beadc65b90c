#include <cstring>

#include "byte_io.h"
#include "crc32.h"
#include "plan.h"
#include "plan_check.h"
#include "plan_format.h"

namespace trtfarm {

namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::Plan, message); }

template <typename E>
E readEnum(ByteReader& r, const char* what, E last) {
  const size_t at = r.offset();
  const uint8_t v = r.u8(what);
  if (v > static_cast<uint8_t>(last))
    fail("corrupt plan: unknown " + std::string(what) + " " + std::to_string(v) + " at offset " + std::to_string(at));
  return static_cast<E>(v);
}

bool readBool(ByteReader& r, const char* what) {
  const uint8_t v = r.u8(what);
  if (v > 1) fail("corrupt plan: " + std::string(what) + " is " + std::to_string(v) + ", not 0 or 1");
  return v == 1;
}

Dims readDims(ByteReader& r, const char* what) {
  Dims dims(r.count(what, 8));
  for (int64_t& d : dims) d = r.i64(what);
  return dims;
}

std::vector<int32_t> readIndices(ByteReader& r, const char* what) {
  std::vector<int32_t> v(r.count(what, 4));
  for (int32_t& i : v) i = r.i32(what);
  return v;
}

std::vector<TensorDesc> readDescs(ByteReader& r, const char* what) {
  std::vector<TensorDesc> descs(r.count(what, 12));
  for (TensorDesc& d : descs) {
    d.name = r.str("tensor name");
    d.shape = readDims(r, "tensor shape");
    d.profile.resize(r.count("profile", 4));
    for (Dims& p : d.profile) p = readDims(r, "profile shape");
  }
  return descs;
}

Program readProgram(ByteReader& r) {
  Program p;
  p.values.resize(r.count("values", 12));
  for (Value& v : p.values) {
    v.name = r.str("value name");
    v.shape = readDims(r, "value shape");
    v.constant = r.i32("value constant");
  }
  p.weights.resize(r.count("weights", 13));
  for (Weights& w : p.weights) {
    w.dtype = readEnum(r, "weights dtype", DType::F8E4M3);
    w.shape = readDims(r, "weights shape");
    w.bytes = r.bytes("weights data");
  }
  p.ops.resize(r.count("ops", 44));
  for (Op& op : p.ops) {
    op.kind = readEnum(r, "op kind", Op::Kind::Alias);
    op.inputs = readIndices(r, "op inputs");
    op.output = r.i32("op output");
    op.k = r.i64("op k");
    op.n = r.i64("op n");
    op.weight = r.i32("op weight");
    op.bias = r.i32("op bias");
    op.activation = readEnum(r, "activation", Activation::LeakyRelu);
    op.alpha = r.f32("alpha");
    op.transposeA = readBool(r, "transposeA");
    op.transposeB = readBool(r, "transposeB");
    op.binary = readEnum(r, "element-wise op", BinaryOp::Min);
  }
  p.inputs = readIndices(r, "program inputs");
  p.outputs = readIndices(r, "program outputs");
  return p;
}

}  // namespace

Plan parsePlan(const uint8_t* data, size_t size) {
  if (size < kPlanHeaderBytes + kPlanChecksumBytes)
    fail("truncated plan: " + std::to_string(size) + " bytes is shorter than a plan's header");
  if (std::memcmp(data, kPlanMagic, sizeof kPlanMagic) != 0) fail("not a trtfarm plan (wrong magic bytes)");
  ByteReader header(data + sizeof kPlanMagic, 4);
  Plan plan;
  plan.formatVersion = header.u32("format version");
  if (plan.formatVersion != kPlanFormatVersion)
    fail("plan format version " + std::to_string(plan.formatVersion) + " is not supported (this build reads version " +
         std::to_string(kPlanFormatVersion) + "); rebuild the plan");
  const size_t body = size - kPlanChecksumBytes;
  ByteReader tail(data + body, kPlanChecksumBytes);
  const uint32_t stored = tail.u32("checksum");
  if (crc32(data, body) != stored) fail("corrupt plan: checksum mismatch (truncated or modified)");

  ByteReader r(data + kPlanHeaderBytes, body - kPlanHeaderBytes);
  plan.backend = r.str("backend");
  plan.backendVersion = r.str("backend version");
  plan.compatKey = r.str("compat key");
  plan.precision = readEnum(r, "precision", Precision::FP8);
  plan.batch.min = r.i64("batch min");
  plan.batch.opt = r.i64("batch opt");
  plan.batch.max = r.i64("batch max");
  plan.inputs = readDescs(r, "inputs");
  plan.outputs = readDescs(r, "outputs");
  plan.program = readProgram(r);
  plan.tactics = r.bytes("tactics");
  if (r.remaining() != 0) fail("corrupt plan: " + std::to_string(r.remaining()) + " unexpected bytes after the tactics");
  checkPlan(plan);
  return plan;
}

}  // namespace trtfarm
