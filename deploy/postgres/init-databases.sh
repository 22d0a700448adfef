#!/bin/sh
# Run once by the postgres image on an empty data directory: one database per service, owned by the
# application role. Each service migrates its own database (the *-migrate one-shots), never another's.
set -eu

for database in ${RECTIFY_DATABASES:-issues notify report}; do
    echo "creating database ${database}"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
        -c "CREATE DATABASE \"${database}\" OWNER \"${POSTGRES_USER}\""
done
