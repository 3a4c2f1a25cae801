#!/usr/bin/env bash
# Install the Debian packages that `make test` needs and pip cannot provide; do nothing when all are there.
# As root: apt-get installs what is missing. Otherwise: print the exact command to run and exit 1.
# Plain bash on purpose: it runs before Python 3.11 and the venv exist.
set -euo pipefail

missing=()

# The browser tier launches this exact path (CHROMIUM in the tests' widget helper).
[ -x /usr/bin/chromium ] || missing+=(chromium)

# make builds .venv with python3.11 -m venv, which needs ensurepip (Debian ships it in python3.11-venv).
if ! command -v python3.11 >/dev/null 2>&1; then
  missing+=(python3.11 python3.11-venv)
elif ! python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3.11-venv)
fi

command -v make >/dev/null 2>&1 || missing+=(make)

# cmake and a C/C++ toolchain compile llama-cpp-python[server] for the real-LLM tier.
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
if ! command -v cc >/dev/null 2>&1 || ! command -v c++ >/dev/null 2>&1; then
  missing+=(build-essential)
fi

# The PostgreSQL tier starts its own server from the cluster binaries, not from a running service.
has_postgres_binaries() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && return 0
  done
  return 1
}
has_postgres_binaries || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]}" >&2
  echo "run this, then run make test again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
