#define BOOST_TEST_MODULE cfmigrate unit tests
#include <boost/test/unit_test.hpp>
