#!/usr/bin/env bash
# The main job: installs what is missing, then prints every protocol's costs and runs a BER sweep
# with plots under results/. Usage: ./run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/install-prerequisites.sh"
export PATH="$HOME/.dotnet:$PATH"
cd "$root"
./meg protocols
./meg channel ber --modulation qpsk --snr -2:2:10 --bits 2000000 --out results/ber-qpsk
./meg channel ber --modulation bpsk --snr 0:1:6 --coded --bits 1000000 --out results/ber-bpsk-coded
