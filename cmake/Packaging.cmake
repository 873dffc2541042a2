# Packaging.cmake - "cpack -G DEB": wireshark-ikediag_<version>+ws<maj.min>_<arch>.deb
#
# A Wireshark plugin loads only into the major.minor it was built for, so
# there is one package per Wireshark version.  The package takes its version
# from the project and the Wireshark it was built against (0.1.0+ws4.4, which
# also sorts the upgrade from 4.4 to 4.6 builds right), and depends on the
# very libwireshark package the plugin was linked with, within that
# major.minor (libwireshark soname changes with each minor release too):
#
#   cmake -S . -B build-deb -DIKEDIAG_INSTALL_MODE=global -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#
# Contents: the plugin in the global plugin dir
# (/usr/lib/<triplet>/wireshark/plugins/<maj.min>/epan/ikediag.so),
# /usr/bin/ikediag-keys and /usr/bin/ikediag-fleet.sh, and
# README.md, docs/ (catalogue of diagnoses, fields, training, coloring
# rules, screenshots) and the copyright file in /usr/share/doc/wireshark-ikediag/.
# tests/compat/test-deb.sh builds it in a fresh chroot of each Debian suite
# and installs it with apt in another.
# SPDX-License-Identifier: GPL-2.0-or-later

set(IKEDIAG_DEB_NAME wireshark-ikediag)
set(IKEDIAG_DOC_DIR "share/doc/${IKEDIAG_DEB_NAME}")

if(IKEDIAG_INSTALL_MODE STREQUAL "global")
    install(FILES README.md cmake/debian/copyright DESTINATION "${IKEDIAG_DOC_DIR}")
    install(DIRECTORY docs/ DESTINATION "${IKEDIAG_DOC_DIR}/docs")
endif()

# --- what the plugin was built against -------------------------------------
# The Debian package that ships the libwireshark the epan target points at.
# Asked of dpkg (dpkg-query -S), so this works on any Debian release and
# architecture; off Debian, the package simply has no such dependency.
function(_ikediag_owner_package file out_var)
    set(${out_var} "" PARENT_SCOPE)
    find_program(_dpkg_query dpkg-query)
    if(NOT _dpkg_query OR NOT file)
        return()
    endif()
    get_filename_component(_real "${file}" REALPATH)
    foreach(_path IN ITEMS "${_real}" "${file}")
        execute_process(COMMAND ${_dpkg_query} -S "${_path}"
                        OUTPUT_VARIABLE _out ERROR_QUIET RESULT_VARIABLE _rc
                        OUTPUT_STRIP_TRAILING_WHITESPACE)
        if(_rc EQUAL 0 AND _out MATCHES "^([^:, ]+)")
            set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
            return()
        endif()
    endforeach()
endfunction()

get_target_property(_epan_location epan LOCATION)
_ikediag_owner_package("${_epan_location}" IKEDIAG_LIBWIRESHARK_PKG)

# glib: the library pkg-config found
find_library(_ikediag_glib_lib NAMES glib-2.0 HINTS ${GLIB_LIBRARY_DIRS} NO_DEFAULT_PATH)
if(NOT _ikediag_glib_lib)
    find_library(_ikediag_glib_lib NAMES glib-2.0)
endif()
_ikediag_owner_package("${_ikediag_glib_lib}" IKEDIAG_GLIB_PKG)

math(EXPR _ws_next_minor "${Wireshark_MINOR_VERSION} + 1")
set(_depends "")
if(IKEDIAG_LIBWIRESHARK_PKG)
    # ">= maj.min.0" and "<< maj.(min+1)~": any patch release of the series
    # the plugin was built for, never the next one.
    list(APPEND _depends
         "${IKEDIAG_LIBWIRESHARK_PKG} (>= ${IKEDIAG_WS_MAJMIN}.0)"
         "${IKEDIAG_LIBWIRESHARK_PKG} (<< ${Wireshark_MAJOR_VERSION}.${_ws_next_minor}~)")
else()
    message(STATUS "ikediag: no dpkg owner for ${_epan_location}; the .deb will not depend on libwireshark")
endif()
if(IKEDIAG_GLIB_PKG)
    list(APPEND _depends "${IKEDIAG_GLIB_PKG}")
endif()
list(APPEND _depends "libc6")
list(JOIN _depends ", " IKEDIAG_DEB_DEPENDS)

execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE IKEDIAG_DEB_ARCH
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT IKEDIAG_DEB_ARCH)
    set(IKEDIAG_DEB_ARCH "${CMAKE_SYSTEM_PROCESSOR}")
endif()
set(IKEDIAG_DEB_VERSION "${PROJECT_VERSION}+ws${IKEDIAG_WS_MAJMIN}")

# --- CPack -----------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME "${IKEDIAG_DEB_NAME}")
set(CPACK_PACKAGE_VERSION "${IKEDIAG_DEB_VERSION}")
set(CPACK_PACKAGE_VENDOR "ikediag")
set(IKEDIAG_DEB_MAINTAINER "ikediag maintainers <ikediag@localhost>" CACHE STRING
    "Maintainer field of the .deb (Name <address>)")
set(CPACK_PACKAGE_CONTACT "${IKEDIAG_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Wireshark plugin that diagnoses why IKE/IPsec tunnels fail")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_PACKAGE_NAME "${IKEDIAG_DEB_NAME}")
set(CPACK_DEBIAN_PACKAGE_VERSION "${IKEDIAG_DEB_VERSION}")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${IKEDIAG_DEB_ARCH}")
set(CPACK_DEBIAN_FILE_NAME "${IKEDIAG_DEB_NAME}_${IKEDIAG_DEB_VERSION}_${IKEDIAG_DEB_ARCH}.deb")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${IKEDIAG_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "wireshark, tshark")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tshark | wireshark")
# /usr/bin/ikediag-keys (Python 3) and ikediag-fleet.sh (installed by CMakeLists.txt; both run tshark, Suggests)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# The extended description; CPack puts the summary line in front and
# indents it as debian/control wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"ikediag is a post-dissector for Wireshark ${IKEDIAG_WS_MAJMIN} that reads the stock
ISAKMP dissector's fields, tracks IKE SAs and exchanges across a capture
(IKEv1 and IKEv2) and reports, on the packet where it shows, why a
negotiation failed: proposal, DH group, PFS or traffic-selector mismatch,
authentication and certificate failures, no response, NAT-T and ESP
problems, IP fragmentation, weak cryptography.  Findings appear as
ikediag.* fields, expert infos, Info column tags and statistics
(tshark -z ikediag,sa and -z ikediag,tree).

Built for Wireshark ${Wireshark_VERSION}; it loads into Wireshark ${IKEDIAG_WS_MAJMIN}.x only.")
# Packages are made from a global-mode build only: the other modes install
# into $HOME at install time, which a package cannot do.
set(IKEDIAG_CPACK_CHECK "${CMAKE_BINARY_DIR}/ikediag-cpack-check.cmake")
file(WRITE "${IKEDIAG_CPACK_CHECK}"
"if(NOT \"${IKEDIAG_INSTALL_MODE}\" STREQUAL \"global\")
    message(FATAL_ERROR \"ikediag: packages need the global plugin dir: configure with \"
                        \"-DIKEDIAG_INSTALL_MODE=global -DCMAKE_INSTALL_PREFIX=/usr\")
endif()
")
set(CPACK_PROJECT_CONFIG_FILE "${IKEDIAG_CPACK_CHECK}")

include(CPack)
message(STATUS "ikediag: cpack -G DEB makes ${CPACK_DEBIAN_FILE_NAME} (Depends: ${IKEDIAG_DEB_DEPENDS})")
