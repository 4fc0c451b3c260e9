#pragma once
// What an operation that can fail returns: its value, or the text saying what was wrong and what to
// do instead (or, where a caller needs its parts, an error struct). One type for every such
// operation, in place of a bool or an optional beside a `std::string& error` out-parameter.
//
// Example:
//   result<int> port(std::string_view text) {
//     if (text.empty()) return fail("--port needs a value");
//     return 8080;
//   }
//   const auto p = port(v);
//   if (!p) std::cerr << p.error();  // else *p

#include <optional>
#include <string>
#include <utility>

namespace kuaidi {

// The error of a failed operation, converted to any result<T, Error>.
template <typename Error = std::string>
struct failure {
  Error error;
};

inline failure<> fail(std::string error) { return {std::move(error)}; }

template <typename T = void, typename Error = std::string>
class result {
 public:
  // Implicit both ways, so that a function returns its value or fail(…) as they are.
  result(T value) : value_(std::move(value)) {}
  result(failure<Error> f) : error_(std::move(f.error)) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Empty (a default Error) when ok().
  const Error& error() const { return error_; }

  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Error error_;
};

// An operation with nothing to return but its success: `return {};` succeeds.
template <typename Error>
class result<void, Error> {
 public:
  result() = default;
  result(failure<Error> f) : ok_(false), error_(std::move(f.error)) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  bool ok_ = true;
  Error error_;
};

}  // namespace kuaidi
