# Shared set-up of the fault scripts: cluster, migrations, people, one server, seeded entries.
#   fault_setup ENTRIES UNITS [VAR=VALUE… for the first server]
# sets: port url spid (server "main"), entries file $BENCH_WORK/entries.txt ("id token state").
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
faults_dir="$bench_dir/faults"
trap bench_cleanup EXIT

fault_setup() {
    local n=$1 units=$2
    shift 2
    bench_build
    bench_pg_start
    bench_migrate
    bench_seed_people "$units"
    port=$(bench_free_port)
    url="http://127.0.0.1:$port"
    bench_server_start main "$port" "$@"
    spid=$BENCH_PID_main
    bench_seed_entries "$port" "$n" "$units" "$BENCH_WORK/seeded.txt"
    bench_entries_file "$BENCH_WORK/entries.txt"
}

# Fails the script with every collected failure, or reports success.
fault_finish() {
    local name=$1
    shift
    if [ $# -gt 0 ]; then
        printf 'FAIL %s: %s\n' "$name" "$@" >&2
        exit 1
    fi
    log "PASS $name"
}
