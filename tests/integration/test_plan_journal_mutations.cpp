// Issue 12 "Tests": a generated corpus of damaged plans and journals. From a plan the tool wrote
// (small scenario, emulator) and the journal its apply wrote, every single-field mutation is made:
// the field deleted, set to null and to every other JSON type, to huge and negative numbers, to a
// string with "../" and NUL bytes; and the whole text truncated at every 1/16th. The readers must
// never throw or crash; `cfmigrate apply` of every plan the reader rejects must exit 1 with one
// line, create no token and change no file.

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_validation.hpp>

#include "apply_test_support.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace cfmigrate::apply_test;
namespace test = cfmigrate::test;
namespace exec = cfmigrate::exec;
namespace plan = cfmigrate::plan;
using cfmigrate::cli::k_exit_error;
using cfmigrate::cli::k_exit_incompatible;
using cfmigrate::cli::k_exit_ok;

namespace {

// Every rejected mutant goes through the in-process reader; every k-th also through `cfmigrate
// apply` (~55 ms each: all ~2100 would take two minutes). Consecutive mutants are the twelve
// values of one field, so each field still reaches apply with three or four of them.
constexpr std::size_t k_apply_every = 4;

struct Mutant {
  std::string what;  // "/files/0/path := null", for messages (never holds a secret: plans hold none)
  std::string text;
};

// The values every field is set to in turn: each JSON type, extreme numbers, hostile strings.
std::vector<std::pair<std::string, json::value>> replacement_values()
{
  using std::numeric_limits;
  return {
    {"null", nullptr},
    {"true", true},
    {"0", 0},
    {"-1", -1},
    {"int64 min", numeric_limits<std::int64_t>::min()},
    {"uint64 max", numeric_limits<std::uint64_t>::max()},
    {"1e300", 1e300},
    {"-0.5", -0.5},
    {"\"\"", ""},
    {"\"../\" and NUL", json::string(std::string("../../etc/passwd\0x/..", 21))},
    {"[]", json::array{}},
    {"{}", json::object{}},
  };
}

// Every single-field mutation below `node` (at JSON pointer `pointer`) of the document `root`.
void mutate_children(const json::value& root, json::value& node, const std::string& pointer, std::vector<Mutant>& out);

// The mutations of one field: `get` finds it again after each erase/restore (which may move it).
void mutate_field(const json::value& root, const std::function<json::value&()>& get, const std::string& here,
                  const std::function<void()>& erase, const std::function<void()>& restore, std::vector<Mutant>& out)
{
  const json::value saved = get();
  for (const auto& [name, v] : replacement_values()) {
    get() = v;
    out.push_back(Mutant{here + " := " + name, json::serialize(root)});
  }
  get() = saved;
  erase();
  out.push_back(Mutant{here + " deleted", json::serialize(root)});
  restore();
  mutate_children(root, get(), here, out);
}

void mutate_children(const json::value& root, json::value& node, const std::string& pointer, std::vector<Mutant>& out)
{
  if (node.is_object()) {
    json::object& o = node.as_object();
    std::vector<std::string> keys;
    for (const auto& kv : o) {
      keys.emplace_back(kv.key());
    }
    for (const std::string& key : keys) {
      json::value removed;
      mutate_field(
        root, [&]() -> json::value& { return o.at(key); }, pointer + "/" + key,
        [&] {
          removed = o.at(key);
          o.erase(key);
        },
        [&] { o[key] = removed; }, out);
    }
  } else if (node.is_array()) {
    json::array& a = node.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto at = static_cast<std::ptrdiff_t>(i);
      json::value removed;
      mutate_field(
        root, [&]() -> json::value& { return a[i]; }, pointer + "/" + std::to_string(i),
        [&] {
          removed = a[i];
          a.erase(a.begin() + at);
        },
        [&] { a.insert(a.begin() + at, removed); }, out);
    }
  }
}

std::vector<Mutant> truncations(const std::string& text)
{
  std::vector<Mutant> out;
  for (std::size_t k = 0; k < 16; ++k) {
    out.push_back(Mutant{"truncated at " + std::to_string(k) + "/16", text.substr(0, text.size() * k / 16)});
  }
  return out;
}

std::vector<Mutant> plan_mutants(const std::string& text)
{
  json::value root = json::parse(text);
  std::vector<Mutant> out;
  mutate_children(root, root, "", out);
  for (auto& m : truncations(text)) {
    out.push_back(std::move(m));
  }
  return out;
}

