#pragma once
// kuaidi-mock's HTTP face: GET /query as the gateway + vendor answer it, CORS as the gateway
// sends it, the admin API under /__admin/, /openapi.json and the web page at /.

#include <memory>
#include <string>

#include "kuaidi/referee.hpp"
#include "kuaidi/result.hpp"
#include "options.hpp"

namespace kuaidi::mock {

class mock_server {
 public:
  explicit mock_server(const mock_options& options);
  ~mock_server();
  mock_server(const mock_server&) = delete;
  mock_server& operator=(const mock_server&) = delete;

  // Binds the address and loads the fixtures, or says what to change.
  result<> start();
  std::string url() const;
  int port() const;
  // Serves until stop(); returns once every connection is closed.
  void run();
  void stop();
  // What the referee found in the answers so far (for --report and --fail-on when it stops).
  kuaidi::referee_report report() const;

 private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

}  // namespace kuaidi::mock
