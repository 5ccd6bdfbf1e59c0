#include <cfmigrate/util/display_text.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;

BOOST_AUTO_TEST_SUITE(display_text)

BOOST_AUTO_TEST_CASE(utf8_validity)
{
  BOOST_TEST(is_valid_utf8("plain /etc/x.ini"));
  BOOST_TEST(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91"));
  BOOST_TEST(!is_valid_utf8("\xff"));
  BOOST_TEST(!is_valid_utf8("\xc0\xaf"));          // overlong '/'
  BOOST_TEST(!is_valid_utf8("\xed\xa0\x80"));      // surrogate
  BOOST_TEST(!is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  BOOST_TEST(!is_valid_utf8("\xe2\x82"));          // truncated
}

BOOST_AUTO_TEST_CASE(terminal_escapes_control_characters_and_bad_bytes)
{
  BOOST_TEST(escape_for_terminal("/home/a/\x1b]0;owned\x07.conf") == "/home/a/\\x1b]0;owned\\x07.conf");
  BOOST_TEST(escape_for_terminal("a\nb\x7f") == "a\\x0ab\\x7f");
  BOOST_TEST(escape_for_terminal("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // C1 CSI
  BOOST_TEST(escape_for_terminal("caf\xc3\xa9\xff") == "caf\xc3\xa9\\xff");
  BOOST_TEST(escape_for_terminal("a\\x41") == "a\\\\x41");
}

BOOST_AUTO_TEST_CASE(json_display_replaces_only_bad_bytes)
{
  BOOST_TEST(utf8_display("/etc/ok") == "/etc/ok");
  BOOST_TEST(utf8_display("/etc/\xff" "x") == "/etc/\xef\xbf\xbdx");
}

BOOST_AUTO_TEST_CASE(multi_line_text_keeps_line_feeds_and_tabs)
{
  BOOST_TEST(cfmigrate::escape_lines_for_terminal("--- /a\x1b[2J\n+\tkey\n") == "--- /a\\x1b[2J\n+\tkey\n");
  BOOST_TEST(cfmigrate::escape_lines_for_terminal("\r\n\n") == "\\x0d\n\n");
  BOOST_TEST(cfmigrate::escape_lines_for_terminal("").empty());
}

BOOST_AUTO_TEST_SUITE_END()
