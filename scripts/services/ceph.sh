#!/usr/bin/env bash
# A throwaway single-node Ceph 16.2 cluster (Debian's packages) with radosgw, for the S3 tests:
#   ceph.sh start DIR   one monitor, one OSD and radosgw on 127.0.0.1, everything (conf, keyrings, data, logs, pids,
#                       admin sockets) inside DIR; creates the S3 test user and prints the `export` lines the tests
#                       read (also written to DIR/env)
#   ceph.sh stop DIR    stops every daemon by its pid (SIGTERM, then SIGKILL after a timeout)
#   ceph.sh stop-rgw DIR / start-rgw DIR
#                       stops or restarts radosgw alone, on the same port, for the fault tests
# No systemd, no Docker, no mgr (nothing here needs one: pools are created with fixed PG counts).
# The OSD keeps its data in RAM (memstore) unless AMANA_CEPH_BLUESTORE=1, which puts bluestore on a sparse file in DIR
# for benches that write gigabytes.
set -euo pipefail
service=ceph
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/services/lib.sh
. "$here/lib.sh"

parse_arguments "start|stop|start-rgw|stop-rgw" "$@"
conf=$dir/ceph.conf
run=$dir/run
logs=$dir/log

# Every Ceph command names this cluster's conf, so that /etc/ceph (a real cluster's) is never read.
ceph_cmd() { timeout 60 ceph -c "$conf" "$@"; }

pid_of() {
  [ -r "$run/$1.pid" ] && cat "$run/$1.pid" 2>/dev/null || true
}

# The daemons are stopped in this order: the gateway first, so that it never waits on a vanished OSD.
daemons=("client.rgw.a:radosgw" "osd.0:ceph-osd" "mon.a:ceph-mon")

start_rgw() {
  radosgw -c "$conf" -n client.rgw.a >>"$logs/rgw-start.log" 2>&1 || return 1
  local i port
  port=$(cat "$dir/rgw.port")
  # Ready when the gateway answers HTTP (an anonymous ListBuckets is answered with XML, whatever the status).
  for ((i = 0; i < 600; i++)); do
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
      return 0
    fi
    local pid
    pid=$(pid_of client.rgw.a)
    if [ $i -gt 20 ] && { [ -z "$pid" ] || ! alive "$pid" radosgw; }; then
      return 1
    fi
    sleep 0.05
  done
  return 1
}