// Journal: each record (one line) mutated alone; the other lines stay as the tool wrote them.
std::vector<Mutant> journal_mutants(const std::string& text)
{
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(at, end - at));
    at = end;
  }
  std::vector<Mutant> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json::value record = json::parse(lines[i]);
    std::vector<Mutant> one;
    mutate_children(record, record, "", one);
    std::string before;
    for (std::size_t j = 0; j < i; ++j) {
      before += lines[j];
    }
    std::string after;
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      after += lines[j];
    }
    for (auto& m : one) {
      out.push_back(Mutant{"line " + std::to_string(i + 1) + " " + m.what, before + m.text + "\n" + after});
    }
  }
  for (auto& m : truncations(text)) {
    out.push_back(std::move(m));
  }
  return out;
}

// True when the in-process reader and the validation apply runs accept the plan text; a throw
// is a test failure (and counts as rejected).
bool plan_accepted(const fs::path& file, const std::string& text, const std::string& what)
{
  { std::ofstream(file, std::ios::trunc | std::ios::binary) << text; }
  try {
    auto read = plan::read_plan_file(file.string());
    return read && static_cast<bool>(plan::validate_plan(*read));
  } catch (const std::exception& e) {
    BOOST_ERROR(what << ": the plan reader threw " << e.what());
  }
  return false;
}

std::size_t line_count(const std::string& text)
{
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_journal_mutations)

BOOST_AUTO_TEST_CASE(every_rejected_plan_mutation_is_refused_by_apply_and_every_journal_mutation_is_read_safely)
{
  Emulator emulator;
  World w(emulator, small_scenario());
  w.plan_or_fail();
  const std::string valid_plan = w.plan_text();
  const fs::path scratch = w.dir() / "mutant.json";

  std::size_t rejected = 0;
  std::size_t accepted = 0;
  std::size_t applied = 0;
  for (const Mutant& m : plan_mutants(valid_plan)) {
    if (plan_accepted(scratch, m.text, m.what)) {
      ++accepted;  // still a valid plan (e.g. a note changed): apply may legitimately run it
      continue;
    }
    if (rejected++ % k_apply_every != 0) {
      continue;
    }
    ++applied;
    { std::ofstream(w.plan_path(), std::ios::trunc | std::ios::binary) << m.text; }
    ProcessResult r = w.apply({"--trust-plan"});  // past the MAC, to the validation itself
    // A plan of another format is "made by an incompatible version": exit 5 (docs/exit-codes.md).
    const bool format = m.what.rfind("/format ", 0) == 0;
    BOOST_TEST((r.exit_code == k_exit_error || (format && r.exit_code == k_exit_incompatible)), m.what << ": exit " << r.exit_code << " " << safe(r.err));
    BOOST_TEST(line_count(r.out + r.err) == 1u, m.what << ": " << safe(r.out + r.err));
    BOOST_TEST(!contains(r.err, "internal error"), m.what);
    BOOST_TEST(w.original_diff() == "", m.what);
    BOOST_TEST_REQUIRE(no_tokens(emulator), m.what << ": a token was created");
  }
  BOOST_TEST_MESSAGE("plan mutants: " << rejected << " rejected (" << applied << " run through apply), " << accepted
                                       << " still valid");
  BOOST_TEST(rejected > 100u);

  // The valid plan applies, and its journal is the base of the journal mutations.
  { std::ofstream(w.plan_path(), std::ios::trunc | std::ios::binary) << valid_plan; }
  ProcessResult r = w.apply();
  BOOST_TEST_REQUIRE(r.exit_code == k_exit_ok, safe(r.out + r.err));
  const std::string journal = test::read_file(fs::path(w.migration_dir()) / "journal.jsonl");
  BOOST_TEST_REQUIRE(line_count(journal) > 3u);

  const fs::path journal_copy = w.dir() / "mutant.jsonl";
  std::size_t read_ok = 0;
  std::size_t read_refused = 0;
  for (const Mutant& m : journal_mutants(journal)) {
    { std::ofstream(journal_copy, std::ios::trunc | std::ios::binary) << m.text; }
    try {
      auto contents = exec::Journal::read(journal_copy.string());
      if (contents) {
        ++read_ok;
        (void)json::serialize(exec::to_json(exec::summarize(contents->records)));
      } else {
        ++read_refused;
      }
    } catch (const std::exception& e) {
      BOOST_ERROR(m.what << ": the journal reader threw " << e.what());
    }
  }
  BOOST_TEST_MESSAGE("journal mutants: " << read_ok << " read, " << read_refused << " refused");
  BOOST_TEST(read_refused > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
