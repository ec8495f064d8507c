# PKCE Desk — build, run and test without the Wails CLI.
# `make run` and `make test` install what is missing on Debian/Ubuntu first.
# Every target is a thin wrapper over scripts/, so each step also runs alone.

SHELL := /usr/bin/env bash
STAGE := bash scripts/test.sh

.DEFAULT_GOAL := help

.PHONY: help run deps build windows frontend bindings icon dist bench test \
	test-fmt test-vet test-go test-fuzz test-frontend test-bindings test-headless \
	test-keychain smoke test-dist test-ui test-providers clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-14s %s\n", $$1, $$2 }'

run: ## install what is missing, build the frontend and the app, start it
	@bash scripts/run.sh

test: ## every check CI runs, in order, with a timing summary
	@$(STAGE)

deps: ## install missing apt packages (build + test)
	@$(STAGE) deps

build: ## production linux/amd64 binaries → build/bin/pkce-desk (command) + pkce-desk-gui (window)
	@$(STAGE) build

windows: ## windows/amd64 cross-build → build/bin/pkce-desk.exe (window) + pkce-desk.com (console)
	@$(STAGE) windows

frontend: ## npm ci when stale, then vite build → frontend/dist
	@bash -c 'source scripts/lib.sh && build_frontend'

bindings: ## regenerate frontend/wailsjs from the bound Go methods
	@bash -c 'source scripts/lib.sh && generate_bindings'

icon: ## redraw build/appicon.png and build/windows/icon.ico
	@go run scripts/mkicon.go

dist: ## .deb, tar.gz, Windows exe + installer, SHA256SUMS → build/dist/
	@bash scripts/dist.sh

bench: ## launch-to-paint time and idle memory vs the bare Wails template, then Go benchmarks
	@bash scripts/bench.sh

test-fmt: ## gofmt on every .go file, shellcheck on every shell script
	@$(STAGE) fmt
test-vet: ## go vet (root, cgo main package, e2e)
	@$(STAGE) vet
test-go: ## go test -race ./...
	@$(STAGE) unit
test-fuzz: ## short run of every Fuzz* target
	@$(STAGE) fuzz
test-frontend: ## frontend check, unit tests and build
	@$(STAGE) frontend
test-bindings: ## fail when frontend/wailsjs is stale
	@$(STAGE) bindings
test-headless: ## CLI commands with no display
	@$(STAGE) headless
test-keychain: ## OS keychain round trip
	@$(STAGE) keychain
smoke: ## production binary under Xvfb: painted, single instance, clean exit
	@$(STAGE) smoke
test-dist: ## make dist, then check each artifact (the .deb installed and removed with apt)
	@$(STAGE) dist
test-ui: ## e2e harness tests, browser E2E against the dev build, the demo provider through Chromium
	@$(STAGE) ui
test-providers: ## real providers: Ory Hydra and zitadel's example OP (built once, cached)
	@$(STAGE) providers

clean: ## remove build outputs (build/bin, build/dist, build/artifacts)
	rm -rf build/bin build/dist build/artifacts
