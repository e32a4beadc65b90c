// A minimal test harness: CHECK records a failure and carries on; main returns the count.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace check {

inline int& failures() {
  static int n = 0;
  return n;
}

inline void fail(const char* file, int line, const std::string& what) {
  std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what.c_str());
  ++failures();
}

// Runs `body`, expecting an Error of `code` whose message contains `fragment`.
inline bool throwsError(trtfarm::ErrorCode code, const std::string& fragment, const std::function<void()>& body,
                        std::string* message = nullptr) {
  try {
    body();
  } catch (const trtfarm::Error& e) {
    if (message) *message = e.what();
    if (e.code() == code && std::string(e.what()).find(fragment) != std::string::npos) return true;
    std::fprintf(stderr, "  got error (code %d): %s\n", static_cast<int>(e.code()), e.what());
    return false;
  }
  std::fprintf(stderr, "  no error thrown (expected one containing \"%s\")\n", fragment.c_str());
  return false;
}

}  // namespace check

#define CHECK(cond) \
  do {              \
    if (!(cond)) check::fail(__FILE__, __LINE__, #cond); \
  } while (0)

#define CHECK_THROWS(code, fragment, ...) \
  do {                                    \
    if (!check::throwsError(trtfarm::ErrorCode::code, fragment, [&] { __VA_ARGS__; })) \
      check::fail(__FILE__, __LINE__, std::string("expected Error{" #code "} containing \"") + (fragment) + "\""); \
  } while (0)

#define TEST_MAIN_END()                                                        \
  do {                                                                         \
    if (check::failures()) std::fprintf(stderr, "%d check(s) failed\n", check::failures()); \
    return check::failures() ? 1 : 0;                                          \
  } while (0)
