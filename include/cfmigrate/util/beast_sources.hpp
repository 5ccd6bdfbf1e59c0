#pragma once
// Marker header: src/cfmigrate/util/beast_sources.cpp compiles Boost.Asio and Boost.Beast (and
// their SSL parts) once for the whole project (BOOST_*_SEPARATE_COMPILATION), to cut build time.
