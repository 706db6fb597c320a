# The two commands a user needs (README.md): `make run` and `make test`.
# Both install missing Debian packages first (scripts/bootstrap), then build.

BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CORPUS     ?= examples/moscow-talks-2025
# The outlets' names of the example corpus (README: "Outlet names").
SOURCES    ?= $(if $(filter examples/moscow-talks-2025,$(CORPUS)),examples/moscow-talks-2025.sources.csv)
OUT        ?= out

.PHONY: all bootstrap build run test test-asan install clean

all: build

bootstrap:
	@bash scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

run: build
	$(BUILD)/textsim align $(CORPUS) $(if $(SOURCES),--sources $(SOURCES)) -o $(OUT)

# Every test on the release build, then the unit, CLI and fuzz-replay tests
# again on a second build with AddressSanitizer and UndefinedBehaviorSanitizer,
# with the MPI test when textsim-mpi is built.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan

test-asan: bootstrap
	@cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DTS_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS) -- --no-print-directory
	cd $(BUILD_ASAN) && ctest --output-on-failure -j $(JOBS) -L 'unit|cli|fuzz|mpi'

PREFIX     ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(OUT)
