#!/usr/bin/env bash
# Debian packages that tests and benchmarks drive: Chromium (page tests), Postfix's smtp-sink/smtp-source
# (delivery benchmark), wrk and nginx (site benchmark). Installs only what is missing; needs root or sudo.
set -euo pipefail
want=(chromium postfix wrk nginx-light fonts-noto-cjk)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Postfix must not start a mail server of its own: 'No configuration' keeps it idle.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
