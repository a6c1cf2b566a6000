#!/usr/bin/env bash
# Renders the public HTML disclosure of a running server in headless Chromium, to a PNG, and checks
# that the rendered page holds its tables and chart. Usage: scripts/screenshot-disclosure.sh
# [URL] [OUT.png]. Needs Debian's chromium and a CJK font (installed when missing, as root).
set -euo pipefail
url=${1:-http://127.0.0.1:8080/public/v1/disclosures/2020/201}
out=${2:-docs/disclosure.png}
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
# A Chinese font, or the page renders as boxes.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1)
dom=$(chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null)
tables=$(grep -o '<table' <<<"$dom" | wc -l)
charts=$(grep -o '<svg' <<<"$dom" | wc -l)
for needle in 部门职责 机关运行经费 三公 政府采购 督查调研所需经费; do
    grep -q "$needle" <<<"$dom" || { echo "the rendered page lacks $needle" >&2; exit 1; }
done
[ "$tables" -ge 8 ] || { echo "only $tables tables rendered" >&2; exit 1; }
[ "$charts" -ge 2 ] || { echo "only $charts charts rendered" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
chromium "${flags[@]}" --window-size=1000,2600 --screenshot="$out" "$url" >/dev/null 2>&1
echo "rendered $url: $tables tables, $charts charts → $out" >&2
