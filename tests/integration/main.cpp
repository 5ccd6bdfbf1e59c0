#define BOOST_TEST_MODULE cfmigrate integration tests
#include <boost/test/unit_test.hpp>
