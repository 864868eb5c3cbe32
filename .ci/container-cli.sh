#!/usr/bin/env bash
# The command-line tool inside the container image, used as README "Running in a container" shows:
# `dateline keys create` (and the key is accepted by the API), `keys list`, `migrate`,
# `import wordpress` (a WXR file copied in with `podman cp`), `backup` (and one-line errors for a
# missing or unwritable directory), `openapi` (a one-line "development command" message), `help`,
# and `restore` into the stopped container's volume, after which the restarted server serves the
# restored data.
# Runs after container-check.sh has built the image (default dateline:check).
# usage: .ci/container-cli.sh [IMAGE]        (root; needs podman, curl and node on the host)
set -euo pipefail

IMAGE=${1:-dateline:check}
VOLUME=dateline-cli-check-$$
WORK=$(mktemp -d)
STEP=start; CID=; T0=$SECONDS
FIXTURE=$(cd "$(dirname "$0")/.." && pwd)/../shared/fixtures/wordpress/themeunittestdata.wordpress.xml

finish () {
  local rc=$?
  if [ -n "$CID" ]; then
    [ $rc -ne 0 ] && { echo "--- container log (tail)" >&2; podman logs --tail 30 "$CID" >&2 2>&1 || true; }
    podman rm -f -v "$CID" >/dev/null 2>&1 || true
  fi
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  if [ $rc -eq 0 ]; then echo "container CLI check: ok in $((SECONDS - T0))s ($SUMMARY)"
  else echo "container CLI check: FAIL at step '$STEP' after $((SECONDS - T0))s"; fi
}
trap finish EXIT
fail () { echo "$*" >&2; exit 1; }
SUMMARY=

# Podman's default rlimits can exceed this machine's hard limits, and crun refuses hybrid cgroups:
# the same caps and runtime fallback as container-check.sh.
STEP="a container runtime that starts $IMAGE"
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
ULIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
PODMAN=()
for runtime in "" runc; do
  if [ -n "$runtime" ] && ! command -v "$runtime" >/dev/null; then continue; fi
  cmd=(podman ${runtime:+--runtime "$runtime"})
  if "${cmd[@]}" run --rm --pull=never --network host "${ULIMITS[@]}" "$IMAGE" node -e 0 >/dev/null 2>&1; then PODMAN=("${cmd[@]}"); break; fi
