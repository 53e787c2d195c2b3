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
dotnet test "$root/Meg.sln" -c Release --nologo -v quiet --logger "console;verbosity=normal" "${filter[@]}"
