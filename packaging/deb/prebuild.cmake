# SPDX-License-Identifier: MIT
# packaging/deb/prebuild.cmake - run by `cpack -G DEB` (CPACK_PRE_BUILD_SCRIPTS)
# on the staged tree before it is packed: adds the files only a system
# package has (/etc/tsunagu/tsunagu.conf, the systemd unit), writes
# /usr/share/doc/tsunagu/copyright from NOTICE and LICENSE and the Debian
# changelog, and compresses the man page as Debian policy wants. Done here
# rather than with install() so that `cmake --install --prefix P` never
# writes into /etc.
set(stage "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
if(NOT IS_DIRECTORY "${stage}/usr")
  # CPack stages under the packaging prefix inside the temporary directory.
  file(GLOB_RECURSE probe LIST_DIRECTORIES true "${stage}/*/usr/bin")
  message(FATAL_ERROR "tsunagu prebuild: no usr/ under ${stage} (${probe})")
endif()
set(pkg "${CPACK_TSUNAGU_SOURCE_DIR}/packaging/deb")
set(doc "${stage}/usr/share/doc/tsunagu")

file(COPY "${pkg}/tsunagu.conf" DESTINATION "${stage}/etc/tsunagu"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# A first package has no bug to close (lintian's one warning about it).
file(WRITE "${stage}/usr/share/lintian/overrides/tsunagu"
     "tsunagu: initial-upload-closes-no-bugs\n")
file(COPY "${pkg}/tsunagu.service" "${pkg}/tsunagu@.service" DESTINATION "${stage}/lib/systemd/system"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# copyright (machine-readable format 1.0): MIT for tsunagu, NOTICE in full
# as the comment (it names every bundled part and its licence).
function(tsunagu_indent in out)
  string(REGEX REPLACE "\n$" "" t "${in}")
  string(REGEX REPLACE "\n\n" "\n.\n" t "${t}")
  string(REGEX REPLACE "\n\n" "\n.\n" t "${t}")
  string(REGEX REPLACE "\n" "\n " t "${t}")
  set(${out} " ${t}" PARENT_SCOPE)
endfunction()
file(READ "${CPACK_TSUNAGU_SOURCE_DIR}/NOTICE" notice)
file(READ "${CPACK_TSUNAGU_SOURCE_DIR}/LICENSE" licence)
tsunagu_indent("${notice}" notice_i)
tsunagu_indent("${licence}" licence_i)
file(WRITE "${doc}/copyright"
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tsunagu
Comment: Generated from tsunagu's NOTICE when the package was built; NOTICE
 follows in full.
 .
${notice_i}

Files: *
Copyright: 2026 the tsunagu contributors
License: MIT

Files: web/node_modules/maplibre-gl/*
Copyright: MapLibre contributors, 2020 Mapbox
License: BSD-3-Clause
 The full text is /usr/share/tsunagu/web/node_modules/maplibre-gl/LICENSE.txt;
 the packages its bundle includes are listed with their licences above.

License: MIT
${licence_i}
")
file(REMOVE "${doc}/LICENSE")

# changelog.Debian.gz and the man page, compressed with gzip -9n.
string(TIMESTAMP now "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE "${doc}/changelog.Debian"
"tsunagu (${CPACK_DEBIAN_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}) bookworm; urgency=medium

  * Package built with CPack from tsunagu ${CPACK_PACKAGE_VERSION}.

 -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${now}
")
foreach(f "${doc}/changelog.Debian" "${stage}/usr/share/man/man1/tsunagu.1")
  if(EXISTS "${f}")
    execute_process(COMMAND gzip -9nf "${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "tsunagu prebuild: gzip ${f} failed")
    endif()
  endif()
endforeach()
