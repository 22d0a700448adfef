#!/bin/sh
# Run once by the postgres image on an empty data directory: for each service a role and a database it owns,
# the role's password read from the secret /run/secrets/<service>_db_password. A service's role can connect to
# its own database only (CONNECT is revoked from PUBLIC), so no service reads another's tables. Each service
# migrates its own database (the issues-init, notify-migrate and report-migrate one-shots), never another's.
set -eu

for database in ${RECTIFY_DATABASES:-issues notify report}; do
    echo "creating role and database ${database}"
    password_file="/run/secrets/${database}_db_password"
    [ -r "$password_file" ] || { echo "missing secret ${password_file}" >&2; exit 1; }
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -v role="$database" -v password="$(cat "$password_file")" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE CONNECT, TEMPORARY ON DATABASE :"role" FROM PUBLIC;
SQL
done
