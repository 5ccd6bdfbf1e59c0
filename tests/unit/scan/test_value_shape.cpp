#include <cfmigrate/scan/value_shape.hpp>

#include <boost/test/unit_test.hpp>

#include <ostream>

using namespace cfmigrate::scan;

namespace cfmigrate::scan {
std::ostream& operator<<(std::ostream& os, Shape shape)
{
  return os << to_string(shape);
}
} // namespace cfmigrate::scan

BOOST_AUTO_TEST_SUITE(value_shape)

BOOST_AUTO_TEST_CASE(key_shapes)
{
  BOOST_TEST(classify_value("7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c").shape == Shape::legacy_hex);         // 37
  BOOST_TEST(classify_value("7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f60").shape == Shape::legacy_hex); // 45
  BOOST_TEST(classify_value("7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4").shape == Shape::hex40);
  BOOST_TEST(classify_value("7c1e2d3c4b5a69788796a5b4c3d2e1f0").shape == Shape::nothing);  // 32: a zone id
  BOOST_TEST(classify_value("7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f607182930a1b2c3d4e5f6071").shape == Shape::nothing);
  BOOST_TEST(classify_value("7C1E2D3C4B5A69788796A5B4C3D2E1F0A1B2C").shape == Shape::nothing);  // not lowercase
  BOOST_TEST(classify_value("cfk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD0badc0de").shape == Shape::new_global_key);
  BOOST_TEST(classify_value("cfut_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD0badc0de").shape == Shape::new_token);
  BOOST_TEST(classify_value("cfat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD0badc0de").shape == Shape::new_token);
  BOOST_TEST(classify_value("Q3x-7Yb_9Kc2Lm4Np6Rs8Tv0Wx1Yz3Ab5Cd7Ef9G").shape == Shape::legacy_token);
  BOOST_TEST(classify_value("v1.0-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f").shape
             == Shape::origin_ca_key);
  BOOST_TEST(classify_value("admin@example.com").shape == Shape::email);
}

BOOST_AUTO_TEST_CASE(references)
{
  auto check = [](const char* value, const char* target) {
    ValueShape s = classify_value(value);
    BOOST_TEST(s.shape == Shape::reference, value);
    BOOST_TEST(s.reference == target, value);
  };
  check("${CF_API_KEY}", "CF_API_KEY");
  check("${CF_API_KEY:-x}", "CF_API_KEY");
  check("$CF_Key", "CF_Key");
  check("${{ secrets.CF_API_KEY }}", "secrets.CF_API_KEY");
  check("{{ cloudflare_api_key }}", "cloudflare_api_key");
  check("var.cloudflare_api_key", "var.cloudflare_api_key");
  check("getenv('CF_KEY')", "CF_KEY");
  check("os.environ[\"CF_KEY\"]", "CF_KEY");
}

BOOST_AUTO_TEST_CASE(placeholders_and_documentation_examples)
{
  for (const char* v : {"0123456789abcdef0123456789abcdef01234", "b9841238feb177a84330febba8a83208921177bffe733",
                        "c2547eb745079dac9320b638f5e225cf483cc5cfdda41", "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY",
                        "your-api-key", "YOUR_API_KEY", "<global api key>", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                        "api_key_here", "0000000000000000000000000000000000000"}) {
    BOOST_TEST(classify_value(v).shape == Shape::placeholder, v);
  }
}

BOOST_AUTO_TEST_CASE(base64)
{
  BOOST_TEST(decode_base64("aGVsbG8gd29ybGQ=", 4) == "hello world");
  BOOST_TEST(decode_base64("not base64!", 4).empty());
  BOOST_TEST(decode_base64("abc", 1).empty());
}

BOOST_AUTO_TEST_SUITE_END()
