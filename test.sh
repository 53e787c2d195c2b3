#!/usr/bin/env bash
# Runs every MEG test, installing what is missing first.
# Usage: ./test.sh            everything (what CI runs)
#        ./test.sh --quick    skips the slow tests (shipped model, whole system): [Trait("Category", "Slow")]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
filter=()
case "${1:-}" in
  "") ;;
  --quick) filter=(--filter "Category!=Slow") ;;
  *) echo "test.sh: unknown option '$1'; use no option (every test) or --quick (skip the slow ones)." >&2; exit 2 ;;
esac
"$root/scripts/install-prerequisites.sh" --tests
export PATH="$HOME/.dotnet:$PATH"
# Build once, then test without building: test projects built side by side race on shared outputs.
dotnet build "$root/Meg.sln" -c Release --nologo -v quiet
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
# One project at a time (-m:1): side by side, the whole-system tests' timing shares 2 cores with other projects.
dotnet test "$root/Meg.sln" -c Release --no-build --nologo -v quiet -m:1 --logger "console;verbosity=normal" "${filter[@]}" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  # Service logs can scroll a failure far up: repeat every failure last.
  echo
  echo "==== test.sh: failures (exit $status) ===="
  awk '/^  Failed [^:]/ { show = 1 } /^  Passed / { show = 0 } /Test Run (Successful|Failed|Aborted)|aborted|crashed/ { print; show = 0 } show' "$log" | head -n 300
fi
exit "$status"
