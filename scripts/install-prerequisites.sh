#!/usr/bin/env bash
# Installs what MEG needs on Debian/Ubuntu, skipping whatever is already there (safe to run again).
#   scripts/install-prerequisites.sh           runtime needs (the .NET SDK, fonts for charts)
#   scripts/install-prerequisites.sh --tests   plus what the test suite needs
set -euo pipefail

want_tests=false
[[ "${1:-}" == "--tests" ]] && want_tests=true
export want_tests

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $apt_updated == false ]]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  echo "Installing ${missing[*]}..." >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# .NET SDK 10: distribution package where the archive has it, else Microsoft's installer script.
if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  if ! apt_install dotnet-sdk-10.0 2>/dev/null; then
    apt_install curl ca-certificates
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
    bash /tmp/dotnet-install.sh --channel 10.0 --install-dir "$HOME/.dotnet"
    export PATH="$HOME/.dotnet:$PATH"
    echo "Installed .NET 10 into $HOME/.dotnet; add it to PATH for later shells." >&2
  fi
fi

# Charts and image grids draw their text with DejaVu Sans.
apt_install fonts-dejavu-core

# The distributed system's integration tests (and ./meg up without a container runtime) run Redis and
# RabbitMQ as local processes on free loopback ports; the package's own system services are not used.
if [[ $want_tests == true ]]; then
  apt_install redis-server rabbitmq-server
  # The web page's end-to-end test drives Debian's headless Chromium with Playwright for .NET (its own browser
  # download is not used).
  apt_install chromium
fi
