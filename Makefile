# One command per job; each sets itself up first (README contract).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## The main job: render the 12-turn demo show on embedded defaults.
demo: $(STAMP)
	$(BIN)/talkshow render --topic "why there's a lambo in the room" --turns 12 --seed 7 -o demo.mp4

## The tests, plus lint and type checks.
test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) demo.mp4 .pytest_cache .mypy_cache .ruff_cache
