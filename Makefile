# The two commands of the README. Both install what is missing from Debian's archive first.
#   make serve   build (Release) and run the service on the bundled data, 127.0.0.1:8080
#   make test    build and run every test (ctest; a failed browser suite is run once more,
#                scripts/ctest-browser-retry.sh)
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORT ?= 8080
DB ?= var/expectmatch.db
# The official list of French local authorities, installed by scripts/install-official-list.sh.
OFFICIAL_LIST ?= datasets/official/node_modules/@etalab/decoupage-administratif/data

.PHONY: deps configure build app serve test bench clean sanitize tsan fuzz load

deps:
	@bash scripts/install-deps.sh
	@bash scripts/install-official-list.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Only the program: serving does not wait for the tests and benchmarks to compile.
app: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target expectmatch

serve: app
	$(BUILD_DIR)/app/expectmatch import --official-list $(OFFICIAL_LIST) --if-missing --db $(DB)
	$(BUILD_DIR)/app/expectmatch serve --db $(DB) --port $(PORT)

test: build
	@bash scripts/install-node-deps.sh
	@bash scripts/install-web-deps.sh
	cd $(BUILD_DIR) && bash $(CURDIR)/scripts/ctest-browser-retry.sh --output-on-failure -j $(JOBS)

# The ranking and the match request benchmarks (a few minutes); the assignment and tuning ones
# are run by hand (bench/README.md).
bench: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target expectmatch_bench expectmatch_service_bench
	$(BUILD_DIR)/bench/expectmatch_bench
	$(BUILD_DIR)/bench/expectmatch_service_bench

# The reliability and security proofs beyond `make test` (see SECURITY.md):
#   make sanitize   the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
#   make tsan       the tests that run threads under ThreadSanitizer (build-tsan/)
#   make fuzz       a long fuzz run: FUZZ_TIME seconds per target (default 30 min), no run limit
#   make load       wrk against /v1/match on 36,000 authorities (bench/load/run.sh)
FUZZ_TIME ?= 1800
sanitize: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
	  -DEXPECTMATCH_SANITIZE=address,undefined -DEXPECTMATCH_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build build-asan -j $(JOBS) --target expectmatch expectmatch_tests
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  bash $(CURDIR)/scripts/ctest-browser-retry.sh --output-on-failure -j $(JOBS)

# ThreadSanitizer on the suites whose code runs on several threads: the in-process HTTP server
# (workers, request gate, ranking-log writer, snapshot refresher, rate limiter), slow clients,
# graceful stop, and the binary the others start (built with TSan too). Any report is fatal:
# halt_on_error in this process, and the report files of child processes (log_path) fail the
# target after ctest. tests/tsan.supp lists third-party false positives only, each with its reason.
TSAN_TESTS ?= ^(RequestGate|ConnectionParking|ElasticPool|SlowClients|GracefulStop|LiveServer|ServiceLifecycle|ServiceAuthorization|Operations|Hostile|Security|ServeBinary|Durability|KeyCache|WebAssets|TransportHotPath|TransportHotPathServer|RankingLogBatching|SnapshotNeedDigest)\.
TSAN_REPORTS = $(CURDIR)/build-tsan/tsan-reports
tsan: deps
	@cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
	  -DEXPECTMATCH_SANITIZE=thread -DEXPECTMATCH_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build build-tsan -j $(JOBS) --target expectmatch expectmatch_tests
	@rm -rf $(TSAN_REPORTS) && mkdir -p $(TSAN_REPORTS)
	cd build-tsan && status=0 && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 \
	  suppressions=$(CURDIR)/tests/tsan.supp log_path=$(TSAN_REPORTS)/report" \
	  ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)' || status=$$?; \
	  if ls $(TSAN_REPORTS)/report* >/dev/null 2>&1; then \
	    cat $(TSAN_REPORTS)/report*; echo "ThreadSanitizer reports: see above"; exit 1; fi; \
	  exit $$status

fuzz: deps
	FUZZ_RUNS=0 FUZZ_TIME=$(FUZZ_TIME) bash fuzz/run.sh

load: deps
	bash bench/load/run.sh

clean:
	rm -rf $(BUILD_DIR)
