// exec::FaultInjector: the n-th visit fails, the observer (the test-only pause hook) is told of
// every visit before that decision and can fail it, and a default injector does nothing.

#include <cfmigrate/exec/fault_injection.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace cfmigrate;
using namespace cfmigrate::exec;

BOOST_AUTO_TEST_SUITE(fault_injection)

BOOST_AUTO_TEST_CASE(default_injector_never_fails)
{
  FaultInjector f;
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(static_cast<bool>(f.visit("journal")));
  }
}

BOOST_AUTO_TEST_CASE(observer_sees_every_visit_with_its_count_before_the_failure)
{
  FaultInjector f = FaultInjector::at("write", 2);
  std::vector<std::string> seen;
  f.set_observer([&](const std::string& point, unsigned visit) {
    seen.push_back(point + ":" + std::to_string(visit));
    return Status{};
  });
  BOOST_TEST(static_cast<bool>(f.visit("journal")));
  BOOST_TEST(static_cast<bool>(f.visit("write:open_temp")));
  BOOST_TEST(!static_cast<bool>(f.visit("write:write")));  // the second of the write family
  BOOST_TEST(static_cast<bool>(f.visit("journal")));
  const std::vector<std::string> expected{"journal:1", "write:open_temp:1", "write:write:1", "journal:2"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_observer_error_fails_the_visit)
{
  FaultInjector f;
  f.set_observer([](const std::string& point, unsigned) {
    return point == "restore" ? Status(make_error(ErrorCode::io, "pause hook gave up")) : Status{};
  });
  BOOST_TEST(static_cast<bool>(f.visit("journal")));
  BOOST_TEST(!static_cast<bool>(f.visit("restore")));
}

BOOST_AUTO_TEST_CASE(atomic_step_points_are_named_by_family)
{
  BOOST_TEST(atomic_step_point("write", AtomicStep::rename) == "write:rename");
  BOOST_TEST(atomic_step_point("restore_write", AtomicStep::open_temp) == "restore_write:open_temp");
}

BOOST_AUTO_TEST_SUITE_END()
