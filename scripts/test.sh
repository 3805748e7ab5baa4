#!/usr/bin/env bash
# The one command that runs every test: build, typecheck, lint, then the whole vitest suite
# (engine, CLI, Electron wiring, React components, end-to-end in headless Chromium) inside a
# private D-Bus session with an unlocked gnome-keyring, so keytar talks to a real keyring.
# Ends with the plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

step() { printf '\n== %s ==\n' "$1"; }

step build
npm run --silent build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
step typecheck
npm run --silent typecheck || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }
step lint
npm run --silent lint || { echo "lint failed"; echo "0 passed, 1 failed"; exit 1; }

step vitest
results=.tmp/vitest-results.json
rm -f "$results"
run_vitest='npx vitest run --reporter=default --reporter=json --outputFile='"$results"
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  # A fresh HOME so the keyring (and anything else) starts empty and nothing touches the user's.
  export CREDIT_TRAY_TEST_REAL_HOME="$HOME"
  test_home="$(mktemp -d)"
  export CREDIT_TRAY_KEYRING=1
  HOME="$test_home" XDG_DATA_HOME="$test_home/.local/share" dbus-run-session -- sh -c \
    'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; '"$run_vitest"
  status=$?
  rm -rf "$test_home"
else
  echo "note: dbus-run-session/gnome-keyring not installed: the real-keychain tests will be skipped"
  sh -c "$run_vitest"
  status=$?
fi

node scripts/summarize-tests.mjs "$results" || status=1
exit $status
