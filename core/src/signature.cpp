// The own platform's signature (kuaidi-kit's default scheme, see signature.hpp) with
// self-contained MD5 (RFC 1321), SHA-256 (FIPS 180-4) and HMAC (RFC 2104): the core is also
// compiled to WebAssembly, where no crypto library is at hand.

#include "kuaidi/signature.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "enum_names.hpp"
#include "text.hpp"

namespace kuaidi {
namespace {

using std::uint32_t;
using std::uint64_t;
using std::uint8_t;

constexpr std::size_t block_size = 64;  // both MD5 and SHA-256 work on 512-bit blocks

// Feeds `data` block by block to `compress`, then the padding: 0x80, zeros, and the bit length
// in 8 bytes (little-endian for MD5, big-endian for SHA-256).
template <typename Compress>
void process_padded(std::string_view data, bool big_endian_length, Compress&& compress) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  std::size_t full = data.size() / block_size * block_size;
  for (std::size_t at = 0; at < full; at += block_size) compress(bytes + at);

  std::array<uint8_t, 2 * block_size> tail{};
  const std::size_t rest = data.size() - full;
  std::copy(bytes + full, bytes + data.size(), tail.begin());
  tail[rest] = 0x80;
  const std::size_t tail_size = rest + 1 + 8 <= block_size ? block_size : 2 * block_size;
  const uint64_t bit_length = static_cast<uint64_t>(data.size()) * 8u;
  for (std::size_t i = 0; i < 8; ++i) {
    const auto byte = static_cast<uint8_t>(bit_length >> (8 * i));
    tail[big_endian_length ? tail_size - 1 - i : tail_size - 8 + i] = byte;
  }
  for (std::size_t at = 0; at < tail_size; at += block_size) compress(tail.data() + at);
}

constexpr uint32_t rotl(uint32_t x, unsigned n) { return (x << n) | (x >> (32u - n)); }
constexpr uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }

// MD5 (RFC 1321)

constexpr uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

constexpr unsigned md5_shift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

