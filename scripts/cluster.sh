#!/usr/bin/env bash
# A local group in one command: N nodes on this machine, each with its own ports, data directory and
# peers file listing all the others. Node 1 founds the group; every other node joins with an invite node 1
# makes for it (a node that already joined, on a later start, just starts).
#   scripts/cluster.sh start N   build if needed, start N nodes (web 8001.., peers 5001..), wait until ready
#   scripts/cluster.sh stop      stop the nodes this script started (SIGTERM, then kill -9 after 30 s)
#   scripts/cluster.sh status    list them with their URLs
# Everything lives under the repository's ./cluster (logs: cluster/node-I/node.log), or under CLUSTER_DIR if
# set (a relative CLUSTER_DIR is taken from where you run the script). WEB_BASE and TCP_BASE move the ports.
set -euo pipefail
ROOT=""
if [ -n "${CLUSTER_DIR:-}" ]; then
  case "$CLUSTER_DIR" in /*) ROOT="$CLUSTER_DIR" ;; *) ROOT="$PWD/$CLUSTER_DIR" ;; esac
fi
cd "$(dirname "$0")/.."
ROOT="${ROOT:-$PWD/cluster}"
JAR="$PWD/target/chat-node.jar"
WEB_BASE="${WEB_BASE:-8001}"
TCP_BASE="${TCP_BASE:-5001}"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

start() {
  local n="$1"
  [[ "$n" =~ ^[0-9]+$ ]] && (( n >= 1 && n <= 20 )) || { echo "N must be a whole number from 1 to 20, not '$n'" >&2; exit 2; }
  if [ -f "$ROOT/pids" ] && [ -s "$ROOT/pids" ]; then
    echo "a cluster is already running (scripts/cluster.sh stop first)" >&2; exit 1
  fi
  command -v curl >/dev/null || { echo "cluster.sh needs curl to see when the nodes are ready" >&2; exit 1; }
  [ -f "$JAR" ] || mvn -q package -DskipTests
  mkdir -p "$ROOT"
  : > "$ROOT/pids"
  # status and a later stop report the ports this start used, whatever WEB_BASE and TCP_BASE say then.
  echo "$WEB_BASE $TCP_BASE" > "$ROOT/ports"
  for i in $(seq 1 "$n"); do
    local dir="$ROOT/node-$i" peers=""
    mkdir -p "$dir"
    for j in $(seq 1 "$n"); do
      [ "$j" = "$i" ] && continue
      peers="${peers:+$peers,}{\"ip\":\"127.0.0.1\",\"port\":$((TCP_BASE + j - 1))}"
    done
    echo "{\"peers\":[${peers}]}" > "$dir/peers.json"
  done
  echo "starting node 1, which founds the group (first boot takes about a minute)..."
  launch 1 ""
  await_ready 1
  for i in $(seq 2 "$n"); do
    local invite=""
    if [ ! -f "$ROOT/node-$i/data/group.mv.db" ]; then
      invite=$(curl -fs -X POST -H 'Content-Type: application/json' "http://localhost:$WEB_BASE/api/invites" \
        | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
      [ -n "$invite" ] || { echo "node 1 made no invite for node $i: see $ROOT/node-1/node.log" >&2; exit 1; }
    fi
    launch "$i" "$invite"
  done
  echo "started $n node(s); waiting until every one is ready..."
  for i in $(seq 2 "$n"); do await_ready "$i"; done
}

# launch I INVITE: starts node I in the background (with INVITE when it has not joined yet).
launch() {
  local i="$1" invite="$2"
  (
    cd "$ROOT/node-$i" || exit 1
    if [ -n "$invite" ]; then export INVITE="$invite"; fi
    CLIENT_NAME="Node $i" WEB_PORT=$((WEB_BASE + i - 1)) TCP_SERVER_PORT=$((TCP_BASE + i - 1)) \
      DATA_DIR=data PEERS_FILE=peers.json nohup java -jar "$JAR" > node.log 2>&1 &
    echo $! >> "$ROOT/pids"
  )
}

await_ready() {
  local i="$1" url="http://localhost:$((WEB_BASE + $1 - 1))"
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "$url/api/node"; then echo "  node $i ready: $url  (log $ROOT/node-$i/node.log)"; return; fi
    if ! kill -0 "$(sed -n "${i}p" "$ROOT/pids")" 2>/dev/null; then
      echo "  node $i exited; its log ends with:" >&2; tail -5 "$ROOT/node-$i/node.log" >&2; exit 1
    fi
    sleep 1
  done
  echo "  node $i not ready after 240 s: see $ROOT/node-$i/node.log" >&2; exit 1
}

stop() {
  [ -f "$ROOT/pids" ] || { echo "no cluster is running"; return; }
  while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$ROOT/pids"
  for _ in $(seq 1 30); do
    alive=0
    while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$ROOT/pids"
    [ "$alive" = 0 ] && break
    sleep 1
  done
  while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$ROOT/pids"
  rm -f "$ROOT/pids"
  echo "stopped (data kept under $ROOT/)"
}

status() {
  [ -f "$ROOT/pids" ] || { echo "no cluster is running"; return; }
  [ -f "$ROOT/ports" ] && read -r WEB_BASE TCP_BASE < "$ROOT/ports"
  i=0
  while read -r pid; do
    i=$((i + 1))
    state=$(kill -0 "$pid" 2>/dev/null && echo running || echo stopped)
    echo "node $i (pid $pid, $state): http://localhost:$((WEB_BASE + i - 1))/  peer port $((TCP_BASE + i - 1))"
  done < "$ROOT/pids"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || usage; start "$2" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
