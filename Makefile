# The two commands: `make run` and `make test`. Every target installs missing Debian packages
# first, then builds Release into build/.
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 300
TOPOLOGY ?= topologies/default.yaml
GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
BENCH_FILTER ?= .
BENCH_REPS ?= 3
SWARM_SEEDS ?= 10000
ECHARTS_VERSION ?= 6.1.0

.PHONY: deps build run test test-release test-asan golden bench fuzz swarm clean vendor-js

deps:
	@bash .ci/install-deps

build: deps
	@[ -f build/CMakeCache.txt ] || cmake -S . -B build $(GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build build -j $(JOBS)

run: build
	./build/shardsim run $(TOPOLOGY)

test-release: build
	cd build && ctest --output-on-failure -j $(JOBS)

# The sanitizer build uses -O1 with line tables only (-g1): reports keep file:line, and the build
# takes about half the time of -O2 -g on two cores.
test-asan: deps
	@[ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DSHARDSIM_SANITIZE=ON -DSHARDSIM_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Release suite, then the same suite under ASan+UBSan (the fuzz corpus replay is part of both).
test: test-release test-asan

# Regenerates tests/golden/*.json (every topology at its default seed: fingerprint and headline
# numbers) after a deliberate model change; review the diff and commit it.
golden: build
	rm -f tests/golden/*.json
	SHARDSIM_UPDATE_GOLDEN=1 ./build/shardsim_tests --gtest_filter='Topologies/Golden.*'
	@echo "tests/golden/ regenerated: review with git diff tests/golden/ and commit"

bench: build
	./build/shardsim_bench --benchmark_filter='$(BENCH_FILTER)' --benchmark_repetitions=$(BENCH_REPS) \
	  --benchmark_report_aggregates_only=true --benchmark_out=build/bench.json --benchmark_out_format=json

# Swarm testing: SWARM_SEEDS seeds of prime-broker.yaml, each with a fault mix derived from its seed,
# checked against the invariants; a failing seed prints its replay command and the exit code is 3.
swarm: build
	./build/shardsim swarm topologies/prime-broker.yaml --seeds $(SWARM_SEEDS) --jobs $(JOBS)

# libFuzzer, FUZZ_SECONDS per target: fuzz_loader (bytes -> topology) with corpus tests/fuzz/corpus,
# fuzz_world (a topology that loads is built and run for a short, capped time) with
# tests/fuzz/corpus_world. Every library is instrumented (coverage, ASan, UBSan); FUZZ_TARGETS
# picks the targets, FUZZ_FLAGS adds libFuzzer flags (e.g. -jobs=1).
FUZZ_TARGETS ?= fuzz_loader fuzz_world
FUZZ_FLAGS ?=
fuzz: deps
	@[ -f build-fuzz/CMakeCache.txt ] || CXX=clang++ cmake -S . -B build-fuzz $(GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSHARDSIM_FUZZ=ON -DSHARDSIM_TESTS=ON -DSHARDSIM_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  seeds=tests/fuzz/corpus; [ $$t = fuzz_world ] && seeds=tests/fuzz/corpus_world; \
	  mkdir -p build-fuzz/corpus-$$t && cp -n $$seeds/* build-fuzz/corpus-$$t/ 2>/dev/null || true; \
	  ./build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/topology.dict $(FUZZ_FLAGS) build-fuzz/corpus-$$t; \
	done

# Refreshes third_party/echarts from the npm registry (needs network; never part of the build).
vendor-js:
	rm -rf build/vendor-js && mkdir -p build/vendor-js
	cd build/vendor-js && npm pack --silent echarts@$(ECHARTS_VERSION) && tar xzf echarts-$(ECHARTS_VERSION).tgz
	cp build/vendor-js/package/dist/echarts.min.js build/vendor-js/package/LICENSE build/vendor-js/package/NOTICE third_party/echarts/
	mkdir -p third_party/echarts/licenses && cp build/vendor-js/package/licenses/* third_party/echarts/licenses/
	sed -i 's/^# Apache ECharts .* (vendored)/# Apache ECharts $(ECHARTS_VERSION) (vendored)/' third_party/echarts/README.md
	@echo "third_party/echarts now holds echarts $(ECHARTS_VERSION); update the version in README.md's text if it changed"

clean:
	rm -rf build build-asan build-fuzz out
