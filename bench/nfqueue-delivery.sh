#!/usr/bin/env bash
# End to end through the NFQUEUE fast path, against the kernel forwarding the same packets without a queue, and
# optionally against nfqlb (Nordix/nfqueue-loadbalancer) on the same kind of path.
#
# A client namespace floods 64-byte UDP datagrams (../shared/bench/udpflood.c) at a load balancer namespace, which
# sends them on to two target namespaces; what is counted is what the targets *receive* (the RX packets of their
# interfaces on the path measured), over each flood's measured duration. The destinations:
#   - forwarding: an address the LB routes to a target with a plain route (no queue, no daemon involved);
#   - slb: the seed's VIP, queued to `slb run --backend kernel` and balanced over the targets by fwmark;
#   - nfqlb (only when NFQLB is set): the VIP 20.0.2.1, through its own LB namespace (slbdel<pid>-lbn, with its own
#     veths to the client and to both targets, counted apart: nothing is shared with the slb daemon's tables, rules
#     and interfaces). A prerouting rule sends UDP to the VIP to queue 0 (0..QUEUES-1): nft's queue expression, or
#     iptables(-nft)'s NFQUEUE target where the kernel lacks nft_queue. `nfqlb flowlb` (one flow: udp, the VIP, port
#     4000) sets fwmark 1 or 2, and ip rules route each fwmark through its own table to its target. Its shared
#     memory is initialised with the slb stream's Maglev sizes (N=100, M=9973); other options are nfqlb's defaults.
# The runs alternate (forwarding, slb[, nfqlb], forwarding, ...) after a warm-up; the table gives each run, the
# medians, the ratios, and CPU time per delivered packet (from /proc, user and system):
#   - daemon: the whole balancer process, all its threads (forwarding and slb rows: the slb daemon; nfqlb rows:
#     the nfqlb flowlb process);
#   - pkt thread: the packet path alone, user + system. For slb, the daemon's thread(s) whose comm is nfqueue-N (one
#     per queue: nfqueue-0 with one queue), from /proc/<pid>/task/<tid>/stat. For nfqlb, the process totals of
#     flowlb (/proc/<pid>/stat, all threads): its packet loop runs on the main thread (plus one thread per extra
#     queue); its other threads (flow configuration, trace server) sleep during the flood.
#
#   sudo bench/nfqueue-delivery.sh [RUNS] [SECONDS] [QUEUES]      (default: 5 runs of 5 s, 1 queue)
#   sudo NFQLB=/path/to/nfqlb bench/nfqueue-delivery.sh [RUNS] [SECONDS] [QUEUES]
#
# nfqlb is not part of this repository; build it outside, from https://github.com/Nordix/nfqueue-loadbalancer:
#   apt-get install -y libnetfilter-queue-dev libmnl-dev libnfnetlink-dev
#   make -C <checkout>/src -j2 O=<out> CFLAGS=-O2 VERSION=<commit>   # VERSION: the Makefile asks git describe
#   NFQLB=<out>/nfqlb/nfqlb      # at run time it also needs nft, or iptables where the kernel lacks nft_queue
#
# Namespaces are named slbdel<pid>-{cl,lb,t1,t2[,lbn]}, so two runs never collide; they are removed at the end, and
# so are nfqlb's shared memory files /dev/shm/slbdel<pid>-*.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "nfqueue-delivery: needs root (it creates network namespaces)" >&2; exit 2; }
RUNS=${1:-5}
SECONDS_PER_RUN=${2:-5}
QUEUES=${3:-1}
NFQLB=${NFQLB:-}
if [ -n "$NFQLB" ]; then
  NFQLB_BIN=$(command -v "$NFQLB" || true)
  [ -n "$NFQLB_BIN" ] && [ -x "$NFQLB_BIN" ] \
    || { echo "nfqueue-delivery: NFQLB=$NFQLB is not an executable" >&2; exit 2; }
  NFQLB=$(realpath "$NFQLB_BIN")
  command -v nft > /dev/null || command -v iptables > /dev/null \
    || { echo "nfqueue-delivery: the nfqlb path needs nft or iptables (apt-get install nftables)" >&2; exit 2; }
