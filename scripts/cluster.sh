#!/usr/bin/env bash
# A local group in one command: N nodes on this machine, each with its own ports, data directory and
# peers file listing all the others.
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
    (
      cd "$dir" || exit 1
      CLIENT_NAME="Node $i" WEB_PORT=$((WEB_BASE + i - 1)) TCP_SERVER_PORT=$((TCP_BASE + i - 1)) \
        DATA_DIR=data PEERS_FILE=peers.json nohup java -jar "$JAR" > node.log 2>&1 &
      echo $! >> "$ROOT/pids"
    )
  done
  echo "started $n node(s); waiting until every one is ready (first boot takes about a minute)..."
  for i in $(seq 1 "$n"); do
    local url="http://localhost:$((WEB_BASE + i - 1))"
    for _ in $(seq 1 240); do
      if curl -fs -o /dev/null "$url/api/node"; then echo "  node $i ready: $url  (log $ROOT/node-$i/node.log)"; continue 2; fi
      if ! kill -0 "$(sed -n "${i}p" "$ROOT/pids")" 2>/dev/null; then
        echo "  node $i exited; its log ends with:" >&2; tail -5 "$ROOT/node-$i/node.log" >&2; exit 1
      fi
      sleep 1
    done
    echo "  node $i not ready after 240 s: see $ROOT/node-$i/node.log" >&2; exit 1
  done
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
