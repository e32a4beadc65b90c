#pragma once

#include <cstddef>
#include <cstdint>

namespace trtfarm {

// CRC-32 (IEEE 802.3, the zlib polynomial) of `size` bytes.
uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace trtfarm
