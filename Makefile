# The two commands a fresh machine needs: `make synth` and `make test` (see README).
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
BUILD := .build
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true
# Older Node prints deprecation noise from jsii; it is not ours to fix.
export NODE_NO_WARNINGS := 1
CDK := npx --no-install cdk

.PHONY: install synth lint browser test bench survey bench-dips-full messages-local deploy diff clean help

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: $(VENV)/.installed node_modules/.installed  ## Virtualenv with Python dependencies, and the pinned CDK CLI

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@mkdir -p $(BUILD)
	@echo "Installing Python dependencies into $(VENV) (log: $(BUILD)/pip.log)"
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@{ $(PYTHON) -m pip install --upgrade pip && $(PYTHON) -m pip install -r requirements-dev.txt -e . ; } > $(BUILD)/pip.log 2>&1 \
		|| { tail -40 $(BUILD)/pip.log; exit 1; }
	@touch $@

node_modules/.installed: package.json package-lock.json
	@echo "Installing the CDK CLI from package-lock.json"
	@npm ci --no-audit --no-fund --loglevel=error > /dev/null
	@touch $@

synth: install  ## Synthesize to cdk.out/ and check it (flows, cdk-nag, cfn-lint)
	@rm -rf cdk.out  # a stale template of another environment would be linted too
	@$(CDK) synth --quiet --no-notices > $(BUILD)/synth.log 2>&1 \
		|| { grep -v -e 'Subprocess exited with error' -e '^npm warn' $(BUILD)/synth.log; exit 1; }
	@$(VENV)/bin/cfn-lint --ignore-checks W3005 -- cdk.out/*.template.json
	@sed -n '/^WARNING/,/Acknowledge with/p' $(BUILD)/synth.log || true  # e.g. journeys not deployed as Connect test cases
	@echo "cdk.out/ synthesized; cdk-nag and cfn-lint found nothing."

# The operators' page tests drive Debian's Chromium (Playwright pointed at it; it never downloads a browser).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:  ## Debian's chromium for the browser tests, installed with apt-get when missing
	@test -x /usr/bin/chromium || ! command -v apt-get > /dev/null \
		|| { echo "Installing Debian's chromium for the browser tests"; $(SUDO) apt-get update -qq \
		     && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium > /dev/null; }
	@test -x /usr/bin/chromium || echo "No /usr/bin/chromium and no apt-get: the operators' page browser tests will be skipped."

lint: install  ## ruff (lint, import order) and mypy, as configured in pyproject.toml
	@$(VENV)/bin/ruff check --quiet .
	@$(VENV)/bin/mypy

test: lint browser  ## ruff and mypy, then the whole test suite
	@$(PYTHON) -m pytest -q

bench: install  ## Run the benchmarks, ~3 min (figures printed, nothing asserted; options: bench_X --help)
	@failed=""; for bench in benchmarks/bench_*.py; do name=$$(basename $$bench .py); echo "== $$name"; \
		$(PYTHON) -m benchmarks.$$name || failed="$$failed $$name"; echo; done; \
		if [ -n "$$failed" ]; then echo "benchmarks that did not run to the end:$$failed"; exit 1; fi

survey: install  ## Validate and simulate every flow under DIR=folder (anyone's flows): the counts, and what fails
	@test -n "$(DIR)" || { echo "usage: make survey DIR=folder-of-flows"; exit 2; }
	@$(VENV)/bin/ivr flows survey "$(DIR)"

bench-dips-full: install  ## The dips' deadline, 1,000 invocations per fault and dip at a 200 ms budget: ~45 min, quiet machine
	@$(PYTHON) -m benchmarks.bench_dips --invocations 1000 --budget-ms 200

messages-local: install  ## A local messages table (moto) with the seed messages for `ivr messages` and `ivr call`; Ctrl-C stops it
	@$(VENV)/bin/ivr messages local

diff: install  ## Show what a deploy would change (needs AWS credentials)
	@$(CDK) diff --no-notices

deploy: synth  ## Deploy to the AWS account of connect_instance_arn (needs AWS credentials)
	@$(CDK) deploy --no-notices --require-approval broadening

clean:  ## Remove build output (keeps the virtualenv and node_modules)
	rm -rf cdk.out $(BUILD) .pytest_cache
