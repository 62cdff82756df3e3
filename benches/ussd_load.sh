#!/usr/bin/env bash
# USSD load benchmark (issue 13). Builds release, starts a private redis-server (no persistence)
# on a free port, then, one at a time, the floor (examples/floor.rs: actix-web parsing the form,
# one GET and one SET per hop), Salama on that Redis and Salama on the embedded store, and drives
# each with the same sessions (examples/ussd_load.rs: a new number and session id per session,
# four hops: language, main menu, a topic, an advice screen). Prints hops/s, p50, p99, the ratio
# to the floor, each server's CPU microseconds per hop, and Redis bytes per live session.
#
#   benches/ussd_load.sh                 # 15 s per server
#   DURATION=30 CONNECTIONS=64 THREADS=2 benches/ussd_load.sh
#
# The menu inputs are the PATHS table at the top of examples/ussd_load.rs: when the menus change,
# update it there; a first session against each server stops the script if an answer is not the
# CON/END screen expected. Everything listens on and talks to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SAMPLE=${SAMPLE:-200} # session keys whose MEMORY USAGE is averaged

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "ussd_load: installing ${need[*]} with apt-get" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "building (release)..." >&2
cargo build --release --locked --quiet --bin salama --example floor --example ussd_load
BIN=target/release
LOAD=$BIN/examples/ussd_load
WORK=$(mktemp -d /tmp/ussd-load.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    listening "$port" || { echo "$port"; return; }
  done
}
wait_port() { # port pid
  for _ in $(seq 100); do
    listening "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "ussd_load: nothing listens on port $1; its log:" >&2
  cat "$WORK"/*.log >&2
  exit 1
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU, in clock ticks
HZ=$(getconf CLK_TCK)
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
wait_port "$REDIS_PORT" "$REDIS_PID"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

export SALAMA__PRIVACY__PSEUDONYM_SECRET=$(openssl rand -hex 32)
export SALAMA__PRIVACY__ENCRYPTION_KEYS="k1:$(openssl rand -hex 32)"
export SALAMA__CHANNELS__AFRICASTALKING__TOKEN=$(openssl rand -hex 16)
# Only the provider the load speaks: the others would have webhooks without their secrets,
# which `serve` refuses on Redis.
export SALAMA__CHANNELS__ENABLED=africastalking
TOKEN=$SALAMA__CHANNELS__AFRICASTALKING__TOKEN

NAMES=() RATES=() P50S=() P99S=() CPUS=() REDIS_CPUS=()
# bench NAME PID PORT: a checked first session, then the timed run.
bench() {
  local name=$1 pid=$2 port=$3
  local url="http://127.0.0.1:$port/v1/ussd/africastalking?token=$TOKEN"
  wait_port "$port" "$pid"
  $LOAD "$url" --check --sessions 1 --connections 1 --prefix "check-" --first-number 9999000 >/dev/null
  local cpu0 redis0 out
  cpu0=$(ticks "$pid") redis0=$(ticks "$REDIS_PID")
  out=$($LOAD "$url" --duration "$DURATION" --connections "$CONNECTIONS" --threads "$THREADS" --prefix "$name-")
  local hops cpu redis_cpu
  hops=$(field hops "$out")
  cpu=$(((($(ticks "$pid") - cpu0) * 1000000 / HZ) / (hops > 0 ? hops : 1)))
  redis_cpu=$(((($(ticks "$REDIS_PID") - redis0) * 1000000 / HZ) / (hops > 0 ? hops : 1)))
  echo "$name: $out cpu_us_per_hop=$cpu redis_cpu_us_per_hop=$redis_cpu" >&2
  if [ "$(field errors "$out")" != 0 ]; then
    echo "ussd_load: $name answered $(field errors "$out") hops with an error or an unexpected screen" >&2
    exit 1
  fi
  NAMES+=("$name") RATES+=("$(field hops_per_s "$out")") P50S+=("$(field p50_ms "$out")")
  P99S+=("$(field p99_ms "$out")") CPUS+=("$cpu") REDIS_CPUS+=("$redis_cpu")
}
stop() { kill "$1" && wait "$1" 2>/dev/null || true; }

# mean_usage PATTERN: mean MEMORY USAGE of up to $SAMPLE keys matching PATTERN.
mean_usage() {
  { rcli --scan --pattern "$1" || true; } | head -n "$SAMPLE" | while read -r key; do rcli MEMORY USAGE "$key" SAMPLES 0; done |
    awk '{ s += $1; n++ } END { if (n) printf "%.0f (%d keys)", s / n, n; else print "none" }'
}

PORT=$(free_port)
$BIN/examples/floor "127.0.0.1:$PORT" "$REDIS_URL" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
PIDS+=("$FLOOR_PID")
bench floor "$FLOOR_PID" "$PORT"
stop "$FLOOR_PID"
rcli FLUSHALL >/dev/null

PORT=$(free_port)
$BIN/salama serve --config salama.toml --bind "127.0.0.1:$PORT" --redis "$REDIS_URL" >"$WORK/salama-redis.log" 2>&1 &
SALAMA_PID=$!
PIDS+=("$SALAMA_PID")
bench salama-redis "$SALAMA_PID" "$PORT"
$LOAD "http://127.0.0.1:$PORT/v1/ussd/africastalking?token=$TOKEN" --path note --sessions 25 --connections 4 \
  --prefix note- --first-number 9990000 --check >/dev/null
SESSION=$(mean_usage 'salama:{u:*}:ussd:africastalking:salama-redis-*')
NOTE=$(mean_usage 'salama:{u:*}:ussd:africastalking:note-*')
LOCALE=$(mean_usage 'salama:{u:*}:locale')
stop "$SALAMA_PID"

PORT=$(free_port)
SALAMA__REDIS__URL= $BIN/salama serve --config salama.toml --bind "127.0.0.1:$PORT" >"$WORK/salama-embedded.log" 2>&1 &
SALAMA_PID=$!
PIDS+=("$SALAMA_PID")
bench salama-embedded "$SALAMA_PID" "$PORT"
stop "$SALAMA_PID"

echo
echo "USSD load: $DURATION s per server, $CONNECTIONS connections, $THREADS load threads, $(nproc) cores; load average before: $LOAD_BEFORE"
printf '%-16s %9s %8s %8s %9s %12s %12s %14s\n' server hops/s p50_ms p99_ms x_floor p99/floor cpu_us/hop redis_us/hop
for i in "${!NAMES[@]}"; do
  printf '%-16s %9s %8s %8s %9s %12s %12s %14s\n' "${NAMES[$i]}" "${RATES[$i]}" "${P50S[$i]}" "${P99S[$i]}" \
    "$(awk -v a="${RATES[$i]}" -v b="${RATES[0]}" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="${P99S[$i]}" -v b="${P99S[0]}" 'BEGIN { printf "%.2f", a / b }')" "${CPUS[$i]}" "${REDIS_CPUS[$i]}"
done
echo
echo "Redis bytes (MEMORY USAGE) per live session: $SESSION; with a free-text note: $NOTE;"
echo "per remembered language: $LOCALE"