fi
cd "$(dirname "$0")/.."
FLOOD_SOURCE=$PWD/../shared/bench/udpflood.c
[ -f "$FLOOD_SOURCE" ] || { echo "nfqueue-delivery: $FLOOD_SOURCE not found" >&2; exit 2; }
[ -f cli/target/slb.jar ] || { echo "nfqueue-delivery: build first (mvn -B -ntp -DskipTests install)" >&2; exit 2; }
command -v cc > /dev/null || { echo "nfqueue-delivery: needs a C compiler for udpflood (apt-get install gcc)" >&2; exit 2; }
WORK=$(mktemp -d)
P=slbdel$$
CL=$P-cl LB=$P-lb T1=$P-t1 T2=$P-t2 LBN=$P-lbn
NAMESPACES="$CL $LB $T1 $T2"
[ -z "$NFQLB" ] || NAMESPACES="$NAMESPACES $LBN"
DAEMON= NFQLB_PID=
NFQLB_TRACE_SHM_WAS_THERE=$([ -e /dev/shm/nfqlb-trace ] && echo yes || echo no)
cleanup() {
  if [ -n "$DAEMON" ]; then kill -TERM "$DAEMON" 2>/dev/null && wait "$DAEMON" 2>/dev/null || true; fi
  if [ -n "$NFQLB_PID" ]; then kill -TERM "$NFQLB_PID" 2>/dev/null && wait "$NFQLB_PID" 2>/dev/null || true; fi
  for ns in $NAMESPACES; do ip netns del "$ns" 2>/dev/null || true; done
  rm -f /dev/shm/"$P"-*
  # flowlb creates its log configuration under a fixed name; remove it only if this run created it.
  if [ -n "$NFQLB" ] && [ $NFQLB_TRACE_SHM_WAS_THERE = no ]; then rm -f /dev/shm/nfqlb-trace; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cc -O2 -o "$WORK/udpflood" "$FLOOD_SOURCE"

for ns in $NAMESPACES; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
# wire LB NET CLIENT_IF LB_IF T1_IF T2_IF TARGET_IF SUBNET1 SUBNET2 VIP: the client reaches VIP (a /16 or /32) through
# load balancer LB over 10.9.NET.0/24 (CLIENT_IF -- LB_IF); LB reaches target 1 over SUBNET1.0/24 (T1_IF -- TARGET_IF
# in T1, the target .2, LB .4) and target 2 over SUBNET2.0/24 likewise.
wire() {
  local lb=$1 net=$2 client_if=$3 lb_if=$4 t1_if=$5 t2_if=$6 target_if=$7 subnet1=$8 subnet2=$9 vip=${10}
  ip -n "$lb" link add "$lb_if" type veth peer name "$client_if" netns $CL
  ip -n "$lb" link add "$t1_if" type veth peer name "$target_if" netns $T1
  ip -n "$lb" link add "$t2_if" type veth peer name "$target_if" netns $T2
  ip -n "$lb" addr add "10.9.$net.1/24" dev "$lb_if"
  ip -n "$lb" addr add "$subnet1.4/24" dev "$t1_if"
  ip -n "$lb" addr add "$subnet2.4/24" dev "$t2_if"
  for link in "$lb_if" "$t1_if" "$t2_if"; do ip -n "$lb" link set "$link" up; done
  ip netns exec "$lb" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
  ip -n $CL addr add "10.9.$net.2/24" dev "$client_if"
  ip -n $CL link set "$client_if" up
  ip -n $CL route add "$vip" via "10.9.$net.1"
  ip -n $T1 addr add "$subnet1.2/24" dev "$target_if"
  ip -n $T2 addr add "$subnet2.2/24" dev "$target_if"
  for ns in $T1 $T2; do ip -n "$ns" link set "$target_if" up; done
}
# The slb daemon's load balancer: the seed's conduit interfaces towards the targets (172.16.0.2, 172.16.1.2).
wire $LB 0 c1 c0 conduit-a--d7c4 conduit-a--f75b tgt 172.16.0 172.16.1 20.0.0.0/16
# The forwarding baseline's destination: a plain route, no queue.
ip -n $LB route add 20.0.1.1/32 via 172.16.0.2

if [ -n "$NFQLB" ]; then
  # nfqlb's own load balancer, beside the daemon's: its VIP 20.0.2.1, targets 172.16.10.2 and 172.16.11.2.
  wire $LBN 1 n1 n0 tn1 tn2 tgn 172.16.10 172.16.11 20.0.2.1/32
  # nfqlb returns the target's fwmark as the verdict's mark; each fwmark has its routing table towards its target.
  ip -n $LBN rule add fwmark 1 table 1
  ip -n $LBN route add default via 172.16.10.2 table 1
  ip -n $LBN rule add fwmark 2 table 2
  ip -n $LBN route add default via 172.16.11.2 table 2
  # UDP to the VIP goes to the queue(s): nft's own queue expression, or, on kernels without nft_queue, the xtables
  # NFQUEUE target through iptables-nft (nft_compat), as slb itself falls back to.
  QUEUE_RANGE=0; [ "$QUEUES" -le 1 ] || QUEUE_RANGE="0-$((QUEUES - 1))"
  if ! ip netns exec $LBN nft -f - 2> "$WORK/nft.out" << EOF
table ip nfqlb {
  chain prerouting {
    type filter hook prerouting priority mangle; policy accept;
    ip daddr 20.0.2.1 udp dport 4000 queue num $QUEUE_RANGE
  }
}
EOF
  then
    IPTABLES=$(command -v iptables-nft || command -v iptables || true)
    QUEUE_XT="--queue-num 0"; [ "$QUEUES" -le 1 ] || QUEUE_XT="--queue-balance 0:$((QUEUES - 1))"
    [ -n "$IPTABLES" ] && ip netns exec $LBN "$IPTABLES" -t mangle -A PREROUTING -d 20.0.2.1/32 -p udp --dport 4000 \
      -j NFQUEUE $QUEUE_XT 2>> "$WORK/nft.out" \
      || { echo "nfqueue-delivery: cannot queue the nfqlb VIP (nft queue, nor iptables NFQUEUE):" >&2
           cat "$WORK/nft.out" >&2; exit 1; }
  fi
  # Shared memory is not per namespace: the names carry the run's prefix.
  "$NFQLB" init --shm=$P-nfqlb --N=100 --M=9973 > "$WORK/nfqlb-init.out" 2>&1 \
    || { echo "nfqueue-delivery: nfqlb init failed:" >&2; cat "$WORK/nfqlb-init.out" >&2; exit 1; }
  "$NFQLB" activate --shm=$P-nfqlb 1 2 > /dev/null
  NFQLB_QUEUES=0; [ "$QUEUES" -le 1 ] || NFQLB_QUEUES="0:$((QUEUES - 1))"
  # `ip netns exec` execs nfqlb, so $! is nfqlb's own pid. Its flow socket (abstract AF_UNIX) is per namespace.
  ip netns exec $LBN "$NFQLB" flowlb --queue=$NFQLB_QUEUES --ft_shm=$P-nfqlb-ft > "$WORK/nfqlb.out" 2>&1 &
  NFQLB_PID=$!
  for _ in $(seq 1 50); do
    ip netns exec $LBN "$NFQLB" flow-set --name=bench --target=$P-nfqlb --protocols=udp --dsts=20.0.2.1/32 \
      --dports=4000 > "$WORK/nfqlb-flow.out" 2>&1 && break
    kill -0 "$NFQLB_PID" 2>/dev/null || break
    sleep 0.1
  done
  ip netns exec $LBN "$NFQLB" flow-list 2>/dev/null | grep -q '"bench"' \
    || { echo "nfqueue-delivery: nfqlb flowlb did not start or take the flow:" >&2
         cat "$WORK/nfqlb.out" "$WORK/nfqlb-flow.out" >&2; exit 1; }
fi

sed 's/protocols: \[tcp\]/protocols: [tcp, udp]/' examples/seed-scenario.yaml > "$WORK/trench.yaml"
# Over several queues the daemon's rule spreads by the receiving CPU (--queue-fanout), and the flood comes from one
# sender per CPU (taskset), as a NIC's receive-side scaling would spread it: one client's traffic then reaches every
# queue, where the default spread (a hash of the addresses) puts one client on one queue.
FANOUT=; [ "$QUEUES" -le 1 ] || FANOUT=--queue-fanout
java -jar cli/target/slb.jar run --backend kernel --netns $LB --queues "0:$((QUEUES - 1))" $FANOUT --data-dir "$WORK/data" \
  --config "$WORK/trench.yaml" --listen 127.0.0.1:0 > "$WORK/daemon.out" 2>&1 &
DAEMON=$!
for _ in $(seq 1 200); do grep -q "listening on" "$WORK/daemon.out" && break; sleep 0.1; done
SERVER=$(grep -o 'http://[0-9.:]*' "$WORK/daemon.out" | head -1)
[ -n "$SERVER" ] || { echo "nfqueue-delivery: the daemon did not start:" >&2; cat "$WORK/daemon.out" >&2; exit 1; }
slb() { java -jar cli/target/slb.jar "$@" --server "$SERVER" > /dev/null; }
slb register --stream stream-a-i --id 1 172.16.0.2 --wait
slb register --stream stream-a-i --id 2 172.16.1.2 --wait

received() { # received INTERFACE: packets the two targets' INTERFACE received, "target1 target2"
  local n out=
  for ns in $T1 $T2; do
    n=$(ip netns exec "$ns" cat "/sys/class/net/$1/statistics/rx_packets")
    out="$out $n"
  done
  echo $out
}
calc() { awk "BEGIN { print $* }"; }
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; } # ticks PID: "user system" of the process, all its threads
queue_thread_ticks() { # queue_thread_ticks PID: "user system" summed over its threads named nfqueue-N
  local task user=0 system=0 u s
  for task in /proc/"$1"/task/*; do
    grep -qx 'nfqueue-[0-9]*' "$task/comm" 2>/dev/null || continue
    read -r u s <<< "$(awk '{print $14, $15}' "$task/stat")"
    user=$((user + u)) system=$((system + s))
  done
  echo $user $system
}
packet_thread_ticks() { # packet_thread_ticks PATH PID: nfqlb's process totals, or the slb daemon's nfqueue-N threads
  if [ "$1" = nfqlb ]; then ticks "$2"; else queue_thread_ticks "$2"; fi
}
TICKS=$(getconf CLK_TCK)

# flood DESTINATION SECONDS: sends, from one process per queue (each pinned to its own CPU); prints what was sent
flood() {
  local cpu out=$WORK/flood pids=
  for cpu in $(seq 0 $((QUEUES - 1))); do
    ip netns exec $CL taskset -c $((cpu % $(nproc))) "$WORK/udpflood" "$1" 4000 "$2" > "$out.$cpu" &
    pids="$pids $!"
  done
  wait $pids # the senders only: the daemon runs in the background too
  cat "$out".* | awk '{sum += $2} END {print sum}'
  rm -f "$out".*
}
queued_per_queue() { # the packets each of the slb daemon's queues has taken since the start (the kernel's ids)
  ip netns exec $LB awk '{printf "%s queue %s: %d", sep, $1, $8; sep = ","}' /proc/net/netfilter/nfnetlink_queue
}

# run PATH SECONDS: prints "sent delivered seconds daemon-user-s daemon-system-s thread-user-s thread-system-s"
run() {
  local dst iface pid t1a t2a t1b t2b began ended sent u0 s0 u1 s1 tu0 ts0 tu1 ts1
  case $1 in
    forwarding) dst=20.0.1.1 iface=tgt pid=$DAEMON ;;
    slb) dst=20.0.0.1 iface=tgt pid=$DAEMON ;;
    nfqlb) dst=20.0.2.1 iface=tgn pid=$NFQLB_PID ;;
  esac
  read -r t1a t2a <<< "$(received $iface)"; read -r u0 s0 <<< "$(ticks "$pid")"
  read -r tu0 ts0 <<< "$(packet_thread_ticks "$1" "$pid")"; began=$(date +%s.%N)
  sent=$(flood $dst "$2")
  ended=$(date +%s.%N)
  sleep 0.2 # what is still in flight arrives
  read -r t1b t2b <<< "$(received $iface)"; read -r u1 s1 <<< "$(ticks "$pid")"
  read -r tu1 ts1 <<< "$(packet_thread_ticks "$1" "$pid")"
  if [ "$1" != forwarding ] && { [ $((t1b - t1a)) = 0 ] || [ $((t2b - t2a)) = 0 ]; }; then
    echo "nfqueue-delivery: $1 did not balance: target 1 got $((t1b - t1a)), target 2 $((t2b - t2a))" >&2
  fi
  echo "$sent $((t1b - t1a + t2b - t2a)) $(calc "$ended - $began") $(calc "($u1 - $u0) / $TICKS")" \
    "$(calc "($s1 - $s0) / $TICKS") $(calc "($tu1 - $tu0) / $TICKS") $(calc "($ts1 - $ts0) / $TICKS")"
}

PATHS="forwarding slb"
[ -z "$NFQLB" ] || PATHS="$PATHS nfqlb"
for path in $PATHS; do run $path 2 > /dev/null; done # warm-up: every path, the JIT compiles the packet path
printf '%-4s %-11s %12s %12s %8s %18s %18s %24s\n' run path sent/s delivered/s share "daemon user/pkt" \
  "daemon system/pkt" "pkt thread user+sys/pkt"
FWD=() SLB=() NQL=()
for i in $(seq 1 "$RUNS"); do
  for path in $PATHS; do
    read -r sent got secs user system tuser tsystem <<< "$(run $path "$SECONDS_PER_RUN")"
    rate=$(calc "$got / $secs")
    # CPU per delivered packet: user space is the packet path; system is mostly the kernel's queue work.
    printf '%-4s %-11s %12.0f %12.0f %7.1f%% %15.2f µs %15.2f µs %9.2f + %.2f µs\n' "$i" $path \
      "$(calc "$sent / $secs")" "$rate" "$(calc "100 * $got / $sent")" "$(calc "$user * 1000000 / $got")" \
      "$(calc "$system * 1000000 / $got")" "$(calc "$tuser * 1000000 / $got")" "$(calc "$tsystem * 1000000 / $got")"
    case $path in forwarding) FWD+=("$rate") ;; slb) SLB+=("$rate") ;; nfqlb) NQL+=("$rate") ;; esac
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
MF=$(median "${FWD[@]}") MS=$(median "${SLB[@]}")
if [ -z "$NFQLB" ]; then
  printf '\nmedian delivered/s: forwarding %.0f, slb %.0f (%d queue(s)); slb / forwarding = %.2f\n' "$MF" "$MS" \
    "$QUEUES" "$(calc "$MS / $MF")"
else
  MN=$(median "${NQL[@]}")
  printf '\nmedian delivered/s: forwarding %.0f, slb %.0f, nfqlb %.0f (%d queue(s)); slb / forwarding = %.2f,' \
    "$MF" "$MS" "$MN" "$QUEUES" "$(calc "$MS / $MF")"
  printf ' slb / nfqlb = %.2f, nfqlb / forwarding = %.2f\n' "$(calc "$MS / $MN")" "$(calc "$MN / $MF")"
fi
metrics() { # the daemon's metrics lines that start with $1
  exec 3<>"/dev/tcp/127.0.0.1/${SERVER##*:}"
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "${SERVER##*:}" >&3
  grep -a "^$1" <&3 || true
  exec 3>&-
}
metric() { metrics "$1 " | awk '{printf "%d", $2}'; } # one metric's value
DROPS=$(metrics slb_nfqueue_dropped_total)
echo "queue drops as the kernel counts them: ${DROPS:-none reported}"
echo "packets each slb queue took (kernel's ids, warm-up included):$(queued_per_queue)"
if [ -n "$NFQLB" ]; then # /proc/net/netfilter/nfnetlink_queue: queue portid waiting mode range dropped user-dropped ..
  ip netns exec $LBN awk '{ printf "nfqlb queue %s drops as the kernel counts them: full %s, unread %s\n", $1, $6,
    $7 }' /proc/net/netfilter/nfnetlink_queue
fi

# TCP bulk (with iperf3 installed; TCP=0 skips it): 8 streams for SECONDS, to target 1 through the LB, either forwarded
# to its own address (no queue) or to the VIP through the queue, alternated RUNS times. Target 2 leaves the stream so
# that every stream of a test lands where its control connection does. The queue takes TCP super-packets whole
# (NFQA_CFG_F_GSO): one verdict for what would be dozens of segments.
if [ "${TCP:-1}" != 0 ] && command -v iperf3 > /dev/null; then
  ip -n $T1 addr add 20.0.0.1/32 dev lo
  ip -n $T1 route add default via 172.16.0.4
  ip -n $CL route add 172.16.0.0/24 via 10.9.0.1
  slb unregister --stream stream-a-i --id 2 --wait
  ip netns exec $T1 iperf3 -s -p 4000 -D --pidfile "$WORK/iperf3.pid"
  sleep 0.5
  bulk() { # bulk DESTINATION: the receiver's Gbit/s
    ip netns exec $CL iperf3 -c "$1" -p 4000 -P 8 -t "$SECONDS_PER_RUN" -f g \
      | awk '/\[SUM\].*receiver/ {print $6}'
  }
  bulk 172.16.0.2 > /dev/null; bulk 20.0.0.1 > /dev/null # warm-up
  DIRECT=() QUEUED=()
  printf '\n%-4s %24s %24s %26s\n' run "forwarded Gbit/s" "through slb Gbit/s" "bytes per queued packet"
  for i in $(seq 1 "$RUNS"); do
    d=$(bulk 172.16.0.2)
    v0=$(metric slb_nfqueue_verdicts_total) q=$(bulk 20.0.0.1) v1=$(metric slb_nfqueue_verdicts_total)
    # Gbit/s over the run against the verdicts the queue gave: super-packets show as tens of kilobytes each.
    printf '%-4s %24s %24s %26.0f\n' "$i" "$d" "$q" "$(calc "$q * 1e9 / 8 * $SECONDS_PER_RUN / ($v1 - $v0)")"
    DIRECT+=("$d") QUEUED+=("$q")
  done
  MD=$(median "${DIRECT[@]}") MQ=$(median "${QUEUED[@]}")
  printf 'median TCP bulk, 8 streams: forwarded %.2f Gbit/s, through slb %.2f Gbit/s; slb / forwarded = %.2f\n' \
    "$MD" "$MQ" "$(calc "$MQ / $MD")"
  kill "$(cat "$WORK/iperf3.pid")" 2>/dev/null || true
elif [ "${TCP:-1}" != 0 ]; then
  echo "TCP bulk skipped: iperf3 is not installed (apt-get install iperf3)"
fi
