#!/usr/bin/env bash
# Instructions a USSD hop costs the gateway's process, counted by valgrind's callgrind: a figure
# that, unlike hops/s (benches/ussd_load.sh), does not move with what else the machine runs, so
# a change to the hot path can be judged on it. Runs the floor (examples/floor.rs) and Salama on
# a private redis-server, each under callgrind, warms each up, then counts while 8 connections
# walk four-hop sessions (the load generator's `advice` path; at most SESSIONS a connection, and
# the load generator's default duration) and prints user-space instructions per hop. Runs agree
# within about 2%.
# Callgrind runs SHA-256 without the CPU's SHA instructions, so Salama's pseudonym counts about
# 6,000 instructions a hop more than it costs natively.
#
#   benches/ussd_instructions.sh            # at most 500 sessions a connection
#   SESSIONS=2000 benches/ussd_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${SESSIONS:-500}
command -v valgrind >/dev/null || {
  echo "ussd_instructions: installing valgrind with apt-get" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends valgrind redis-server >/dev/null
}

echo "building (release)..." >&2
cargo build --release --locked --quiet --bin salama --example floor --example ussd_load
WORK=$(mktemp -d /tmp/ussd-instructions.XXXXXX)
REDIS_PORT=$((20000 + RANDOM % 6000))
PORT=$((REDIS_PORT + 6000))
trap 'redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize yes \
  --logfile "$WORK/redis.log"
export SALAMA__PRIVACY__PSEUDONYM_SECRET=$(openssl rand -hex 32)
export SALAMA__PRIVACY__ENCRYPTION_KEYS="k1:$(openssl rand -hex 32)"
export SALAMA__CHANNELS__AFRICASTALKING__TOKEN=$(openssl rand -hex 16)
export SALAMA__CHANNELS__ENABLED=africastalking
URL="http://127.0.0.1:$PORT/v1/ussd/africastalking?token=$SALAMA__CHANNELS__AFRICASTALKING__TOKEN"

# count NAME COMMAND...: instructions a hop of COMMAND serving $PORT.
count() {
  local name=$1 pid out hops instructions
  shift
  valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.%p" "$@" >"$WORK/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.3; done
  target/release/examples/ussd_load "$URL" --sessions 20 --connections 8 --threads 1 --prefix "warm-$name-" \
    --first-number 4000000 >/dev/null
  callgrind_control -z "$pid" >/dev/null 2>&1
  out=$(target/release/examples/ussd_load "$URL" --sessions "$SESSIONS" --connections 8 --threads 1 \
    --prefix "count-$name-" --first-number 5000000)
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep 1
  kill "$pid" && wait "$pid" 2>/dev/null || true
  hops=$(sed -n 's/.*hops=\([0-9]*\).*/\1/p' <<<"$out")
  # The dump after zeroing: the counted sessions only ("summary:" once a file).
  instructions=$(cat "$WORK/$name".*.1 | awk '/^summary:/ { s += $2 } END { print s }')
  echo "$name: $hops hops, $((instructions / hops)) instructions a hop"
}

count floor target/release/examples/floor "127.0.0.1:$PORT" "redis://127.0.0.1:$REDIS_PORT"
count salama target/release/salama serve --config salama.toml --bind "127.0.0.1:$PORT" \
  --redis "redis://127.0.0.1:$REDIS_PORT"
