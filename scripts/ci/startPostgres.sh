#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL, and makes the role and database the gateway's
# PostgreSQL test suites use. Idempotent: safe to run on a machine where all of it is already done.
# Prints the URL to export as SHARDPAY_TEST_DATABASE_URL on its last line.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "== installing PostgreSQL (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$version" main start >&2
fi

port=$(pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $3}')
as_postgres() { su postgres -c "$1"; }
for _ in $(seq 1 30); do
  as_postgres "pg_isready -q -p $port" && break
  sleep 1
done
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'shardpay'\"" | grep -q 1 ||
  as_postgres "psql -p $port -qc \"CREATE ROLE shardpay LOGIN PASSWORD 'shardpay' SUPERUSER\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'shardpay_test'\"" | grep -q 1 ||
  as_postgres "createdb -p $port -O shardpay shardpay_test" >&2

echo "postgres://shardpay:shardpay@127.0.0.1:$port/shardpay_test"
