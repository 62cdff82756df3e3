#!/usr/bin/env bash
# USSD load benchmark (issue 13). Builds release, starts a private redis-server (no persistence)
# on a free port, then the floor (examples/floor.rs: actix-web parsing the form, one GET and one
# SET per hop), Salama on that Redis and Salama on the embedded store, and drives each with the
# same sessions (examples/ussd_load.rs: a new number and session id per session, four hops:
# language, main menu, a topic, an advice screen). The servers take turns, ROUNDS times (floor,
# Redis, embedded, floor, ...), so that the builds of others on this machine weigh on each alike.
# Prints hops/s, p50, p99 (the median of the rounds), the ratio to the floor, each server's, its
# Redis's and the load generator's CPU microseconds per hop, Redis bytes per live session, and
# (ESCALATION=0 skips it) `cargo bench --bench escalation`'s escalating choice -> page line.
#
#   benches/ussd_load.sh                 # 3 rounds of 5 s per server
#   ROUNDS=3 DURATION=10 CONNECTIONS=64 THREADS=2 benches/ussd_load.sh
#
# The menu inputs are the PATHS table at the top of examples/ussd_load.rs: when the menus change,
# update it there; a first session against each server stops the script if an answer is not the
# CON/END screen expected. Everything listens on and talks to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5} # seconds per server and round
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SAMPLE=${SAMPLE:-200} # session keys whose MEMORY USAGE is averaged
ESCALATION=${ESCALATION:-1}

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
    port=$((20000 + RANDOM % 12000)) # below the ephemeral ports (32768 up) outgoing connections take
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

