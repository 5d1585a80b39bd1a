# SPDX-License-Identifier: MIT
# packaging/deb/deb.cmake - the Debian package, made by `cpack -G DEB` from
# the build tree (included by CMakeLists.txt). CPack rather than a debian/
# directory: the package is the same install rules `cmake --install` runs
# and tests/cli_install.sh checks, built without debhelper, and dpkg-shlibdeps
# still computes Depends from the program's libraries. What only a system
# package has (configuration, unit, user) is in this folder.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tsunagu)
set(CPACK_PACKAGE_VENDOR "the tsunagu contributors")
# Who answers for the package: the municipality or vendor that builds it sets
# its own with -DTSUNAGU_DEB_MAINTAINER="Name <address>".
set(TSUNAGU_DEB_MAINTAINER "tsunagu maintainers <tsunagu@example.org>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${TSUNAGU_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "walking-access service for municipal welfare work")
set(CPACK_PACKAGE_DESCRIPTION
    "tsunagu answers which welfare resources households can reach on foot:\n\
walking isochrones, coverage per district, new-site suggestions and outreach\n\
routes over an HTTP API, OGC API - Features, map tiles and a web page, with\n\
access control and an audit log for the household data it holds.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries' packages (dpkg-shlibdeps), and what the
# maintainer scripts and the running program need besides.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libsqlite3-mod-spatialite, proj-data")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${PROJECT_SOURCE_DIR}/packaging/deb/conffiles;${PROJECT_SOURCE_DIR}/packaging/deb/postinst;${PROJECT_SOURCE_DIR}/packaging/deb/prerm;${PROJECT_SOURCE_DIR}/packaging/deb/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS "${PROJECT_SOURCE_DIR}/packaging/deb/prebuild.cmake")
set(CPACK_TSUNAGU_SOURCE_DIR "${PROJECT_SOURCE_DIR}") # for prebuild.cmake
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};tsunagu;ALL;/")
include(CPack)
