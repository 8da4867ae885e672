# `make run`: set up and start the assistant on seeds/.  `make test`: set up and run the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CLUSTER := $(VENV)/.cluster-installed

.PHONY: run test ask bench

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# CPU build of PyTorch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# the optional Ray extra (qa/cluster/): its tests run on a real local Ray cluster
$(CLUSTER): $(STAMP) pyproject.toml
	$(PY) -m pip install -q -e '.[cluster]'
	touch $(CLUSTER)

run: $(STAMP)
	bash scripts/install-system.sh
	$(VENV)/bin/qa index seeds
	$(VENV)/bin/qa serve

ask: $(STAMP)
	$(VENV)/bin/qa ask "$(Q)"

test: $(STAMP) $(CLUSTER)
	bash scripts/install-system.sh --browser
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) benchmarks/run_all.py
