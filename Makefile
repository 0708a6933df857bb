# The two commands of the README. Both install what is missing from Debian's archive first.
#   make serve   build (Release) and run the service on the bundled data, 127.0.0.1:8080
#   make test    build and run every test (ctest)
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORT ?= 8080
DB ?= var/expectmatch.db

.PHONY: deps configure build app serve test bench clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Only the program: serving does not wait for the tests and benchmarks to compile.
app: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target expectmatch

serve: app
	$(BUILD_DIR)/app/expectmatch serve --db $(DB) --port $(PORT)

test: build
	@bash scripts/install-node-deps.sh
	@bash scripts/install-web-deps.sh
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

bench: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target expectmatch_bench
	$(BUILD_DIR)/bench/expectmatch_bench

clean:
	rm -rf $(BUILD_DIR)
