#!/usr/bin/env bash
# Install the pinned packages into .venv with visible progress (pip --quiet looked like a hang for
# minutes). One pip warning is dropped: justext asks for lxml[html_clean], an extra lxml 6 no longer
# declares; the package it stood for, lxml-html-clean, is pinned in requirements.lock and installed.
set -euo pipefail
BIN="$1"
echo "techissue: installing the pinned packages into .venv (a few minutes the first time)..."
set +e
"$BIN/pip" install --require-hashes --progress-bar on -r requirements.lock 2>&1 \
  | grep --line-buffered -v -e "does not provide the extra 'html_clean'" -e "^Requirement already satisfied"
pip_status="${PIPESTATUS[0]}"
set -e
if [ "$pip_status" -ne 0 ]; then
  echo "techissue: pip could not install the packages (see above)." >&2
  exit "$pip_status"
fi
"$BIN/pip" install --quiet --no-deps -e .
echo "techissue: packages installed."
