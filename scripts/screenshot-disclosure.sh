#!/usr/bin/env bash
# Renders the public HTML disclosure of a running server in headless Chromium, to a PNG, and checks
# that the rendered page holds its tables and charts.
#
#   scripts/screenshot-disclosure.sh [-o OUT.png] [URL]
#
# URL defaults to $API/public/v1/disclosures/2020/201, with API from the session file of
# scripts/serve.sh or http://127.0.0.1:${PORT:-8080}. OUT defaults to a file under $TMPDIR (/tmp);
# `-o docs/disclosure.png` refreshes the README's picture. Needs Debian's chromium and a CJK font
# (fonts-wqy-microhei, or fonts-noto-cjk): without one the Chinese renders as boxes. Both are
# installed when missing, as root.
set -euo pipefail
out=
while [ $# -gt 0 ]; do
    case $1 in
        -o) out=${2:?-o needs a file}; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
done
api=${API:-http://127.0.0.1:${PORT:-8080}}
url=${1:-$api/public/v1/disclosures/2020/201}
out=${out:-${TMPDIR:-/tmp}/disclosure-$(sed -E 's#.*/disclosures/([0-9]+)/([^/?]+).*#\1-\2#' <<<"$url").png}
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
# A Chinese font, or the page renders as boxes.
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
curl -sf -o /dev/null "$url" || { echo "no disclosure at $url (is the server running? set API or pass the URL)" >&2; exit 1; }
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
