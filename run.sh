#!/usr/bin/env bash
# The main job: installs what is missing, prints every protocol's costs, then runs the case-study
# experiment (quality vs SNR per protocol against Centralized) into results/experiment/.
# Usage: ./run.sh [extra options for meg experiment, e.g. --quick]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-prerequisites.sh"
export PATH="$HOME/.dotnet:$PATH"
cd "$root"
./meg protocols
./meg experiment --out results/experiment "$@"
