// The prefilter may only drop files the detector has nothing to say about: checked on every file of
// every recipe fixture and the sample server, whole and cut into overlapping pieces.

#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/scan/prefilter.hpp>

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace fs = std::filesystem;
using namespace cfmigrate;
using namespace cfmigrate::scan;
using cfmigrate::recipe::RecipeIndex;

namespace {

struct Sample {
  std::string reported;  // as the scanner reports it: the path under the fixture's root
  std::string content;
};

std::vector<Sample> fixture_files()
{
  std::vector<fs::path> roots;
  for (const auto& recipe_dir : fs::directory_iterator(fs::path(CFMIGRATE_SOURCE_DIR) / "migrations")) {
    fs::path fixtures = recipe_dir.path() / "fixtures";
    if (fs::is_directory(fixtures)) {
      for (const auto& c : fs::directory_iterator(fixtures)) {
        roots.push_back(c.path() / "root");
      }
    }
  }
  roots.push_back(fs::path(CFMIGRATE_SOURCE_DIR) / "examples" / "sample-server" / "root");
  std::vector<Sample> out;
  for (const auto& root : roots) {
    if (!fs::is_directory(root)) {
      continue;
    }
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.is_regular_file() && !e.is_symlink()) {
        out.push_back({"/" + fs::relative(e.path(), root).generic_string(), test::read_file(e.path())});
      }
    }
  }
  return out;
}

// The piecewise test as the scanner runs it on large files, with tiny pieces.
bool pieces_pass(const Prefilter& prefilter, const Sample& s, std::size_t piece)
{
  std::size_t overlap = prefilter.overlap();
  Prefilter::PieceState state;
  for (std::size_t start = 0;; start += piece) {
    std::size_t from = start >= overlap ? start - overlap : 0;
    std::size_t end = std::min(s.content.size(), start + piece);
    if (prefilter.piece_may_matter(s.reported, std::string_view(s.content).substr(from, end - from), state)) {
      return true;
    }
    if (end == s.content.size()) {
      return false;
    }
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(prefilter)

BOOST_AUTO_TEST_CASE(never_drops_a_file_the_detector_reports_or_counts)
{
  auto recipes = recipe::load_recipes("");
  BOOST_TEST_REQUIRE(recipes.has_value());
  RecipeIndex index(*recipes);
  Prefilter prefilter(index);
  Prefilter scalar(index, Prefilter::Engine::scalar);
  std::size_t reporting = 0;
  std::size_t dropped = 0;
  for (const Sample& s : fixture_files()) {
    BOOST_TEST_CONTEXT("file " << s.reported << " (" << s.content.size() << " bytes)")
    {
      DetectStats stats;
      bool matters = !detect(index, s.reported, s.content, stats).empty() || stats.placeholders != 0;
      bool passes = prefilter.may_matter(s.reported, s.content);
      if (matters) {
        ++reporting;
        BOOST_TEST(passes, "the prefilter drops a file the detector reports");
      }
      dropped += passes ? 0 : 1;
      BOOST_TEST(scalar.may_matter(s.reported, s.content) == passes, "the scalar search disagrees");
      for (std::size_t piece : {1U, 7U, 64U}) {
        BOOST_TEST(pieces_pass(prefilter, s, piece) == passes, "pieces of " << piece << " bytes disagree");
      }
    }
  }
  BOOST_TEST(reporting > 100U);  // the fixtures do exercise the property
  BOOST_TEST(dropped > 10U);     // and the prefilter does drop the negatives it can
  BOOST_TEST_MESSAGE("fixture files reporting: " << reporting << ", dropped by the prefilter: " << dropped);
}

BOOST_AUTO_TEST_CASE(every_engine_finds_needles_at_every_offset_and_case)
{
  auto recipes = recipe::load_recipes("");
  BOOST_TEST_REQUIRE(recipes.has_value());
  RecipeIndex index(*recipes);
  std::string filler(80, 'q');
  for (auto engine : {Prefilter::Engine::avx2, Prefilter::Engine::ssse3, Prefilter::Engine::scalar}) {
    Prefilter prefilter(index, engine);
    for (std::string needle : {"CloudFlare", "x-auth-key", "cfk_", "Y2ZrX", "CF_ZONE_API_TOKEN"}) {
      for (std::size_t at = 0; at < 80; ++at) {
        std::string text = filler.substr(0, at) + " " + needle + " " + filler.substr(at);
        BOOST_TEST(prefilter.content_may_matter(text), needle << " at " << at << ", engine " << static_cast<int>(engine));
        BOOST_TEST(prefilter.content_may_matter(text.substr(0, at + 1 + needle.size())), needle << " at the end");
        BOOST_TEST(!prefilter.content_may_matter(text.substr(0, at + needle.size())), needle << " cut short");
      }
    }
    BOOST_TEST(!prefilter.content_may_matter(filler + " the weather here is fine, <b>your</b> changeme xxxxx\n"));
  }
}

BOOST_AUTO_TEST_SUITE_END()
