#!/usr/bin/env bash
# NFQUEUE end to end on the kernel backend: udpflood (../shared/bench/udpflood.c) sends from a client namespace to
# the seed's VIP through a load balancer namespace served by `slb run --backend kernel`; prints what was sent and
# how many packets the NFQUEUE workers decided per second (the daemon's slb_nfqueue_verdicts).
#
#   sudo bench/nfqueue-e2e.sh [SECONDS] [QUEUES]        (default: 10 s, 1 queue)
#
# It creates the namespaces slb-bench-lb and slb-bench-cl and deletes them when it ends.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "nfqueue-e2e: needs root (it creates network namespaces)" >&2; exit 2; }
DURATION=${1:-10}
QUEUES=${2:-1}
cd "$(dirname "$0")/.."
ROOT=$PWD
FLOOD_SOURCE=$ROOT/../shared/bench/udpflood.c
[ -f "$FLOOD_SOURCE" ] || { echo "nfqueue-e2e: $FLOOD_SOURCE not found" >&2; exit 2; }
[ -f cli/target/slb.jar ] || mvn -q -B -ntp -DskipTests package
WORK=$(mktemp -d)
LB=slb-bench-lb
CL=slb-bench-cl
DAEMON=
cleanup() {
  [ -n "$DAEMON" ] && kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true
  ip netns del $LB 2>/dev/null || true
  ip netns del $CL 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cc -O2 -o "$WORK/udpflood" "$FLOOD_SOURCE"

# The seed's machine, and a client routing the VIPs through it.
ip netns add $LB
ip netns add $CL
for command in "link add conduit-a--d7c4 type veth peer name t0" "link add conduit-a--f75b type veth peer name t1" \
    "addr add 172.16.0.4/24 dev conduit-a--d7c4" "addr add 172.16.1.4/24 dev conduit-a--f75b" \
    "link set conduit-a--d7c4 up" "link set conduit-a--f75b up" "link set t0 up" "link set t1 up" \
    "link add c0 type veth peer name c1" "addr add 10.9.0.1/24 dev c0" "link set c0 up" "link set c1 netns $CL"; do
  ip -n $LB $command
done
ip netns exec $LB sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip -n $CL addr add 10.9.0.2/24 dev c1
ip -n $CL link set c1 up
ip -n $CL route add 20.0.0.0/24 via 10.9.0.1

# The seed's configuration, its flow taking UDP too.
sed 's/protocols: \[tcp\]/protocols: [tcp, udp]/' examples/seed-scenario.yaml > "$WORK/trench.yaml"
java -jar cli/target/slb.jar run --backend kernel --netns $LB --queues "$QUEUES" --data-dir "$WORK/data" \
  --config "$WORK/trench.yaml" --listen 127.0.0.1:0 > "$WORK/daemon.out" 2>&1 &
DAEMON=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/daemon.out" && break; sleep 0.1; done
SERVER=$(grep -o 'http://[0-9.:]*' "$WORK/daemon.out" | head -1)
PORT=${SERVER##*:}
slb() { java -jar cli/target/slb.jar "$@" --server "$SERVER" > /dev/null; }
slb register --stream stream-a-i --id 1 172.16.0.2 --wait
slb register --stream stream-a-i --id 2 172.16.0.3 --wait
slb register --stream stream-a-i --id 3 172.16.1.2 --wait
slb register --stream stream-a-i --id 4 172.16.1.3 --wait

verdicts() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  grep -a '^slb_nfqueue_verdicts ' <&3 | awk '{printf "%d", $2}'
  exec 3>&-
}
BEFORE=$(verdicts)
SENT=$(ip netns exec $CL "$WORK/udpflood" 20.0.0.1 4000 "$DURATION" | awk '{print $2}')
AFTER=$(verdicts)
DECIDED=$((AFTER - BEFORE))
echo "nfqueue-e2e: $QUEUES queue(s), $DURATION s: sent $SENT datagrams ($((SENT / DURATION))/s);" \
  "decided $DECIDED ($((DECIDED / DURATION)) packets/s)"
WARNINGS=$(grep -c WARN "$WORK/daemon.out" || true)
[ "$WARNINGS" = 0 ] || { echo "nfqueue-e2e: the daemon warned $WARNINGS time(s), first ones:"; grep WARN "$WORK/daemon.out" | head -3; }
