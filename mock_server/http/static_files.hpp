#pragma once
// The page's files as kuaidi-mock serves them: read once, compressed once (gzip -9; brotli at its
// best level up to 64 KB, a fast one above) and kept until the file changes on disk. httplib
// would otherwise compress every answer again at brotli's slowest level, which made the page take
// a second to load.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace kuaidi::mock {

struct static_file_entry {
  std::string content_type;
  std::string etag;           // quoted, from the content, so it survives restarts
  std::string last_modified;  // HTTP date of the file's mtime
  std::string identity;
  std::string brotli;  // empty when compressing does not pay (images, tiny files)
  std::string gzip;
  std::int64_t mtime_ns = 0;
  std::int64_t size = 0;
};

// What to send for one request: the bytes (one of the entry's bodies) and their encoding.
struct static_file_body {
  std::shared_ptr<const static_file_entry> entry;
  const std::string* bytes = nullptr;
  const char* encoding = nullptr;  // "br", "gzip" or nullptr for identity
};

class static_files {
 public:
  static constexpr std::int64_t max_file_bytes = 64 * 1024 * 1024;

  explicit static_files(std::string web_root);
  bool enabled() const { return !web_root_.empty(); }

  // nullptr when the path is unsafe, missing, not a regular file, or too large.
  std::shared_ptr<const static_file_entry> find(const std::string& url_path);

 private:
  std::string web_root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const static_file_entry>> cache_;
};

// The best body for an Accept-Encoding header value (q-values honoured, "*" understood).
static_file_body choose_body(std::shared_ptr<const static_file_entry> entry,
                             std::string_view accept_encoding);

// True when an If-None-Match header value names this entry's ETag (or is "*").
bool etag_matches(std::string_view if_none_match, const std::string& etag);

std::string content_type_for(std::string_view path);

}  // namespace kuaidi::mock
