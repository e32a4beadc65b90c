// Layout of a serialized plan (all integers little-endian):
//   magic "TRTFPLAN" · u32 format version · body · u32 CRC-32 of everything before it.
// Body: backend, backend version, compat key (strings: u32 length + bytes) · u8 precision ·
// i64 batch min/opt/max · input and output descs · program (values, weights, ops, inputs,
// outputs) · tactics (u64 length + bytes). Dims are u32 rank + i64 each.
#pragma once

#include <cstdint>

namespace trtfarm {

constexpr char kPlanMagic[8] = {'T', 'R', 'T', 'F', 'P', 'L', 'A', 'N'};
constexpr uint32_t kPlanFormatVersion = 1;
constexpr size_t kPlanHeaderBytes = sizeof(kPlanMagic) + 4;
constexpr size_t kPlanChecksumBytes = 4;

}  // namespace trtfarm
