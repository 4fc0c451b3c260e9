#include "static_files.hpp"

#include <brotli/encode.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <utility>

#include "text.hpp"

namespace kuaidi::mock {
namespace {

constexpr std::size_t min_compressible_bytes = 256;
// Brotli's best level costs seconds on the page's wasm; above this size a fast level is kept.
constexpr std::size_t max_best_brotli_bytes = 64 * 1024;

bool compressible(std::string_view content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.rfind("application/javascript", 0) == 0 ||
         content_type.rfind("application/json", 0) == 0 || content_type == "application/wasm" ||
         content_type == "application/manifest+json" || content_type == "image/svg+xml";
}

std::string brotli(const std::string& input) {
  std::string out(BrotliEncoderMaxCompressedSize(input.size()), '\0');
  std::size_t size = out.size();
  const int quality = input.size() <= max_best_brotli_bytes ? BROTLI_MAX_QUALITY : 5;
  const bool ok = BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                                        reinterpret_cast<const std::uint8_t*>(input.data()), &size,
                                        reinterpret_cast<std::uint8_t*>(out.data()));
  if (!ok) return {};
  out.resize(size);
  return out;
}

std::string gzip(const std::string& input) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper rather than raw zlib, as Content-Encoding: gzip requires.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out(deflateBound(&stream, input.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? out : std::string();
}

std::string content_etag(const std::string& content) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (const unsigned char byte : content) hash = (hash ^ byte) * 1099511628211ULL;
  char text[48];
  std::snprintf(text, sizeof text, "\"%016llx-%llx\"", static_cast<unsigned long long>(hash),
                static_cast<unsigned long long>(content.size()));
  return text;
}

std::string http_date(std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

bool safe_path(const std::string& path) {
  return !path.empty() && path[0] == '/' && path.find("..") == std::string::npos &&
         path.find('\0') == std::string::npos && path.find('\\') == std::string::npos;
}

// The q-value the header gives a coding (explicitly or through "*"); 0 when not accepted.
double accepted_q(std::string_view header, std::string_view coding) {
  double named = -1, wildcard = -1;
  text::any_list_item(header, [&](std::string_view item) {
    const auto semicolon = item.find(';');
    const std::string_view name = text::trim_ows(item.substr(0, semicolon));
    double q = 1;
    if (semicolon != std::string_view::npos) {
      const std::string_view params = text::trim_ows(item.substr(semicolon + 1));
      if (params.size() >= 2 && text::to_lower(params[0]) == 'q' && params[1] == '=') {
        q = 0;  // what is not a number accepts nothing
        std::from_chars(params.data() + 2, params.data() + params.size(), q);
      }
    }
    if (text::iequals(name, coding))
      named = q;
    else if (name == "*")
      wildcard = q;
    return false;
  });
  return named >= 0 ? named : wildcard > 0 ? wildcard : 0;
}

}  // namespace

std::string content_type_for(std::string_view path) {
  static constexpr std::pair<std::string_view, const char*> types[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".map", "application/json"}};
  for (const auto& [extension, type] : types) {
    if (path.size() >= extension.size() && path.substr(path.size() - extension.size()) == extension)
      return type;
  }
  return "application/octet-stream";
}

static_files::static_files(std::string web_root) : web_root_(std::move(web_root)) {}

std::shared_ptr<const static_file_entry> static_files::find(const std::string& url_path) {
  if (!enabled() || !safe_path(url_path)) return nullptr;
  const std::string file = web_root_ + url_path;
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > max_file_bytes)
    return nullptr;
  const std::int64_t mtime_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto cached = cache_.find(url_path);
    if (cached != cache_.end() && cached->second->mtime_ns == mtime_ns &&
        cached->second->size == info.st_size)
      return cached->second;
  }
  // Compressed outside the lock: two first requests may both compress, and the last one is kept.
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  auto entry = std::make_shared<static_file_entry>();
  entry->identity.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  entry->content_type = content_type_for(url_path);
  entry->etag = content_etag(entry->identity);
  entry->last_modified = http_date(info.st_mtim.tv_sec);
  entry->mtime_ns = mtime_ns;
  entry->size = info.st_size;
  if (entry->identity.size() >= min_compressible_bytes && compressible(entry->content_type)) {
    entry->brotli = brotli(entry->identity);
    entry->gzip = gzip(entry->identity);
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  return cache_[url_path] = std::move(entry);
}

static_file_body choose_body(std::shared_ptr<const static_file_entry> entry,
                             std::string_view accept_encoding) {
  static_file_body body{std::move(entry), nullptr, nullptr};
  const auto& e = *body.entry;
  const auto smaller = [&](const std::string& compressed) {
    return !compressed.empty() && compressed.size() < e.identity.size();
  };
  if (smaller(e.brotli) && accepted_q(accept_encoding, "br") > 0) {
    body.bytes = &e.brotli;
    body.encoding = "br";
  } else if (smaller(e.gzip) && accepted_q(accept_encoding, "gzip") > 0) {
    body.bytes = &e.gzip;
    body.encoding = "gzip";
  } else {
    body.bytes = &e.identity;
  }
  return body;
}

bool etag_matches(std::string_view if_none_match, const std::string& etag) {
  return text::any_list_item(if_none_match, [&](std::string_view tag) {
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);  // weak comparison, as for GET
    return tag == "*" || tag == etag;
  });
}

}  // namespace kuaidi::mock