SERVERS=(floor salama-redis salama-embedded)
declare -A PID PORT HOPS SECS CPU REDIS_CPU LOAD_CPU P50S P99S
# children_ticks: CPU of this shell's waited-for children (the load generator), in clock ticks.
children_ticks() { awk '{print $16 + $17}' /proc/$$/stat; }
url() { echo "http://127.0.0.1:${PORT[$1]}/v1/ussd/africastalking?token=$TOKEN"; }
# start NAME PID PORT: waits for it and walks one checked session.
start() {
  PID[$1]=$2 PORT[$1]=$3 HOPS[$1]=0 SECS[$1]=0 CPU[$1]=0 REDIS_CPU[$1]=0 LOAD_CPU[$1]=0
  PIDS+=("$2")
  wait_port "$3" "$2"
  $LOAD "$(url "$1")" --check --sessions 1 --connections 1 --prefix "check-" --first-number 9999000 >/dev/null
}
# round NAME N: one timed run, with numbers of its own (none has a language remembered); sums
# hops, seconds and CPU ticks, keeps p50 and p99.
round() {
  local name=$1 pid=${PID[$1]} cpu0 redis0 load0 out
  cpu0=$(ticks "$pid") redis0=$(ticks "$REDIS_PID") load0=$(children_ticks)
  out=$($LOAD "$(url "$name")" --duration "$DURATION" --connections "$CONNECTIONS" --threads "$THREADS" \
    --prefix "$name-$2-" --first-number $((($2 - 1) * 1000000)))
  CPU[$name]=$((CPU[$name] + $(ticks "$pid") - cpu0)) REDIS_CPU[$name]=$((REDIS_CPU[$name] + $(ticks "$REDIS_PID") - redis0))
  LOAD_CPU[$name]=$((LOAD_CPU[$name] + $(children_ticks) - load0))
  echo "$name round $2: $out" >&2
  if [ "$(field errors "$out")" != 0 ]; then
    echo "ussd_load: $name answered $(field errors "$out") hops with an error or an unexpected screen" >&2
    exit 1
  fi
  HOPS[$name]=$((HOPS[$name] + $(field hops "$out")))
  SECS[$name]=$(awk -v a="${SECS[$name]}" -v b="$(field secs "$out")" 'BEGIN { print a + b }')
  P50S[$name]+="$(field p50_ms "$out") " P99S[$name]+="$(field p99_ms "$out") "
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
per_hop() { echo $((($1 * 1000000 / HZ) / (HOPS[$2] > 0 ? HOPS[$2] : 1))); } # ticks -> µs a hop
stop() { kill "$1" && wait "$1" 2>/dev/null || true; }

# mean_usage PATTERN: mean MEMORY USAGE of up to $SAMPLE keys matching PATTERN.
mean_usage() {
  { rcli --scan --pattern "$1" || true; } | head -n "$SAMPLE" | while read -r key; do rcli MEMORY USAGE "$key" SAMPLES 0; done |
    awk '{ s += $1; n++ } END { if (n) printf "%.0f (%d keys)", s / n, n; else print "none" }'
}

P=$(free_port)
$BIN/examples/floor "127.0.0.1:$P" "$REDIS_URL" >"$WORK/floor.log" 2>&1 &
start floor $! "$P"
P=$(free_port)
$BIN/salama serve --config salama.toml --bind "127.0.0.1:$P" --redis "$REDIS_URL" >"$WORK/salama-redis.log" 2>&1 &
start salama-redis $! "$P"
P=$(free_port)
SALAMA__REDIS__URL= $BIN/salama serve --config salama.toml --bind "127.0.0.1:$P" >"$WORK/salama-embedded.log" 2>&1 &
start salama-embedded $! "$P"

for n in $(seq "$ROUNDS"); do
  for name in "${SERVERS[@]}"; do round "$name" "$n"; done
done

# A session's key holds a hash of its id, so the sessions with a note are measured alone: after
# the rounds' sessions and languages, Redis is emptied and the note's sessions walked.
SESSION=$(mean_usage 'salama:{u:*}:ussd:*')
LOCALE=$(mean_usage 'salama:{u:*}:locale')
rcli FLUSHALL >/dev/null
$LOAD "$(url salama-redis)" --path note --sessions 25 --connections 4 --prefix ATUid_0note0f3b9e1d --first-number 9990000 \
  --check >/dev/null
NOTE=$(mean_usage 'salama:{u:*}:ussd:*')
for name in "${SERVERS[@]}"; do stop "${PID[$name]}"; done

echo
echo "USSD load: $ROUNDS rounds of $DURATION s per server, $CONNECTIONS connections, $THREADS load threads, $(nproc) cores; load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg)"
printf '%-16s %9s %8s %8s %8s %10s %11s %13s %12s\n' server hops/s p50_ms p99_ms x_floor p99/floor cpu_us/hop redis_us/hop load_us/hop
floor_rate=$(awk -v h="${HOPS[floor]}" -v s="${SECS[floor]}" 'BEGIN { printf "%.0f", h / s }')
floor_p99=$(median "${P99S[floor]}")
for name in "${SERVERS[@]}"; do
  rate=$(awk -v h="${HOPS[$name]}" -v s="${SECS[$name]}" 'BEGIN { printf "%.0f", h / s }')
  p99=$(median "${P99S[$name]}")
  printf '%-16s %9s %8s %8s %8s %10s %11s %13s %12s\n' "$name" "$rate" "$(median "${P50S[$name]}")" "$p99" \
    "$(awk -v a="$rate" -v b="$floor_rate" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$p99" -v b="$floor_p99" 'BEGIN { printf "%.2f", a / b }')" \
    "$(per_hop "${CPU[$name]}" "$name")" "$(per_hop "${REDIS_CPU[$name]}" "$name")" "$(per_hop "${LOAD_CPU[$name]}" "$name")"
done
echo
echo "Redis bytes (MEMORY USAGE) per live session: $SESSION; with a free-text note: $NOTE;"
echo "per remembered language: $LOCALE"
if [ "$ESCALATION" != 0 ]; then
  echo "$(cargo bench --locked --quiet --bench escalation 2>/dev/null | grep 'escalating choice' || echo 'escalation bench: no result')"
fi
