#!/usr/bin/env bash
# The system packages the tests need, from Debian, installed only when one is missing:
# Chromium and its WebDriver (axe/keyboard tests and pa11y), CJK fonts (so Chinese text is laid
# out as a reader sees it: target-size and contrast depend on it), Java (Nu HTML checker) and the
# PostgreSQL 15 server (the back-office tests run on SQLite and on a throwaway PostgreSQL server).
# Non-interactive; uses sudo only when not root.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=("chromium")
[ -x /usr/bin/chromedriver ] || missing+=("chromedriver")
has_cjk_font() {
  # grep without -q reads all of fc-list's output: with pipefail, an early exit would make
  # fc-list die of SIGPIPE and the test fail although the font is there.
  command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -i 'Noto Sans CJK' >/dev/null
}
has_cjk_font || missing+=("Noto Sans CJK fonts")
command -v java >/dev/null 2>&1 || missing+=("java")
PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || missing+=("postgresql")

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: chromium, chromedriver, Noto Sans CJK, java and postgresql are present"
  exit 0
fi

echo "system packages missing: ${missing[*]} — installing from Debian"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
  chromium chromium-driver fonts-noto-cjk default-jre-headless postgresql

# Fail here, with the reason, rather than later in the tests.
[ -x /usr/bin/chromium ] || { echo "install_system_deps: /usr/bin/chromium still missing" >&2; exit 1; }
[ -x /usr/bin/chromedriver ] || { echo "install_system_deps: /usr/bin/chromedriver still missing" >&2; exit 1; }
has_cjk_font || { echo "install_system_deps: Noto Sans CJK fonts still missing" >&2; exit 1; }
command -v java >/dev/null || { echo "install_system_deps: java still missing" >&2; exit 1; }
[ -x "$PG_BIN/initdb" ] || { echo "install_system_deps: $PG_BIN/initdb still missing (package postgresql)" >&2; exit 1; }
echo "system packages: installed"
