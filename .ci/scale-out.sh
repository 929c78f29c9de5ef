#!/usr/bin/env bash
# Starts what the scale-out tests need, beside the machine's PostgreSQL on 5432, and prints the
# variables that point the tests at it (`eval "$(bash .ci/scale-out.sh)"`):
#   - PgBouncer on 127.0.0.1:6432 in transaction pooling mode in front of 5432 (any database name),
#     TEST_POOLER_URL, not exported: only the scale-out leg routes through it;
#   - a primary on 127.0.0.1:5441 with a streaming replica on 127.0.0.1:5442 (own temporary
#     clusters, so the machine's PostgreSQL configuration is not touched).
# Idempotent: what already answers is left alone. Needs Debian's postgresql and pgbouncer.
set -euo pipefail
DIR="${SCALE_OUT_DIR:-/tmp/customer-api-scale-out}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

if ! pg_isready -h 127.0.0.1 -p 5441 -q; then
  rm -rf "$DIR/primary" "$DIR/replica"
  as_postgres "$BIN/initdb" -D "$DIR/primary" -A trust -U postgres >/dev/null
  cat >>"$DIR/primary/postgresql.conf" <<CONF
port = 5441
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
max_connections = 200
fsync = off
CONF
  echo "host replication all 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
  as_postgres "$BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5442 -q; then
  rm -rf "$DIR/replica"
  as_postgres "$BIN/pg_basebackup" -h 127.0.0.1 -p 5441 -U postgres -D "$DIR/replica" -R -X stream
  sed -i 's/^port = 5441/port = 5442/' "$DIR/replica/postgresql.conf"
  as_postgres "$BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 6432 -q; then
  cat >"$DIR/pgbouncer.ini" <<CONF
[databases]
* = host=127.0.0.1 port=5432
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
unix_socket_dir = $DIR
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
; node-postgres sends these at connect; a transaction pooler cannot keep session settings
ignore_startup_parameters = extra_float_digits,statement_timeout,options
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
CONF
  echo '"postgres" ""' >"$DIR/userlist.txt"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR/pgbouncer.ini" "$DIR/userlist.txt"
  as_postgres pgbouncer -d "$DIR/pgbouncer.ini"
  for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 6432 -q && break; sleep 0.5; done
fi

echo "TEST_POOLER_URL=postgresql://postgres@127.0.0.1:6432/postgres"
echo "export TEST_REPLICA_PRIMARY_URL=postgresql://postgres@127.0.0.1:5441/postgres"
echo "export TEST_REPLICA_URL=postgresql://postgres@127.0.0.1:5442/postgres"