done
[ ${#PODMAN[@]} -gt 0 ] || exit 1

# The WordPress export: WordPress's theme unit test data when this machine has it, else a small one.
STEP="write the WordPress export"
if [ -r "$FIXTURE" ]; then cp "$FIXTURE" "$WORK/export.xml"
else
  cat >"$WORK/export.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Container check</title>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:author><wp:author_login><![CDATA[desk]]></wp:author_login><wp:author_display_name><![CDATA[News Desk]]></wp:author_display_name></wp:author>
  <wp:category><wp:category_nicename><![CDATA[world]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[World]]></wp:cat_name></wp:category>
  <item>
    <title><![CDATA[Imported from WordPress in a container]]></title>
    <dc:creator><![CDATA[desk]]></dc:creator>
    <content:encoded><![CDATA[<p>First paragraph.</p><p>Second paragraph.</p>]]></content:encoded>
    <excerpt:encoded><![CDATA[A short standfirst.]]></excerpt:encoded>
    <wp:post_id>101</wp:post_id>
    <wp:post_date_gmt><![CDATA[2026-11-20 08:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[imported-in-a-container]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <category domain="category" nicename="world"><![CDATA[World]]></category>
  </item>
</channel>
</rss>
EOF
fi
chmod 644 "$WORK/export.xml"

STEP="find a free port"
PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
BASE=http://127.0.0.1:$PORT
wait_ready () {
  for _ in $(seq 120); do
    if curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null; then return 0; fi
    [ "$(podman inspect --format '{{.State.Running}}' "$CID")" = true ] || fail "container exited"
    sleep 0.5
  done
  fail "not ready after 60 s"
}

STEP="podman run with volume $VOLUME on /data"
CID=$("${PODMAN[@]}" run -d --network host "${ULIMITS[@]}" -e PORT="$PORT" -v "$VOLUME:/data" "$IMAGE")
wait_ready
run () { "${PODMAN[@]}" exec "$CID" "$@"; }

STEP="dateline keys create"
KEY=$(run dateline keys create --name ci-desk --scopes content:write | tail -n 1)
[[ $KEY == dl_live_* ]] || fail "no key on the last line: $KEY"
STEP="the new key creates a tag through the API (201)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/v1/tags" -H "Authorization: Bearer $KEY" \
  -H 'content-type: application/json' -d '{"slug":"container-check","name":"Container check","type":"topic"}')
[ "$code" = 201 ] || fail "POST /v1/tags answered $code"
STEP="dateline keys list"
run dateline keys list | grep -q ci-desk || fail "keys list does not name ci-desk"

STEP="dateline migrate"
out=$(run dateline migrate); [[ $out == "migrations applied to /data/dateline.db" ]] || fail "$out"

STEP="podman cp the export to /tmp/export.xml; dateline import wordpress /tmp/export.xml"
podman cp "$WORK/export.xml" "$CID:/tmp/export.xml"
out=$(run dateline import wordpress /tmp/export.xml)
echo "$out" | grep -q '^WordPress import finished' || fail "$out"
created=$(echo "$out" | awk '$1 == "articles" && $3 == "created" { print $2 }')
[ "${created:-0}" -gt 0 ] || fail "no article created: $out"

STEP="dateline backup /data/backup.db"
out=$(run dateline backup /data/backup.db)
[[ $out == *"written to /data/backup.db"*"integrity ok" ]] || fail "$out"
STEP="dateline backup into a missing directory: one line, exit 1"
if out=$(run dateline backup /backups/x.db 2>&1); then fail "exit 0: $out"; fi
[ "$out" = "directory /backups does not exist; create it first" ] || fail "$out"
STEP="dateline backup into a directory the user node may not write to: one line, exit 1"
if out=$(run dateline backup /x.db 2>&1); then fail "exit 0: $out"; fi
[ "$out" = "directory / is not writable by this user (uid 1000)" ] || fail "$out"

STEP="dateline openapi: a development command, one line, exit 1"
if out=$(run dateline openapi 2>&1); then fail "exit 0: $out"; fi
[[ $out == "openapi is a development command"*"GET /openapi.json." ]] && [ "$(echo "$out" | wc -l)" = 1 ] || fail "$out"
STEP="GET /openapi.json"
curl -fsS "$BASE/openapi.json" | grep -q '"openapi": *"3.1.0"' || fail "no OpenAPI 3.1.0 document"
STEP="dateline help"
run dateline help | grep -q '^  restore ' || fail "help lists no restore"

STEP="delete the tag, stop the container, dateline restore /data/backup.db in a one-off container"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$BASE/v1/tags/container-check" -H "Authorization: Bearer $KEY")
[ "$code" = 204 ] || fail "DELETE /v1/tags/container-check answered $code"
"${PODMAN[@]}" stop -t 15 "$CID" >/dev/null
out=$("${PODMAN[@]}" run --rm --network none "${ULIMITS[@]}" -v "$VOLUME:/data" "$IMAGE" dateline restore /data/backup.db)
[[ $out == "restored /data/dateline.db from /data/backup.db"* ]] || fail "$out"
STEP="restart: the restored database has the tag again"
"${PODMAN[@]}" start "$CID" >/dev/null
wait_ready
curl -fsS -o /dev/null "$BASE/v1/tags/container-check" || fail "GET /v1/tags/container-check is not 200 after the restore"

SUMMARY="keys create + API 201, keys list, migrate, import wordpress ($created articles created), backup, restore, openapi message, help"
