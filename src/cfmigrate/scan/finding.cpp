#include <cfmigrate/scan/finding.hpp>

namespace cfmigrate::scan {

const char* to_string(Credential c)
{
  switch (c) {
  case Credential::global_key: return "global_key";
  case Credential::scoped_token: return "scoped_token";
  case Credential::origin_ca_key: return "origin_ca_key";
  case Credential::reference: return "reference";
  }
  return "unknown";
}

const char* to_string(State s)
{
  return s == State::active ? "active" : "commented";
}

const char* to_string(Encoding e)
{
  return e == Encoding::plain ? "plain" : "base64";
}

const char* to_string(Syntax s)
{
  switch (s) {
  case Syntax::assignment: return "assignment";
  case Syntax::php_define: return "php_define";
  case Syntax::xml_element: return "xml_element";
  case Syntax::header: return "header";
  case Syntax::bare: return "bare";
  }
  return "unknown";
}

} // namespace cfmigrate::scan
