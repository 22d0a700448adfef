#!/bin/sh
# Create the secrets docker-compose.yml mounts, once, in this folder, or in the folder named (a Kubernetes overlay's
# secrets/: deploy/secrets/create.sh deploy/k8s/overlays/prod/secrets). Never committed; keep a copy in a safe:
#   postgres_password                      the PostgreSQL superuser's
#   issues_db_password notify_db_password report_db_password   each service's database role's
#   admin_password                         the first administrator's (issues-init creates the account once)
#   notify-api report-api                  the feed clients' secrets (issues-init registers them; each service
#                                          reads its own)
#   issues-api.pem                         the RSA key that signs tokens and audit anchors (issues-api only)
# Existing files are kept, so running it again adds only what is missing. Needs openssl.
set -eu
umask 077
mkdir -p "${1:-$(dirname "$0")}"
cd "${1:-$(dirname "$0")}"

random() { [ -e "$1" ] || openssl rand -hex 32 > "$1"; }

for name in postgres_password issues_db_password notify_db_password report_db_password admin_password \
    notify-api report-api; do
    random "$name"
done
[ -e issues-api.pem ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out issues-api.pem 2>/dev/null
# compose bind-mounts these files with their own modes: readable inside the containers (uid 10001, postgres),
# while the folder itself is closed to other users of the host.
chmod 0444 ./*_password notify-api report-api issues-api.pem
chmod 0700 .
echo "secrets in $(pwd); the first administrator is 'admin' with the password in admin_password"
