// Package packaging checks the release artifacts `make dist` leaves in
// build/dist (issue 13) and what the release workflow relies on, without
// the systems they are for: the Windows executables' PE headers and
// resources (subsystem, icon, version information, manifest), the NSIS
// installer, and .github/workflows/release.yml. The .deb is checked by
// scripts/check-deb.sh, which installs it.
//
// Environment: PKCE_DESK_DIST_DIR names the folder with the artifacts
// (default ../build/dist from the e2e module); with
// PKCE_DESK_REQUIRE_ARTIFACTS=1 (the dist stage of `make test`) a missing
// artifact fails a test instead of skipping it.
package packaging
