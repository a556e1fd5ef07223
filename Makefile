# Wardsight — build, demo and test. `make demo` and `make test` install what they need on a fresh
# Debian machine with Node 20 (Debian packages through apt, npm packages through npm ci).
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_BUILD := libpcap-dev
APT_TEST  := libpcap-dev tshark tcpdump tcpreplay iproute2 time p0f prads libndpi-bin mosquitto chromium systemd rsyslog rsyslog-openssl postgresql
APT_BENCH := p0f prads tshark libndpi-bin tcpdump time
INSTALLED := node_modules/.wardsight-installed
REPORT    := node_modules/.vitest-report.json

.PHONY: help deps-build deps-test install build demo test lint typecheck bench clean

help:
	@echo "make demo   run a hub and two floor sensors on a simulated hospital"
	@echo "make test   type-check, lint and run every test"
	@echo "make build  compile all workspaces"
	@echo "make bench  run the benchmarks"

deps-build:
	@scripts/apt-ensure.sh $(APT_BUILD)

deps-test:
	@scripts/apt-ensure.sh $(APT_TEST)

$(INSTALLED): package.json package-lock.json */package.json patches/*.patch | deps-build
	npm ci --no-audit --no-fund
	@touch $@

install: deps-build $(INSTALLED)

build: install
	npx tsc --build

typecheck: build
	npx tsc -p tsconfig.tests.json

lint: install
	npx eslint --max-warnings 0 .

# The demo imports the vulnerability feeds of ../shared/data where that folder is present.
DEMO_FEEDS := $(wildcard ../shared/data/vuln ../shared/data/sbom ../shared/data/mds2)

demo: build
	node bin/wardsight.js demo $(if $(DEMO_FEEDS),--feeds $(DEMO_FEEDS))

# The last line printed is the summary CI reads: `N passed, N failed, N skipped`.
test: deps-test build typecheck lint
	@rm -f $(REPORT)
	@set +e; npx vitest run --reporter=default --reporter=json --outputFile.json=$(REPORT); \
	  code=$$?; node scripts/test-summary.mjs $(REPORT); summary=$$?; \
	  [ $$code -eq 0 ] && [ $$summary -eq 0 ]

bench: build
	@scripts/apt-ensure.sh $(APT_BENCH)
	node bin/wardsight.js bench edge

clean:
	npx tsc --build --clean
	rm -rf node_modules */node_modules
