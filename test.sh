#!/usr/bin/env bash
# Runs every MEG test, installing what is missing first. Usage: ./test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-prerequisites.sh" --tests
export PATH="$HOME/.dotnet:$PATH"
dotnet test "$root/Meg.sln" -c Release --nologo -v quiet --logger "console;verbosity=normal"
