// Standard base64 (RFC 4648, with padding): how opaque backend bytes travel as JS strings
// (timing-cache tactics).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trtfarm {

std::string base64Encode(const std::vector<uint8_t>& bytes);
// nullopt for text that is not canonical padded base64.
std::optional<std::vector<uint8_t>> base64Decode(const std::string& text);

}  // namespace trtfarm
