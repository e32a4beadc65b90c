#include "host_info.h"

#include <unistd.h>

#include <fstream>
#include <string>

namespace trtfarm::cpu {

namespace {

std::string cpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    const size_t start = line.find_first_not_of(' ', colon + 1);
    if (start != std::string::npos) return line.substr(start);
  }
  return "cpu";
}

}  // namespace

DeviceInfo hostDevice() {
  DeviceInfo info;
  info.index = 0;
  info.name = cpuModel();
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
  if (pages > 0 && pageSize > 0) info.memoryBytes = static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
  return info;
}

}  // namespace trtfarm::cpu
