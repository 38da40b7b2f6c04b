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

# .venv with corsguard installed editable plus its test extras. Re-installs
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
    .venv/bin/python -m pip install --quiet -e ".[test,browser,bench]"
    touch "$stamp"
  fi
}

# Runs a command with every pyenv Python 3.10-3.13 reachable by name
# (python3.10 ...), the default one first, so tox can find them all.
with_all_pythons() {
  if command -v pyenv >/dev/null 2>&1; then
    local default others
    default=$(pyenv version-name 2>/dev/null || true)
    others=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[0-3]\.[0-9]+$' | grep -vx "$default" | tr '\n' ':')
    PYENV_VERSION="${default}:${others%:}" "$@"
  else
    "$@"
  fi
}
