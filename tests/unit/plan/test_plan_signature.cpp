#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_signature.hpp>
#include <cfmigrate/util/json_writer.hpp>

#include "plan_fixture.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace cfmigrate;
using namespace cfmigrate::plan;
namespace json = boost::json;

namespace {

// The plan as `plan -o` would write it, signed, then pretty-printed.
std::string signed_plan_text(const Secret& key)
{
  json::value doc = to_json(plan_test::sample_plan());
  sign_plan_json(doc.as_object(), key);
  std::ostringstream text;
  write_json(text, doc);
  return text.str();
}

PlanSignature check_text(const std::string& text, const Secret& key)
{
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  return ec ? PlanSignature::missing : check_plan_json(doc, key);
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_signature)

BOOST_AUTO_TEST_CASE(a_signed_plan_verifies_after_writing_and_reading)
{
  const Secret key(std::string(32, '\x07'));
  const std::string text = signed_plan_text(key);
  BOOST_TEST((check_text(text, key) == PlanSignature::valid));
  BOOST_TEST(text.find("\"mac\": \"hmac-sha256:") != std::string::npos);
  // Layout is not signed: the compact form verifies too.
  BOOST_TEST((check_text(json::serialize(json::parse(text)), key) == PlanSignature::valid));
}

BOOST_AUTO_TEST_CASE(another_key_a_missing_mac_and_every_changed_byte_are_refused)
{
  const Secret key(std::string(32, '\x07'));
  const std::string text = signed_plan_text(key);
  BOOST_TEST((check_text(text, Secret(std::string(32, '\x08'))) == PlanSignature::invalid));
  BOOST_TEST((check_plan_json(to_json(plan_test::sample_plan()), key) == PlanSignature::missing));
  BOOST_TEST((check_plan_json(json::value(nullptr), key) == PlanSignature::missing));

  // Change one byte inside every string or number of the document (outside the mac itself):
  // every change that still parses must fail verification.
  const std::size_t mac_at = text.find("\"mac\"");
  std::size_t tried = 0;
  for (std::size_t i = 0; i < mac_at; ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !letter) {
      continue;
    }
    std::string changed = text;
    changed[i] = digit ? static_cast<char>(c == '9' ? '8' : c + 1) : static_cast<char>(c == 'z' || c == 'Z' ? c - 1 : c + 1);
    boost::system::error_code ec;
    json::value doc = json::parse(changed, ec);
    if (ec) {
      continue;  // e.g. "true" -> "trve": not a plan any more, rejected by the parser
    }
    ++tried;
    BOOST_TEST((check_plan_json(doc, key) != PlanSignature::valid), "byte " << i << " changed and still valid");
  }
  BOOST_TEST(tried > 500U);
}

BOOST_AUTO_TEST_CASE(re_signing_keeps_one_mac_in_place)
{
  const Secret key(std::string(32, '\x01'));
  json::value doc = json::parse(signed_plan_text(key));
  sign_plan_json(doc.as_object(), key);
  BOOST_TEST((check_plan_json(doc, key) == PlanSignature::valid));
  BOOST_TEST(std::string(doc.as_object().rbegin()->key()) == "mac");
}

BOOST_AUTO_TEST_SUITE_END()
