# The two commands a newcomer needs (see README): `make demo` and `make test`.
PORT ?= 8000

.PHONY: demo test setup build lint

demo: setup build          ## install, build the bundle, serve the demo at http://127.0.0.1:$(PORT)/
	python3 -m lentera.cli serve --dir build --port $(PORT)

test:                      ## install everything the tests need, then lint and run the whole suite
	scripts/setup.sh --test
	python3 -m ruff check widget/py tests bench
	python3 -m pytest

setup:
	scripts/setup.sh

build:
	python3 -m lentera.cli validate
	python3 -m lentera.cli build --out build
