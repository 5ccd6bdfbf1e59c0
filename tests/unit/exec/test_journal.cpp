#include <cfmigrate/exec/journal.hpp>

#include <cfmigrate/util/rfc3339.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace cfmigrate;
using namespace cfmigrate::exec;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

namespace {

struct Fixture {
  TempDir tmp;
  std::string journal_path() const { return (tmp.path() / "journal.jsonl").string(); }
};

json::object record(const char* type, json::object fields = {})
{
  fields["type"] = type;
  return fields;
}

void append_raw(const std::string& path, const std::string& bytes)
{
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const std::string k_global_key = "1e5a7d8c9b0f4e3d2c1b0a9f8e7d6c5b4a392"; // 37 hex, made up
const std::string k_api_token = "Xy3_kq9-Lm2PzR7tW0vB5nC8dF1gH4jK6sA-_Qe7"; // 40 chars, made up

} // namespace

BOOST_FIXTURE_TEST_SUITE(journal, Fixture)

BOOST_AUTO_TEST_CASE(appends_envelope_and_reads_back)
{
  const auto start = std::chrono::system_clock::now() - std::chrono::seconds(2);
  {
    auto j = Journal::open(journal_path());
    BOOST_TEST_REQUIRE(j.has_value());
    BOOST_TEST(j->next_seq() == 1U);
    auto s1 = j->append(record("plan_started", {{"plan_id", "p1"}, {"files", 2}}));
    BOOST_TEST_REQUIRE(s1.has_value());
    BOOST_TEST(*s1 == 1U);
    auto s2 = j->append(record("token_created", {{"token_id", "0123456789abcdef0123456789abcdef"}}));
    BOOST_TEST_REQUIRE(s2.has_value());
    BOOST_TEST(*s2 == 2U);
  }
  struct stat st {};
  BOOST_REQUIRE(::stat(journal_path().c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 07777) == 0600U);

  const std::string text = read_file(journal_path());
  BOOST_TEST(text.back() == '\n');
  BOOST_TEST(text.rfind("{\"seq\":1,\"time\":\"", 0) == 0U); // envelope first, in order

  auto contents = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(contents.has_value());
  BOOST_TEST(!contents->torn_tail);
  BOOST_TEST_REQUIRE(contents->records.size() == 2U);
  const json::object& first = contents->records[0];
  BOOST_TEST(first.at("seq").as_int64() == 1);
  BOOST_TEST(first.at("type").as_string() == "plan_started");
  BOOST_TEST(first.at("plan_id").as_string() == "p1");
  BOOST_TEST(first.at("files").as_int64() == 2);
  const std::string time(first.at("time").as_string());
  BOOST_TEST(time.back() == 'Z');
  const auto parsed = parse_rfc3339(time);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST((*parsed >= start && *parsed <= std::chrono::system_clock::now() + std::chrono::seconds(2)));
  BOOST_TEST(contents->records[1].at("seq").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(reopening_continues_the_sequence)
{
  {
    auto j = Journal::open(journal_path());
    BOOST_TEST_REQUIRE(j.has_value());
    BOOST_TEST_REQUIRE(j->append(record("plan_started")).has_value());
    BOOST_TEST_REQUIRE(j->append(record("file_backup")).has_value());
  }
  auto j = Journal::open(journal_path());
  BOOST_TEST_REQUIRE(j.has_value());
  BOOST_TEST(j->next_seq() == 3U);
  BOOST_TEST(!j->torn_tail_recovered());
  auto seq = j->append(record("completed"));
  BOOST_TEST_REQUIRE(seq.has_value());
  BOOST_TEST(*seq == 3U);
  BOOST_TEST(Journal::read(journal_path())->records.size() == 3U);
}

BOOST_AUTO_TEST_CASE(torn_last_line_is_ignored_reported_and_cut_on_reopen)
{
  {
    auto j = Journal::open(journal_path());
    BOOST_TEST_REQUIRE(j.has_value());
    BOOST_TEST_REQUIRE(j->append(record("plan_started")).has_value());
    BOOST_TEST_REQUIRE(j->append(record("file_write_intent", {{"path", "/etc/app.conf"}})).has_value());
  }
  const std::string torn = "{\"seq\":3,\"time\":\"2024-01-01T00:00:00.000Z\",\"type\":\"file_wr";
  append_raw(journal_path(), torn); // a crash in the middle of the third append

  auto contents = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(contents.has_value());
  BOOST_TEST(contents->records.size() == 2U);
  BOOST_TEST(contents->torn_tail);
  BOOST_TEST(contents->torn_bytes == torn.size());

  auto j = Journal::open(journal_path());
  BOOST_TEST_REQUIRE(j.has_value());
  BOOST_TEST(j->torn_tail_recovered());
  auto seq = j->append(record("file_written"));
  BOOST_TEST_REQUIRE(seq.has_value());
  BOOST_TEST(*seq == 3U);

  auto after = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(!after->torn_tail);
  BOOST_TEST_REQUIRE(after->records.size() == 3U);
  BOOST_TEST(after->records[2].at("type").as_string() == "file_written");
}

BOOST_AUTO_TEST_CASE(torn_tail_of_zero_bytes_after_a_crash_is_ignored)
{
  {
    auto j = Journal::open(journal_path());
    BOOST_TEST_REQUIRE(j.has_value());
    BOOST_TEST_REQUIRE(j->append(record("plan_started")).has_value());
  }
  append_raw(journal_path(), std::string(17, '\0')); // size extended, data never written
  auto contents = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(contents.has_value());
  BOOST_TEST(contents->records.size() == 1U);
  BOOST_TEST(contents->torn_tail);
}

BOOST_AUTO_TEST_CASE(corrupt_complete_line_is_a_parse_error_with_its_line)
{
  {
    auto j = Journal::open(journal_path());
    BOOST_TEST_REQUIRE(j.has_value());
    BOOST_TEST_REQUIRE(j->append(record("plan_started")).has_value());
  }
  append_raw(journal_path(), "not json\n");
  auto contents = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(!contents.has_value());
  BOOST_TEST((contents.error().code() == ErrorCode::parse));
  BOOST_TEST(contents.error().line().value_or(0) == 2U);
  BOOST_TEST(contents.error().message().find("not json") == std::string::npos);
  BOOST_TEST(!Journal::open(journal_path()).has_value());
}

BOOST_AUTO_TEST_CASE(out_of_sequence_records_are_a_parse_error)
{
  append_raw(journal_path(), "{\"seq\":1,\"time\":\"t\",\"type\":\"a\"}\n{\"seq\":3,\"time\":\"t\",\"type\":\"b\"}\n");
  auto contents = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(!contents.has_value());
  BOOST_TEST((contents.error().code() == ErrorCode::parse));
}

BOOST_AUTO_TEST_CASE(missing_and_empty_journals)
{
  auto missing = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code() == ErrorCode::not_found));
  tmp.write("journal.jsonl", "");
  auto empty = Journal::read(journal_path());
  BOOST_TEST_REQUIRE(empty.has_value());
  BOOST_TEST(empty->records.empty());
  BOOST_TEST(!empty->torn_tail);
}

BOOST_AUTO_TEST_CASE(records_need_a_type_and_may_not_set_the_envelope)
{
  auto j = Journal::open(journal_path());
  BOOST_TEST_REQUIRE(j.has_value());
  for (json::object bad : {json::object{}, json::object{{"type", ""}}, json::object{{"type", 3}},
                           json::object{{"type", "a"}, {"seq", 9}}, json::object{{"type", "a"}, {"time", "x"}}}) {
    auto seq = j->append(bad);
    BOOST_TEST_REQUIRE(!seq.has_value());
    BOOST_TEST((seq.error().code() == ErrorCode::invalid_argument));
  }
  BOOST_TEST(read_file(journal_path()).empty());
  BOOST_TEST(j->next_seq() == 1U);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_refused)
{
  auto j = Journal::open(journal_path());
  BOOST_TEST_REQUIRE(j.has_value());
  auto seq = j->append(record("file_backup", {{"path", "/etc/caf\xe9.conf"}}));
  BOOST_TEST_REQUIRE(!seq.has_value());
  BOOST_TEST((seq.error().code() == ErrorCode::invalid_argument));
  BOOST_TEST(read_file(journal_path()).empty());
  BOOST_TEST(j->append(record("file_backup", {{"path", "/etc/caf\xc3\xa9.conf"}})).has_value());
}

// ---- last line of defence against secrets ---------------------------------------------------------

struct ShapeCase {
  const char* name;
  std::string value;
  bool credential;
};

std::ostream& operator<<(std::ostream& os, const ShapeCase& c)
{
  return os << c.name;
}

const std::vector<ShapeCase> k_shapes = {
  {"global_key_37_hex", k_global_key, true},
  {"hex_45", std::string(45, 'a'), true},
  {"hex_40_sha1_shaped", std::string(40, 'f'), true},
  {"token_40", k_api_token, true},
  {"token_40_uppercase_hex", std::string(40, 'A'), true},
  {"cfk_prefix", "cfk_abc123", true},
  {"cfut_prefix", "cfut_Zx9", true},
  {"cfat_prefix", "cfat_0", true},
  {"embedded_in_header", "Authorization: Bearer " + k_api_token, true},
  {"embedded_after_equals", "X-Auth-Key=" + k_global_key + ";", true},
  {"token_id_32_hex", "0123456789abcdef0123456789abcdef", false},
  {"sha256_64_hex", std::string(64, 'c'), false},
  {"hex_36", std::string(36, 'b'), false},
  {"hex_46", std::string(46, 'b'), false},
  {"uppercase_hex_37", std::string(37, 'A'), false},
  {"run_39", std::string(39, 'Z'), false},
  {"run_41", std::string(41, 'Z'), false},
  {"uuid", "123e4567-e89b-12d3-a456-426614174000", false},
  {"path", "/etc/letsencrypt/cloudflare.ini", false},
  {"token_name", "cfmigrate web01.example.com certbot dns", false},
  {"cf_ray", "8a1b2c3d4e5f6789-FRA", false},
  {"bare_prefix", "cfk_", false},
  {"empty", "", false},
};

BOOST_DATA_TEST_CASE(credential_shapes, boost::unit_test::data::make(k_shapes), c)
{
  BOOST_TEST(looks_like_credential(c.value) == c.credential);
}

BOOST_DATA_TEST_CASE(credential_shaped_values_are_refused_anywhere_in_a_record,
                     boost::unit_test::data::make(std::vector<int>{0, 1, 2, 3}), where)
{
  TempDir dir;
  const std::string path = (dir.path() / "journal.jsonl").string();
  auto j = Journal::open(path);
  BOOST_TEST_REQUIRE(j.has_value());
  BOOST_TEST_REQUIRE(j->append(record("plan_started")).has_value());
  const std::string before = read_file(path);

  json::object r = record("token_created", {{"token_id", "0123456789abcdef0123456789abcdef"}});
  std::string expected_pointer;
  switch (where) {
  case 0:
    r["value"] = k_api_token;
    expected_pointer = "/value";
    break;
  case 1:
    r["files"] = json::array{"/etc/a.conf", json::object{{"note", "key " + k_global_key}}};
    expected_pointer = "/files/1/note";
    break;
  case 2:
    r[k_global_key] = true; // a key is a string too
    expected_pointer = "/<redacted key>";
    break;
  default:
    r["type"] = "cfut_" + std::string(36, 'x');
    expected_pointer = "/type";
    break;
  }
  auto seq = j->append(r);
  BOOST_TEST_REQUIRE(!seq.has_value());
  BOOST_TEST((seq.error().code() == ErrorCode::invalid_argument));
  BOOST_TEST(seq.error().message().find("looks like a credential") != std::string::npos);
  BOOST_TEST(seq.error().message().find("\"" + expected_pointer + "\"") != std::string::npos);
  BOOST_TEST(seq.error().message().find(k_api_token) == std::string::npos);
  BOOST_TEST(seq.error().message().find(k_global_key) == std::string::npos);
  BOOST_TEST(read_file(path) == before); // nothing written
  BOOST_TEST(j->next_seq() == 2U);
  BOOST_TEST(j->append(record("still_usable")).has_value());
}

BOOST_AUTO_TEST_CASE(ordinary_records_are_accepted)
{
  auto j = Journal::open(journal_path());
  BOOST_TEST_REQUIRE(j.has_value());
  json::object r = record("file_written", {{"path", "/etc/letsencrypt/cloudflare.ini"},
                                           {"sha256_before", std::string(64, 'a')},
                                           {"sha256_after", std::string(64, 'b')},
                                           {"token_id", std::string(32, 'c')},
                                           {"token_name", "cfmigrate certbot web01"},
                                           {"mode", 0640},
                                           {"ok", true},
                                           {"nothing", nullptr}});
  BOOST_TEST(j->append(r).has_value());
}

BOOST_AUTO_TEST_CASE(find_credential_reports_a_json_pointer)
{
  const json::value v = json::parse(R"({"a":[1,{"b/c~d":"cfk_x"}]})");
  const auto where = find_credential_shaped_string(v);
  BOOST_TEST_REQUIRE(where.has_value());
  BOOST_TEST(*where == "/a/1/b~1c~0d");
  BOOST_TEST(!find_credential_shaped_string(json::parse(R"({"a":[1,2,"x"]})")).has_value());
}

BOOST_AUTO_TEST_CASE(symlinked_journal_is_refused)
{
  tmp.write("real.jsonl", "");
  fs::create_symlink(tmp.path() / "real.jsonl", journal_path());
  BOOST_TEST(!Journal::open(journal_path()).has_value());
  BOOST_TEST(!Journal::read(journal_path()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
