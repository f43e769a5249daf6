#!/usr/bin/env bash
# Starts a local team server for a trial or for development: pouchdb-server (CouchDB's HTTP API)
# in memory on 127.0.0.1, with an admin, a project database made by `spanmark init`, and says how
# to connect. Run through `make team-server`. Data lives as long as the server runs.
#   SPANMARK_ADMIN, SPANMARK_ADMIN_PASSWORD  the server admin (required)
#   TEAM_PORT (5984), TEAM_DB (spanmark)     where
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SPANMARK_ADMIN:?set SPANMARK_ADMIN and SPANMARK_ADMIN_PASSWORD: the admin of the team server}"
: "${SPANMARK_ADMIN_PASSWORD:?set SPANMARK_ADMIN_PASSWORD: the password of SPANMARK_ADMIN}"
port=${TEAM_PORT:-5984}
db=${TEAM_DB:-spanmark}
server=http://127.0.0.1:$port
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

# pouchdb-server writes its config.json and log.txt where it runs.
(cd "$work" && exec "$OLDPWD/.tools/node_modules/.bin/pouchdb-server" --in-memory --host 127.0.0.1 \
  --port "$port" --no-stdout-logs >"$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "$server/" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "the team server did not start (is port $port free?)" >&2; exit 1; }
  sleep 0.1
done
# The first admin ends the "admin party" (anyone may do anything) of a new server.
curl -fs -X PUT "$server/_config/admins/$SPANMARK_ADMIN" -d "\"$SPANMARK_ADMIN_PASSWORD\"" >/dev/null
SPANMARK_USER=$SPANMARK_ADMIN SPANMARK_PASSWORD=$SPANMARK_ADMIN_PASSWORD \
  ./target/release/spanmark init "$server/$db"

cat <<MSG

Team server: $server, project database "$db" (in memory: it ends with this command).
Add users (annotator or curator), as the admin:
  curl -u "\$SPANMARK_ADMIN:\$SPANMARK_ADMIN_PASSWORD" -X PUT $server/_users/org.couchdb.user:anna \\
    -H 'Content-Type: application/json' -d '{"name": "anna", "password": "…", "roles": ["annotator"], "type": "user"}'
Upload documents, as a curator:   spanmark push FILES... --to $server/$db
Get every annotation back:         spanmark pull $server/$db --to brat -o out/
\`make serve\` passes /couchdb/ on to this server (docs/TEAM.md): in the app, Team… with the
server /couchdb/, the project $db and a user's name and password. Stop with Ctrl+C.
MSG
wait "$pid"