failed() {
  log_tail "$logs"/*.log
  stop_all
  die "$*"
}

start() {
  local missing=()
  for tool in ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool uuidgen curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] ||
    die "missing ${missing[*]} (install ceph-mon ceph-osd radosgw ceph-common uuid-runtime curl: make test-deps)"
  local name pid
  for d in "${daemons[@]}"; do
    name=${d%%:*}
    pid=$(pid_of "$name")
    if [ -n "$pid" ] && alive "$pid" "${d##*:}"; then
      die "already running in $dir ($name, pid $pid); stop it first: $0 stop $dir"
    fi
  done
  # An admin socket path is limited to 107 bytes.
  [ ${#run} -le 70 ] || die "folder path too long for the admin sockets ($run); use a shorter one"
  rm -rf "$dir/mon" "$dir/osd" "$run" "$logs" "$dir/env" "$conf" "$dir/monmap" "$dir/rgw.port"
  mkdir -p "$dir/mon/ceph-a" "$dir/osd/ceph-0" "$run" "$logs"

  local started=$SECONDS fsid mon_port rgw_port objectstore
  fsid=$(uuidgen)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  echo "$rgw_port" >"$dir/rgw.port"
  if [ "${AMANA_CEPH_BLUESTORE:-0}" = 1 ]; then
    objectstore=bluestore
  else
    objectstore=memstore
  fi
  # Facts measured on Debian 12's Ceph 16.2 (issue 17):
  # - auth ... = none works only with all six ms_*_mode = crc; otherwise radosgw's default msgr2 "secure" mode waits
  #   for an authenticated session and hangs at startup for 300 s;
  # - paxos propose interval 0.05 and min wait 0.01 cut a start from about 13 s to about 2 s (every map change waits
  #   for a paxos round);
  # - one OSD: pools of size 1 (mon_allow_pool_size_one), few PGs, and CRUSH choosing OSDs, not hosts (chooseleaf 0);
  # - beast's tcp_nodelay=1: without it radosgw sends a response's head and body in two segments under Nagle's
  #   algorithm, and the body waits for the client's delayed ACK, 40 ms on Linux, on many small responses (strace of
  #   an ingest: 40-47 ms gaps before ListObjectVersions, ListMultipartUploads and small GET bodies). 100 files of
  #   100 KB into an organisation store took 18.8 s without it and 5.6 s with it.
  # Also: memstore's capacity is only what it reports (RAM is spent on what is written); at the default 1 GiB the OSD
  # would call itself full after about 950 MB of tests. Bluestore's 32 GiB block file is sparse. The monitor's
  # free-space alarms are lowered so that a nearly full developer disk does not stop it.
  cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
ms cluster mode = crc
ms service mode = crc
ms client mode = crc
ms mon cluster mode = crc
ms mon service mode = crc
ms mon client mode = crc
paxos propose interval = 0.05
paxos min wait = 0.01
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1
mon max pg per osd = 500
run dir = $run
admin socket = $run/\$cluster-\$name.asok
pid file = $run/\$name.pid
log file = $logs/\$cluster-\$name.log
mon cluster log file = $logs/\$cluster.log
crash dir = $dir/crash
keyring = $dir/keyring
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
debug ms = 0
debug mon = 1
debug osd = 1

[osd]
osd objectstore = $objectstore
osd memory target = 1073741824
memstore device bytes = 8589934592
bluestore block path = $dir/osd/\$cluster-\$id.block
bluestore block create = true
bluestore block size = 34359738368
bluestore fsck on mount = false
osd crush update on start = true

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw data = $dir/rgw
rgw enable usage log = false
rgw thread pool size = 64
CONF
  touch "$dir/keyring"

  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >"$logs/monmaptool.log" 2>&1 ||
    failed "monmaptool failed"
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >"$logs/mon-mkfs.log" 2>&1 || failed "ceph-mon --mkfs failed"
  ceph-mon -c "$conf" -i a >"$logs/mon-start.log" 2>&1 || failed "ceph-mon did not start"

  local osd_uuid osd_id
  osd_uuid=$(uuidgen)
  osd_id=$(ceph_cmd osd new "$osd_uuid" 2>>"$logs/ceph-cli.log") || failed "the monitor did not answer (ceph osd new)"
  [ "$osd_id" = 0 ] || failed "unexpected OSD id $osd_id"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$logs/osd-mkfs.log" 2>&1 || failed "ceph-osd --mkfs failed"
  ceph-osd -c "$conf" -i 0 >"$logs/osd-start.log" 2>&1 || failed "ceph-osd did not start"

  start_rgw || failed "radosgw did not answer on 127.0.0.1:$rgw_port"

  local access secret
  access=$(random_token 20 'A-Z0-9')
  secret=$(random_token 40 'a-zA-Z0-9')
  timeout 60 radosgw-admin -c "$conf" user create --uid=amana-test --display-name="Amana tests" \
    --access-key="$access" --secret-key="$secret" >"$logs/user-create.log" 2>&1 ||
    failed "radosgw-admin user create failed"
  note "Ceph $(ceph-osd --version | awk '{print $3}') ($objectstore) radosgw on 127.0.0.1:$rgw_port, started in $((SECONDS - started))s"

  (umask 077 && cat >"$dir/env" <<ENV
export AMANA_TEST_S3_ENDPOINT=http://127.0.0.1:$rgw_port
export AMANA_TEST_S3_REGION=us-east-1
export AMANA_TEST_S3_ACCESS_KEY=$access
export AMANA_TEST_S3_SECRET_KEY=$secret
export AMANA_TEST_CEPH_DIR=$dir
ENV
  )
  cat "$dir/env"
}

stop_all() {
  local d name comm pid stopped=()
  for d in "${daemons[@]}"; do
    name=${d%%:*}
    comm=${d##*:}
    pid=$(pid_of "$name")
    [ -n "$pid" ] || continue
    if alive "$pid" "$comm"; then
      stop_pid "$pid" "$comm" TERM 10
      stopped+=("$name")
    fi
    rm -f "$run/$name.pid"
  done
  note "stopped ${stopped[*]:-nothing (not running in $dir)}"
}

case $action in
  start) start ;;
  stop) stop_all ;;
  stop-rgw)
    pid=$(pid_of client.rgw.a)
    [ -z "$pid" ] || stop_pid "$pid" radosgw TERM 10
    ;;
  start-rgw)
    [ -r "$dir/rgw.port" ] || die "no cluster in $dir"
    start_rgw || { log_tail "$logs/ceph-client.rgw.a.log"; die "radosgw did not answer"; }
    ;;
  *) usage ;;
esac
