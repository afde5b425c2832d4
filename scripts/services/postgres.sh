#!/usr/bin/env bash
# A throwaway PostgreSQL 15 (Debian's) for the tests: `postgres.sh start DIR` runs initdb into DIR, starts the server
# on 127.0.0.1 on a free port with its unix socket inside DIR, waits until it accepts connections, and prints the
# `export` lines the tests read (also written to DIR/env). `postgres.sh stop DIR` stops it by its pid.
# `postgres.sh restart DIR` stops it and starts it again on the same data, port and password (for the fault tests).
#
# Authentication is scram-sha-256 with a password generated at each start, not trust: with trust any password is
# accepted, so a test could never show that Amana actually sends the one from PGPASSWORD or .pgpass, nor that a wrong
# one is refused; and a secret that the tests know lets them check that it never appears in output. The password is
# exported as PGPASSWORD (org-design: the URL carries no password).
#
# As root (CI), initdb and the server run as the unprivileged system user amana-test (created if missing): initdb
# refuses to run as root. As a normal user they run as that user.
set -euo pipefail
service=postgres
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/services/lib.sh
. "$here/lib.sh"

# Debian's binaries, named explicitly: /usr/local/bin may hold other pg_ctl/initdb builds on a developer machine.
bin=${AMANA_PG_BIN:-/usr/lib/postgresql/15/bin}
user_name=amana
run_user=amana-test

parse_arguments "start|stop|restart" "$@"
data=$dir/data
sock=$dir/run
log=$dir/postgres.log

# as_server CMD...: runs CMD as the user that owns the server (amana-test when we are root, else ourselves).
as_server() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$run_user" --regid="$run_user" --init-groups -- "$@"
  else
    "$@"
  fi
}

server_pid() {
  [ -r "$data/postmaster.pid" ] && head -n 1 "$data/postmaster.pid" 2>/dev/null || true
}

start() {
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] ||
    die "PostgreSQL 15 server not found in $bin (install the Debian package postgresql-15: make test-deps)"
  local pid
  pid=$(server_pid)
  if [ -n "$pid" ] && alive "$pid" postgres; then
    die "already running in $dir (pid $pid); stop it first: $0 stop $dir"
  fi
  # A unix socket path is limited to 107 bytes.
  [ ${#sock} -le 80 ] || die "folder path too long for a unix socket ($sock); use a shorter one"

  rm -rf "$data" "$sock" "$log" "$dir/env" "$dir/port"
  mkdir -p "$sock"
  if [ "$(id -u)" = 0 ]; then
    if ! getent passwd "$run_user" >/dev/null; then
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$run_user" ||
        die "could not create the system user $run_user"
    fi
    chmod 0711 "$dir"
    mkdir -m 0700 "$data"
    chown "$run_user:" "$sock" "$data"
    touch "$log" && chown "$run_user:" "$log"
    as_server test -x "$dir" ||
      die "$run_user cannot reach $dir (a parent folder is not searchable by others); use a folder under /tmp"
  fi

  local password pwfile
  password=$(random_token 32 'a-zA-Z0-9')
  pwfile=$(mktemp "$dir/pw.XXXXXX")
  printf '%s\n' "$password" >"$pwfile"
  [ "$(id -u)" != 0 ] || chown "$run_user:" "$pwfile"
  chmod 0400 "$pwfile"
  local started=$SECONDS
  if ! as_server "$bin/initdb" -D "$data" -U "$user_name" --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    rm -f "$pwfile"
    log_tail "$dir/initdb.log"
    die "initdb failed"
  fi
  rm -f "$pwfile"
  # Network connections only from 127.0.0.1 (listen_addresses below), and the unix socket lives in DIR, so nothing
  # outside this machine can reach the server and it never collides with a system PostgreSQL on /var/run/postgresql.
  cat >"$data/pg_hba.conf" <<HBA
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
HBA
  # fsync off: the tests kill and restart the server process, never the machine, and the page cache survives a
  # killed process; synchronous_commit stays on, so a committed transaction is in the WAL the kernel holds.
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
full_page_writes = off
max_connections = 200
logging_collector = off
CONF

  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_server "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start >"$dir/pg_ctl.log" 2>&1; then
      break
    fi
    # A port taken between free_port and the bind is retried; any other failure is final.
    if ! grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null || [ "$attempt" = 3 ]; then
      log_tail "$dir/pg_ctl.log" "$log"
      pid=$(server_pid)
      [ -z "$pid" ] || stop_pid "$pid" postgres INT 10
      die "the server did not start"
    fi
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || {
    log_tail "$log"
    die "the server does not accept connections on 127.0.0.1:$port"
  }
  echo "$port" >"$dir/port"
  note "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (pid $(server_pid)), started in $((SECONDS - started))s"

  local env=$dir/env
  (umask 077 && cat >"$env" <<ENV
export AMANA_TEST_POSTGRES_URL=postgres://$user_name@127.0.0.1:$port/postgres
export PGPASSWORD=$password
export AMANA_TEST_POSTGRES_DIR=$dir
ENV
  )
  cat "$env"
}

stop() {
  local pid children
  pid=$(server_pid)
  if [ -z "$pid" ] || ! alive "$pid" postgres; then
    note "not running in $dir"
    return 0
  fi
  # The postmaster's children (backends, checkpointer, ...) exit on their own when it exits cleanly; after a SIGKILL
  # they notice its death only later, so they are remembered now and stopped too.
  children=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
  # SIGINT is PostgreSQL's fast shutdown: open sessions are ended instead of waited for.
  stop_pid "$pid" postgres INT 15
  for c in $children; do
    stop_pid "$c" postgres TERM 5
  done
  note "stopped (pid $pid)"
}

restart() {
  [ -r "$dir/port" ] && [ -d "$data" ] || die "no server in $dir (start one first)"
  stop
  local port
  port=$(cat "$dir/port")
  if ! as_server "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start >"$dir/pg_ctl.log" 2>&1; then
    log_tail "$dir/pg_ctl.log" "$log"
    die "the server did not start again on 127.0.0.1:$port"
  fi
  note "restarted on 127.0.0.1:$port (pid $(server_pid))"
}

case $action in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  *) usage ;;
esac
