# Shared set-up for scripts/test and scripts/demo; sourced, not run.

# A Python >= 3.10 to build the virtual environment with.
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10; do
    [[ -n $candidate ]] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "corsguard needs Python 3.10 or newer; none found (set PYTHON=/path/to/python)" >&2
  return 1
}

# .venv with corsguard installed editable plus its test, bench and docs extras. Re-installs
# only when pyproject.toml changed since the last install.
ensure_venv() {
  local python stamp=.venv/.corsguard-installed
  if [[ ! -x .venv/bin/python ]]; then
    python=$(find_python)
    echo "== creating .venv with $python"
    "$python" -m venv .venv
  fi
  if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    echo "== installing corsguard and its test tools into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test,browser,bench,docs,mutation]"
    touch "$stamp"
  fi
}

# Every Python 3.10-3.13 this machine has, as paths for tox's --discover:
# pyenv's versions (its shims only answer for the selected one) and any on PATH.
python_interpreters() {
  local version candidate
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[0-3]\.[0-9]+$'); do
      candidate="$(pyenv root)/versions/$version/bin/python"
      [[ -x $candidate ]] && echo "$candidate"
    done
  fi
  for candidate in python3.10 python3.11 python3.12 python3.13; do
    candidate=$(command -v "$candidate" 2>/dev/null) || continue
    [[ $candidate == */shims/* ]] || echo "$candidate"
  done
}

# Installs Debian packages when this user can (root with apt-get); otherwise
# says how, and the suites that need them skip unless CORSGUARD_REQUIRE_BROWSER=1.
apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    echo "== installing Debian's $* for the test suites"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "== $* not installed and this user cannot apt-get: the suites that need it will say so (sudo apt-get install -y $*)"
  fi
}

# nginx for the proofs that put a real reverse proxy and cache in front of
# corsguard. Only the binary is used: each test writes its own config, listens
# on 127.0.0.1 and stops its own process.
ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] && return 0
  apt_install nginx
}

# Debian's Chromium for the browser suite (never `playwright install`, which
# downloads a browser). Installed with apt-get when this user can; otherwise
# the suite says how, and skips unless CORSGUARD_REQUIRE_BROWSER=1.
ensure_chromium() {
  local browser=${CORSGUARD_CHROMIUM:-/usr/bin/chromium}
  [[ -x $browser ]] && return 0
  apt_install chromium
}

# Node.js and npm for the scan corpus's expressjs/cors servers (tests/cli/corpus):
# Debian's packages; the npm modules go into a scratch folder at test time.
# Without them those entries skip, unless CORSGUARD_REQUIRE_NODE=1 (CI).
ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
  apt_install nodejs npm
}

# PostgreSQL, Redis and wrk for the fleet proofs (tests/proofs/test_fleet.py):
# only the binaries are used; each test starts its own server on 127.0.0.1,
# on its own port, and stops it by its pid. Without them the proofs skip,
# unless CORSGUARD_REQUIRE_POSTGRES=1 / CORSGUARD_REQUIRE_REDIS=1.
ensure_databases() {
  local missing=()
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
}

# valgrind for the instruction budget (tests/proofs/test_instruction_budget.py)
# and bench.instructions: callgrind counts instructions, which a loaded machine
# does not change. Without it that proof skips, unless CORSGUARD_REQUIRE_BROWSER=1.
ensure_valgrind() {
  command -v valgrind >/dev/null 2>&1 && command -v callgrind_control >/dev/null 2>&1 && return 0
  apt_install valgrind
}

# A C compiler and the venv's Python headers for the compiled fast path
# (scripts/compiled.py: mypyc turns the request path into C extensions).
# pyenv's and python.org's builds ship their headers; Debian's python3 needs
# python3-dev.
ensure_compiler() {
  local missing=()
  command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
  .venv/bin/python -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' ||
    missing+=(python3-dev)
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
}
