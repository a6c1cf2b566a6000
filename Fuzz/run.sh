#!/usr/bin/env bash
# Fuzzes the BLP/1 codec (and the JSON shape check in front of the API decoder) with libFuzzer and AddressSanitizer.
#
#   Fuzz/run.sh [SECONDS]        default 60
#
# Builds Fuzz/BLPFuzz/main.swift with the Workflow module's sources (pure, Foundation only) into $BLP_FUZZ_DIR
# (default: a folder under the system temp dir, so nothing lands in the checkout), seeds the corpus
# from SPEC §5 examples the first time, and runs. A crash leaves crash-* in that folder and exits
# non-zero; rerun one input with: "$BLP_FUZZ_DIR/blp-fuzz" CRASH_FILE
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
work="${BLP_FUZZ_DIR:-${TMPDIR:-/tmp}/blp-fuzz}"
swiftc="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"

mkdir -p "$work/corpus"

"$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g \
    -swift-version 6 \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature MemberImportVisibility \
    -module-name BLPFuzz -package-name budget \
    "$here/BLPFuzz/main.swift" $(find "$root/Sources/Workflow" -name '*.swift' | sort) \
    -o "$work/blp-fuzz"

if [ -z "$(ls -A "$work/corpus")" ]; then
    cat >"$work/corpus/spec-entry" <<'EOF'
# SPEC §5
entry code=201-0502-JBN-E5EL name="督查调研所需经费" kind=project func=2013102 general=150000.00 plan=30,60,90,100 purpose="该项目用于2020年课题调研支出的公车运行维护费及差旅费" goals="…\n\t\"x\"\\"
item econ=30231 amount=50000.00
indicator l1=产出指标 l2=时效指标 l3=完成率 desc="重大决策部署落实的调研工作完成率" value="≥95百分比" basis=依据部门职责
procurement item=台式计算机 catalog=A02010104 unit=台 qty=6 price=5000.00
EOF
    printf 'entry code= name=""\r\n  item econ=1\t\r\n\r\nentyr x=1\nitem amout=2 amout=3\n' >"$work/corpus/crlf-and-errors"
fi

cat >"$work/blp.dict" <<'EOF'
"entry"
"item"
"indicator"
"procurement"
"code="
"name="
"econ="
"amount="
"plan="
"\x22"
"\\"
"\\n"
"\\t"
"\\\x22"
"\x0d\x0a"
"#"
"\xef\xbb\xbf"
"\xc2\x85"
EOF

cd "$work"
exec ./blp-fuzz -max_total_time="$seconds" -max_len=2048 -dict=blp.dict -print_final_stats=1 corpus
