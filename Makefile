# Amana: the two commands the README promises, plus development targets.
#   make demo   install what is missing, build, and seal + verify the bundled sample media
#   make test   install what the tests need and run them all
#   make bench  install what the benchmark needs, build in release mode, and time seal and verify against
#               openssl, the by-hand pipeline and bagit.py (BENCH_LARGE=1 adds 55,000 photos and an 8 GiB file),
#               and the organisation store against its own PostgreSQL and radosgw (BENCH_ONLY=org for those alone)
SHELL := /bin/bash
SWIFT ?= swift
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: demo test build deps test-deps vectors clean bench fuzz report-image services-up services-down

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/amana"

# The whole package is also built in release mode, as a packager builds it (a target that compiles only in debug
# would go unnoticed otherwise), and the tests that hold amana to time and memory limits run that release binary.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) build -c release
	scripts/run-tests.sh

# The real servers the organisation-store tests use, for a developer running single tests: PostgreSQL 15 and a one-node
# Ceph radosgw in .services/ (`make test` starts its own in a temporary folder). Then `. .services/env` and run
# `swift test --filter ...`; without AMANA_REQUIRE_SERVICES a test whose service is down skips instead of failing.
services-up: test-deps
	@scripts/services/postgres.sh start .services/postgres >/dev/null
	@scripts/services/ceph.sh start .services/ceph >/dev/null || { scripts/services/postgres.sh stop .services/postgres; exit 1; }
	@(umask 077 && cat .services/postgres/env .services/ceph/env >.services/env)
	@echo "amana: services: up; load their variables with: . .services/env"

services-down:
	@scripts/services/ceph.sh stop .services/ceph
	@scripts/services/postgres.sh stop .services/postgres
	@rm -rf .services

# docs/report-en.png, the README's picture of a report: seals the sample media, prints the English report to PDF
# with `amana report --pdf` and converts page 1 with pdftoppm. Made by code, never by hand.
report-image: test-deps
	$(SWIFT) build
	scripts/report-image.sh "$$($(SWIFT) build --show-bin-path)/amana"

# Not part of `make test`: it writes several GB of data under bench-data/ and takes minutes. The organisation rows
# start PostgreSQL and a bluestore radosgw in bench-data/services/ and stop them by pid when the bench ends.
bench:
	scripts/bench/run.sh

# Regenerates fixtures/vectors from the generator in Sources/generate-vectors (format: fixtures/vectors/README.md).
# Never edit vectors by hand. The generator runs openssl and the compressors, which the test dependencies provide.
vectors: build test-deps
	$(SWIFT) run generate-vectors fixtures/vectors

# Fuzzing (not part of `make test`): builds amana-fuzz with libFuzzer and AddressSanitizer in .build-fuzz and runs
# every target for FUZZ_SECONDS (FUZZ_VERIFY_SECONDS for the whole verify path), then prints a summary table.
FUZZ_SECONDS ?= 60
FUZZ_VERIFY_SECONDS ?= $(FUZZ_SECONDS)
FUZZ_TARGETS ?=
export FUZZ_SECONDS FUZZ_VERIFY_SECONDS FUZZ_TARGETS
fuzz: deps
	SWIFT=$(SWIFT) scripts/fuzz/run.sh

clean:
	rm -rf .build demo-output
