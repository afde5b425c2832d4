# shellcheck shell=bash disable=SC2154,SC2034  # $service is set by the script that sources this file; action and dir are set for it
# Shared by postgres.sh and ceph.sh (sourced, not run): one-line errors, a free port, and stopping a daemon by its pid.
# The servers started here are throwaway test servers on 127.0.0.1; nothing here touches a system-wide service.

# The daemons started here inherit every open file descriptor of this script. A caller that waits for EOF on one of
# them would then wait for the daemon instead of for the script: swift-corelibs-foundation's Process (the tests'
# runTool) learns that its child exited from a socket the child inherits, so `postgres.sh restart` run from a test hung
# until the restarted server stopped. So every inherited descriptor above 2 is closed first (255 is bash's own handle
# on this script).
for fd_path in "/proc/$$/fd/"*; do
  fd=${fd_path##*/}
  if [ "$fd" -gt 2 ] && [ "$fd" != 255 ]; then
    eval "exec $fd>&-" 2>/dev/null || true
  fi
done
unset fd_path fd

# die MESSAGE: the one-line error of a service script, then exit 1.
die() {
  echo "amana: error: services: $service: $*" >&2
  exit 1
}

# note MESSAGE: progress on stderr, so that stdout carries only the `export` lines a caller evaluates.
note() {
  echo "amana: services: $service: $*" >&2
}

# log_tail FILE...: the end of each log, printed when a start fails, so that the reason is on screen.
log_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "--- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
}

# free_port: a TCP port in 20000-32767 (below Linux's ephemeral range, so no outgoing connection holds it) that no
# socket on this machine uses right now, in any state, per /proc/net/tcp and tcp6. Another process could take it
# before the server binds it, so postgres.sh retries with a new port when the bind fails. Plain bash: on a loaded
# machine starting an interpreter just for this costs seconds.
free_port() {
  local used port i
  used=$(awk 'NR > 1 { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12768))
    grep -qx "$(printf '%04X' "$port")" <<<"$used" || { echo "$port"; return 0; }
  done
  die "no free TCP port found"
}

# random_token N ALPHABET: N characters drawn from /dev/urandom within ALPHABET (a tr set).
random_token() {
  local token
  token=$(LC_ALL=C tr -dc "$2" </dev/urandom 2>/dev/null | head -c "$1") || true
  [ ${#token} = "$1" ] || die "could not read /dev/urandom"
  echo "$token"
}

# alive PID [COMM]: true while PID runs (a zombie counts as gone: in a container PID 1 may never reap a daemon whose
# parent exited) and, when COMM is given, while its command name still starts with COMM, so that a pid reused by an
# unrelated process after a crash is never signalled.
alive() {
  local pid=$1 comm=${2:-} stat name
  [ -r "/proc/$pid/stat" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  # Field 3 (the state) follows the command name, which is in parentheses and may contain spaces.
  [ "$(awk '{print $1}' <<<"${stat##*) }")" != Z ] || return 1
  if [ -n "$comm" ]; then
    name=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ $name == "$comm"* ]] || return 1
  fi
  return 0
}

# stop_pid PID COMM SIGNAL SECONDS: sends SIGNAL to PID (only if it still runs COMM), waits up to SECONDS for it to
# exit, then escalates to SIGKILL and waits again. Prints nothing when the process is already gone.
stop_pid() {
  local pid=$1 comm=$2 signal=$3 seconds=$4 i
  alive "$pid" "$comm" || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for ((i = 0; i < seconds * 20; i++)); do
    alive "$pid" "$comm" || return 0
    sleep 0.05
  done
  note "$comm (pid $pid) still runs after ${seconds}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive "$pid" "$comm" || return 0
    sleep 0.05
  done
  die "$comm (pid $pid) survived SIGKILL"
}

# usage: the script's usage line (its actions, as given to parse_arguments), then exit 2.
usage() {
  echo "usage: $0 ${service_actions:-ACTION} DIR" >&2
  exit 2
}

# parse_arguments ACTIONS "$@": the prologue of every service script. Takes exactly `ACTION DIR`; prints USAGE (the
# actions, e.g. `start|stop|restart`) and exits 2 otherwise. `start` creates DIR; any other action on a DIR that does
# not exist says so and exits 0 (nothing to stop). Sets `action` and `dir` (DIR made absolute), and the
# actions `usage` shows for an unknown one.
parse_arguments() {
  service_actions=$1
  shift
  if [ $# -ne 2 ] || [ -z "$2" ]; then
    usage
  fi
  action=$1
  if [ "$action" = start ]; then
    mkdir -p "$2"
  elif [ ! -d "$2" ]; then
    echo "amana: services: $service: nothing in $2" >&2
    exit 0
  fi
  dir=$(cd "$2" && pwd)
}