std::array<uint8_t, 16> md5_digest(std::string_view data) {
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  process_padded(data, false, [&h](const uint8_t* block) {
    uint32_t m[16];
    for (std::size_t i = 0; i < 16; ++i)
      m[i] = uint32_t{block[4 * i]} | uint32_t{block[4 * i + 1]} << 8 | uint32_t{block[4 * i + 2]} << 16 |
             uint32_t{block[4 * i + 3]} << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (std::size_t i = 0; i < 64; ++i) {
      uint32_t f;
      std::size_t g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const uint32_t rotated = rotl(a + f + md5_k[i] + m[g], md5_shift[i]);
      a = d;
      d = c;
      c = b;
      b = b + rotated;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  });
  std::array<uint8_t, 16> out{};
  for (std::size_t i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(h[i / 4] >> (8 * (i % 4)));
  return out;
}

// SHA-256 (FIPS 180-4)

constexpr uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

using sha256_bytes = std::array<uint8_t, 32>;

sha256_bytes sha256_digest(std::string_view data) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  process_padded(data, true, [&h](const uint8_t* block) {
    uint32_t w[64];
    for (std::size_t i = 0; i < 16; ++i)
      w[i] = uint32_t{block[4 * i]} << 24 | uint32_t{block[4 * i + 1]} << 16 |
             uint32_t{block[4 * i + 2]} << 8 | uint32_t{block[4 * i + 3]};
    for (std::size_t i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (std::size_t i = 0; i < 64; ++i) {
      const uint32_t sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const uint32_t choose = (e & f) ^ (~e & g);
      const uint32_t t1 = k + sum1 + choose + sha256_k[i] + w[i];
      const uint32_t sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = sum0 + majority;
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  });
  sha256_bytes out{};
  for (std::size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(h[i / 4] >> (24 - 8 * (i % 4)));
  return out;
}

// HMAC-SHA256 (RFC 2104)

sha256_bytes hmac_sha256_digest(std::string_view key, std::string_view data) {
  std::string block_key(block_size, '\0');
  if (key.size() > block_size) {
    const sha256_bytes hashed = sha256_digest(key);
    std::copy(hashed.begin(), hashed.end(), block_key.begin());
  } else {
    std::copy(key.begin(), key.end(), block_key.begin());
  }
  std::string inner(block_key), outer(block_key);
  for (std::size_t i = 0; i < block_size; ++i) {
    inner[i] = static_cast<char>(inner[i] ^ 0x36);
    outer[i] = static_cast<char>(outer[i] ^ 0x5c);
  }
  inner.append(data);
  const sha256_bytes inner_digest = sha256_digest(inner);
  outer.append(reinterpret_cast<const char*>(inner_digest.data()), inner_digest.size());
  return sha256_digest(outer);
}

template <std::size_t N>
std::string to_hex(const std::array<uint8_t, N>& bytes) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * N);
  for (uint8_t byte : bytes) {
    out.push_back(digits[byte >> 4]);
    out.push_back(digits[byte & 0x0f]);
  }
  return out;
}

}  // namespace

std::string md5_hex(std::string_view data) { return to_hex(md5_digest(data)); }

std::string sha256_hex(std::string_view data) { return to_hex(sha256_digest(data)); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  return to_hex(hmac_sha256_digest(key, data));
}

namespace {

constexpr names::row<sign_algorithm> sign_algorithm_names[] = {
    {sign_algorithm::md5, "md5"},
    {sign_algorithm::sha256, "sha256"},
    {sign_algorithm::hmac_sha256, "hmac-sha256"},
    {sign_algorithm::hmac_sha256, "hmac_sha256"},
};
static_assert(names::covers(sign_algorithm_names, sign_algorithm::hmac_sha256));

}  // namespace

std::string_view to_string(sign_algorithm algorithm) {
  return names::name_of(sign_algorithm_names, algorithm);
}

std::optional<sign_algorithm> parse_sign_algorithm(std::string_view name) {
  return names::value_named(sign_algorithm_names, text::lower(name));
}

std::string string_to_sign(const signed_parameters& parameters, std::string_view secret,
                           sign_algorithm algorithm) {
  std::vector<const std::pair<std::string, std::string>*> kept;
  kept.reserve(parameters.size());
  for (const auto& parameter : parameters)
    if (parameter.first != "sign" && !parameter.second.empty()) kept.push_back(&parameter);
  // Byte order of names (char_traits<char> compares as unsigned char); a repeated name keeps
  // the order it was sent in.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });

  std::string out;
  for (const auto* parameter : kept) {
    if (!out.empty()) out.push_back('&');
    out.append(parameter->first).append("=").append(parameter->second);
  }
  if (algorithm != sign_algorithm::hmac_sha256) out.append("&key=").append(secret);
  return out;
}

std::string compute_sign(const signed_parameters& parameters, std::string_view secret,
                         sign_algorithm algorithm) {
  const std::string message = string_to_sign(parameters, secret, algorithm);
  switch (algorithm) {
    case sign_algorithm::md5: return md5_hex(message);
    case sign_algorithm::sha256: return sha256_hex(message);
    case sign_algorithm::hmac_sha256: return hmac_sha256_hex(secret, message);
  }
  return {};
}

bool verify_sign(const signed_parameters& parameters, std::string_view secret, sign_algorithm algorithm,
                 std::string_view sign) {
  const std::string expected = compute_sign(parameters, secret, algorithm);
  if (expected.empty() || sign.size() != expected.size()) return false;
  // Looks at every character, so the time taken does not tell how much of a guess was right.
  unsigned difference = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    difference |= static_cast<unsigned>(text::to_lower(sign[i]) ^ expected[i]);
  return difference == 0;
}

}  // namespace kuaidi
