// The own platform's signature: the digests against their standards' test vectors, then the
// signing scheme of signature.hpp on worked examples (vectors/signature.json).

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "kuaidi/signature.hpp"
#include "vectors.hpp"

namespace {

std::string from_hex(const std::string& hex) {
  REQUIRE(hex.size() % 2 == 0);
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

std::string upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

kuaidi::signed_parameters parameters_of(const nlohmann::json& example) {
  kuaidi::signed_parameters parameters;
  for (const auto& pair : example["parameters"])
    parameters.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  return parameters;
}

kuaidi::sign_algorithm algorithm_of(const nlohmann::json& example) {
  const auto parsed = kuaidi::parse_sign_algorithm(example["algorithm"].get<std::string>());
  REQUIRE(parsed.has_value());
  return *parsed;
}

}  // namespace

TEST_CASE("md5_hex matches RFC 1321's test suite", "[signature]") {
  for (const auto& v : kuaidi::test::vectors("signature.json")["md5"]) {
    kuaidi::test::require_known_keys(v, {"input", "hex"});
    const std::string input = v["input"].get<std::string>();
    INFO("input: \"" << input << "\"");
    CHECK(kuaidi::md5_hex(input) == v["hex"].get<std::string>());
  }
}

TEST_CASE("sha256_hex matches FIPS 180-2's examples", "[signature]") {
  for (const auto& v : kuaidi::test::vectors("signature.json")["sha256"]) {
    kuaidi::test::require_known_keys(v, {"input", "hex"});
    const std::string input = v["input"].get<std::string>();
    INFO("input: \"" << input << "\"");
    CHECK(kuaidi::sha256_hex(input) == v["hex"].get<std::string>());
  }
}

TEST_CASE("digests pad correctly around block boundaries", "[signature]") {
  for (const auto& v : kuaidi::test::vectors("signature.json")["padding_edges"]) {
    kuaidi::test::require_known_keys(v, {"input", "md5", "sha256"});
    const std::string input = v["input"].get<std::string>();
    INFO("length: " << input.size());
    CHECK(kuaidi::md5_hex(input) == v["md5"].get<std::string>());
    CHECK(kuaidi::sha256_hex(input) == v["sha256"].get<std::string>());
  }
}

TEST_CASE("digests of a million 'a'", "[signature]") {
  const auto& v = kuaidi::test::vectors("signature.json")["million_a"];
  const std::string input(v["count"].get<std::size_t>(), v["char"].get<std::string>().at(0));
  CHECK(kuaidi::md5_hex(input) == v["md5"].get<std::string>());
  CHECK(kuaidi::sha256_hex(input) == v["sha256"].get<std::string>());
}

TEST_CASE("hmac_sha256_hex matches RFC 4231", "[signature]") {
  for (const auto& v : kuaidi::test::vectors("signature.json")["hmac_sha256"]) {
    kuaidi::test::require_known_keys(v, {"case", "key_hex", "data_hex", "hex"});
    INFO("RFC 4231 test case " << v["case"].get<int>());
    const std::string key = from_hex(v["key_hex"].get<std::string>());
    const std::string data = from_hex(v["data_hex"].get<std::string>());
    CHECK(kuaidi::hmac_sha256_hex(key, data) == v["hex"].get<std::string>());
  }
}

TEST_CASE("sign algorithms parse case-insensitively and print stably", "[signature]") {
  const auto& algorithms = kuaidi::test::vectors("signature.json")["algorithms"];
  for (const auto& pair : algorithms["names"]) {
    const std::string name = pair[0].get<std::string>();
    INFO("name: \"" << name << "\"");
    const auto parsed = kuaidi::parse_sign_algorithm(name);
    REQUIRE(parsed.has_value());
    CHECK(kuaidi::to_string(*parsed) == pair[1].get<std::string>());
  }
  for (const auto& name : algorithms["rejected"]) {
    INFO("name: \"" << name.get<std::string>() << "\"");
    CHECK_FALSE(kuaidi::parse_sign_algorithm(name.get<std::string>()).has_value());
  }
  for (auto algorithm :
       {kuaidi::sign_algorithm::md5, kuaidi::sign_algorithm::sha256, kuaidi::sign_algorithm::hmac_sha256})
    CHECK(kuaidi::parse_sign_algorithm(kuaidi::to_string(algorithm)) == algorithm);
}

TEST_CASE("string_to_sign and compute_sign on worked examples", "[signature]") {
  for (const auto& example : kuaidi::test::vectors("signature.json")["sign_examples"]) {
    kuaidi::test::require_known_keys(
        example, {"title", "algorithm", "parameters", "secret", "string_to_sign", "sign"});
    INFO(example["title"].get<std::string>() << " (" << example["algorithm"].get<std::string>() << ")");
    const auto parameters = parameters_of(example);
    const std::string secret = example["secret"].get<std::string>();
    const auto algorithm = algorithm_of(example);
    CHECK(kuaidi::string_to_sign(parameters, secret, algorithm) ==
          example["string_to_sign"].get<std::string>());
    CHECK(kuaidi::compute_sign(parameters, secret, algorithm) == example["sign"].get<std::string>());
  }
}

TEST_CASE("verify_sign accepts any case and rejects a wrong secret or sign", "[signature]") {
  for (const auto& example : kuaidi::test::vectors("signature.json")["sign_examples"]) {
    INFO(example["title"].get<std::string>() << " (" << example["algorithm"].get<std::string>() << ")");
    const auto parameters = parameters_of(example);
    const std::string secret = example["secret"].get<std::string>();
    const auto algorithm = algorithm_of(example);
    const std::string sign = example["sign"].get<std::string>();

    CHECK(kuaidi::verify_sign(parameters, secret, algorithm, sign));
    CHECK(kuaidi::verify_sign(parameters, secret, algorithm, upper(sign)));
    CHECK_FALSE(kuaidi::verify_sign(parameters, secret + "x", algorithm, sign));
    CHECK_FALSE(kuaidi::verify_sign(parameters, secret, algorithm, ""));
    CHECK_FALSE(kuaidi::verify_sign(parameters, secret, algorithm, sign.substr(1)));
    CHECK_FALSE(kuaidi::verify_sign(parameters, secret, algorithm, sign + "0"));
    std::string flipped = sign;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK_FALSE(kuaidi::verify_sign(parameters, secret, algorithm, flipped));

    // The sign parameter itself never takes part, so sending it along changes nothing.
    auto with_sign = parameters;
    with_sign.emplace_back("sign", sign);
    CHECK(kuaidi::verify_sign(with_sign, secret, algorithm, sign));
    // Any signed value changed after signing breaks it.
    auto changed = parameters;
    changed.emplace_back("extra", "1");
    CHECK_FALSE(kuaidi::verify_sign(changed, secret, algorithm, sign));
  }
}

TEST_CASE("the three algorithms disagree and the digest lengths are fixed", "[signature]") {
  const kuaidi::signed_parameters parameters = {{"kddh", "JT3084743373888"}, {"appid", "a"}};
  const auto md5 = kuaidi::compute_sign(parameters, "s", kuaidi::sign_algorithm::md5);
  const auto sha = kuaidi::compute_sign(parameters, "s", kuaidi::sign_algorithm::sha256);
  const auto hmac = kuaidi::compute_sign(parameters, "s", kuaidi::sign_algorithm::hmac_sha256);
  CHECK(md5.size() == 32);
  CHECK(sha.size() == 64);
  CHECK(hmac.size() == 64);
  CHECK(sha != hmac);
  CHECK_FALSE(kuaidi::verify_sign(parameters, "s", kuaidi::sign_algorithm::sha256, hmac));
}
