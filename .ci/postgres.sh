# Sourced by .ci/run: start_test_postgres initdb's a throwaway PostgreSQL cluster into a temp dir,
# runs the server as the postgres user (it refuses root) on a free loopback port (or
# PORTSCOPE_TEST_PG_PORT), exports TEST_DATABASE_URL for the shared-log suites, and stops and
# removes it on exit. fsync is off: the data lives only as long as the run.
start_test_postgres() {
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_DIR="$(mktemp -d /tmp/portscope-ci-pg.XXXXXX)"
  PG_PORT="${PORTSCOPE_TEST_PG_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
  if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR"; fi
  trap stop_test_postgres EXIT
  as_postgres "'$PG_BIN/initdb' -D '$PG_DIR/data' -A trust -U postgres --no-sync >'$PG_DIR/initdb.log'"
  as_postgres "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -w -t 60 -l '$PG_DIR/server.log' -o \"-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null"
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "PostgreSQL for the tests: $TEST_DATABASE_URL ($("$PG_BIN/postgres" --version))"
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

stop_test_postgres() {
  as_postgres "'$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
