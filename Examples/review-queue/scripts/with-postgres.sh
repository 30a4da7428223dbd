#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server, then stops the server and deletes it.
#
#   Examples/review-queue/scripts/with-postgres.sh swift test
#
# The server is a new cluster in a temporary folder, listening on 127.0.0.1 only, on a free port,
# with trust authentication for local connections (nothing but this machine can reach it, and it
# holds nothing but test data). The command runs with PGHOST, PGPORT, PGUSER and PGDATABASE set,
# and its exit status is the script's. Installs Debian's `postgresql` package when no server is
# installed. As root, the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENT...]" >&2
    exit 2
fi

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! BINDIR=$(find_bindir); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "$0: no PostgreSQL server is installed; install Debian's 'postgresql' package" >&2
        exit 2
    fi
    echo "installing PostgreSQL (Debian package 'postgresql')..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # No cluster of its own: this script makes a throwaway one, and the package's default
    # cluster would only start a second server on port 5432.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/wildguard-no-main-cluster.conf
    apt-get install -y -qq postgresql >/dev/null
    BINDIR=$(find_bindir)
fi

# The user that owns and runs the cluster.
if [ "$(id -u)" -eq 0 ]; then
    RUN_AS=postgres
    as_owner() { runuser -u "$RUN_AS" -- "$@"; }
else
    RUN_AS=$(id -un)
    as_owner() { "$@"; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/wildguard-pg.XXXXXX")
chmod 0755 "$WORK"
DATA="$WORK/data"
SOCKETS="$WORK/sockets"
LOGS="$WORK/logs"
mkdir -p "$DATA" "$SOCKETS" "$LOGS"
if [ "$(id -u)" -eq 0 ]; then chown -R "$RUN_AS" "$DATA" "$SOCKETS" "$LOGS"; fi

cleanup() {
    local status=$?
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || {
    cat "$LOGS/initdb.log" >&2
    exit 1
}

# A free port: ask the kernel for one, then hand it to the server. Another program could take it
# in between; the start below would then fail and the loop tries another.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
        echo $((20000 + RANDOM % 20000))
}

started=0
for attempt in 1 2 3 4 5; do
    PORT=$(free_port)
    # fsync off: a test server's data need not survive a power cut, and it is faster.
    if as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOGS/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKETS -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" -ne 1 ]; then
    echo "$0: PostgreSQL did not start; its log:" >&2
    cat "$LOGS/server.log" >&2 || true
    exit 1
fi

export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE=postgres
unset PGPASSWORD PGSERVICE PGSSLMODE
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $DATA)" >&2

# In the background, so that a SIGTERM or SIGINT to this script (a CI time-out, Ctrl-C) reaches
# the command too instead of leaving it running against a server that is gone.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 130' INT TERM
set +e
wait "$child"
status=$?
set -e
exit "$status"
