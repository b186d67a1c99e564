#!/usr/bin/env bash
# Migration smoke test for CI: checks that prisma/migrations still produce exactly the schema in
# schema.prisma (drift check on a shadow database), then applies them to a fresh scratch database
# with `migrate deploy` and confirms `migrate status` reports it up to date. Both databases get a
# random suffix and are dropped on exit. Exits non-zero on drift or on any failure.
#
# Needs a Postgres server; point SMOKE_SERVER_URL at it (no database name), e.g.
#   SMOKE_SERVER_URL=postgresql://postgres:secret@db:5432 prisma/tools/smoke-migrations.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

server_url="${SMOKE_SERVER_URL:-postgresql://postgres@127.0.0.1:5432}"
server_url="${server_url%/}"
suffix="$(date +%s)_$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')"
scratch_db="pressbox_smoke_${suffix}"
shadow_db="pressbox_smoke_${suffix}_shadow"

export DATABASE_URL="${server_url}/${scratch_db}"
export SHADOW_DATABASE_URL="${server_url}/${shadow_db}"
export CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

# Creating and dropping databases goes through the schema-engine stand-in, so no psql is needed.
engine() {
  local url="$1"
  shift
  node tools/schema-engine.mjs --datasource "{\"url\":\"${url}\"}" cli "$@"
}

prisma() {
  npx --no -- prisma "$@"
}

cleanup() {
  local status=$?
  engine "${DATABASE_URL}" drop-database >/dev/null || echo "smoke: could not drop ${scratch_db}" >&2
  engine "${SHADOW_DATABASE_URL}" drop-database >/dev/null || echo "smoke: could not drop ${shadow_db}" >&2
  exit "${status}"
}
trap cleanup EXIT

echo "smoke: scratch database ${scratch_db}"
engine "${DATABASE_URL}" create-database >/dev/null

echo "smoke: drift check (migrations vs schema.prisma)"
drift_status=0
prisma migrate diff --from-migrations migrations --to-schema schema.prisma --exit-code || drift_status=$?
if [[ ${drift_status} -eq 2 ]]; then
  echo "smoke: FAILED - prisma/migrations do not produce schema.prisma (difference above)." >&2
  echo "smoke: create a migration for it (npx prisma migrate dev) or fix schema.prisma." >&2
  exit 2
elif [[ ${drift_status} -ne 0 ]]; then
  echo "smoke: FAILED - drift check could not run (exit ${drift_status})." >&2
  exit "${drift_status}"
fi

echo "smoke: migrate deploy"
prisma migrate deploy

echo "smoke: migrate status"
prisma migrate status

echo "smoke: OK"
