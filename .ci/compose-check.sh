#!/usr/bin/env bash
# compose.yaml built and run for real with podman and Debian's podman-compose: PostgreSQL, three
# Dateline nodes built from the Dockerfile, nginx publishing one port. Then, over HTTP: /readyz and
# the demo content through nginx; a key made with the CLI in a node container; an article created,
# published and edited through nginx and its new version seen on every node directly (polled with
# a deadline), the same for the demo story every node had cached; a live blog entry posted through
# nginx reaching a stream held through nginx; X-Forwarded-For believed from nginx (TRUST_PROXY).
# Everything it started (containers, network, volumes) is removed at the end, also on failure.
#
# No image can be pulled here, so the images compose.yaml names are stood in for when absent
# (only then; labelled dateline.check.stand-in): postgres:<major> is Debian bookworm (the
# debootstrap rootfs of the node stand-in that container-check.sh makes, without Node) plus
# Debian's postgresql-<major> and an entrypoint honouring POSTGRES_USER/PASSWORD/DB like the
# official image's; nginx:<version> is the same base plus Debian's nginx (1.22), configured like the
# official image (conf.d/*.conf, logs to stdout, daemon off). They are not the official images.
#
# usage: .ci/compose-check.sh     (root; needs podman, curl, node; after container-check.sh, whose
#                                  node:24-bookworm-slim stand-in the Dockerfile builds on)
# env:   KEEP=1 leaves the stack running (remove it with the commands printed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=datelinecheck$$
WORK=$(mktemp -d /var/tmp/compose-check.XXXXXX)
STEP=start; T0=$SECONDS; TP=$SECONDS; TIMINGS=(); SSE_PID=; SUMMARY=
log () { printf '[compose %3ss] %s\n' $((SECONDS - T0)) "$*" >&2; }
phase () { TIMINGS+=("$1 $((SECONDS - TP))s"); TP=$SECONDS; }
fail () { echo "$*" >&2; exit 1; }
now_ms () { date +%s%3N; }
quiet () { local name=$1; shift; if ! "$@" >"$WORK/$name.log" 2>&1; then tail -40 "$WORK/$name.log" >&2; return 1; fi; }
containers () { podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' 2>/dev/null || true; }

finish () {
  local rc=$?
  [ -z "$SSE_PID" ] || kill "$SSE_PID" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    for c in $(containers); do echo "--- $c (log tail)" >&2; podman logs --tail 15 "$c" >&2 2>&1 || true; done
  fi
  if [ "${KEEP:-0}" = 1 ] && [ $rc -eq 0 ]; then
    echo "kept: podman rm -f -v \$(podman ps -aq --filter label=io.podman.compose.project=$PROJECT); podman volume rm ${PROJECT}_pgdata; podman network rm ${PROJECT}_default"
  else
    local t=$SECONDS
    # rm -v: also the anonymous /data volume of each node (podman-compose down leaves those)
    mapfile -t cs < <(containers)
    [ ${#cs[@]} -eq 0 ] || podman rm -f -v -t 10 "${cs[@]}" >/dev/null 2>&1 || true
    for v in $(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null) "${PROJECT}_pgdata"; do
      podman volume rm -f "$v" >/dev/null 2>&1 || true
    done
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
    podman rm -f "compose-check-debian-$$" >/dev/null 2>&1 || true
    TIMINGS+=("teardown $((SECONDS - t))s")
  fi
  rm -rf "$WORK"
  if [ $rc -eq 0 ]; then echo "compose check: ok in $((SECONDS - T0))s (${TIMINGS[*]}): $SUMMARY"
  else echo "compose check: FAIL at step '$STEP' after $((SECONDS - T0))s (${TIMINGS[*]})"; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

STEP="host tools"
[ "$(id -u)" = 0 ] || fail "run as root"
for tool in podman curl node; do command -v $tool >/dev/null || fail "missing $tool"; done
export DEBIAN_FRONTEND=noninteractive
if ! command -v podman-compose >/dev/null; then
  STEP="apt-get install podman-compose"
  quiet apt-compose apt-get install -y --no-install-recommends podman-compose
fi
# podman's CNI networks resolve container names only with the dnsname plugin (netavark has aardvark-dns)
if [ "$(podman info --format '{{.Host.NetworkBackend}}')" = cni ] && [ ! -x /usr/lib/cni/dnsname ] && [ ! -x /usr/libexec/cni/dnsname ]; then
  STEP="apt-get install the CNI dnsname plugin (container names in compose networks)"
  quiet apt-dnsname apt-get install -y --no-install-recommends golang-github-containernetworking-plugin-dnsname
fi
log "$(podman-compose --version 2>/dev/null | grep -i 'podman-compose' | head -1), $(podman --version)"

# The same rlimit caps and runtime fallback as container-check.sh: podman's default nofile is
# above this machine's hard limit, and crun refuses hybrid cgroups (runc accepts them).
STEP="a container runtime that starts a container here"
NODE_BASE=docker.io/library/node:24-bookworm-slim
podman image exists "$NODE_BASE" || fail "no $NODE_BASE: run ../shared/tools/container-check.sh . first (it makes the stand-in the Dockerfile builds on)"
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
ULIMITS="--ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc"
RUNTIME=
for runtime in "" runc; do
  if [ -n "$runtime" ] && ! command -v "$runtime" >/dev/null; then continue; fi
  # shellcheck disable=SC2086
  if podman ${runtime:+--runtime "$runtime"} run --rm --pull=never --network none $ULIMITS "$NODE_BASE" true >/dev/null 2>&1; then RUNTIME=${runtime:-default}; break; fi
done
[ -n "$RUNTIME" ] || fail "no runtime starts $NODE_BASE"
# podman-compose calls this instead of podman (global options go before the command)
cat >"$WORK/podman" <<EOF
#!/bin/sh
exec podman ${runtime:+--runtime $runtime} "\$@"
EOF
chmod 755 "$WORK/podman"
PODMAN="$WORK/podman"

# ---------------------------------------------------------------------------------------------
# Stand-ins for the postgres and nginx images compose.yaml names, made only when absent.
full_name () { case $1 in */*/*) echo "$1";; */*) echo "docker.io/$1";; *) echo "docker.io/library/$1";; esac; }
DEBIAN=localhost/dateline-check-debian:bookworm
debian_base () {
  podman image exists "$DEBIAN" && return 0
  STEP="Debian base for the stand-ins (the node stand-in's rootfs without Node)"
  log "making $DEBIAN from $NODE_BASE without Node, npm and the node user"
  local cid=compose-check-debian-$$
  # shellcheck disable=SC2086
  quiet debian-base $PODMAN run --name "$cid" --pull=never --network none $ULIMITS "$NODE_BASE" sh -c \
    'rm -rf /usr/local/bin/* /usr/local/lib/node_modules /usr/local/include /usr/local/etc /usr/local/share/host-ca /usr/local/share/doc /usr/local/share/man && userdel -r node 2>/dev/null; true'
  podman export "$cid" | quiet debian-import podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' \
    --change "LABEL dateline.check.stand-in=debian:bookworm-slim-stand-in:debootstrap-bookworm-minbase-from-$NODE_BASE" - "$DEBIAN"
  podman rm -f "$cid" >/dev/null
}

standin_postgres () {   # standin_postgres FULL_NAME MAJOR
  local dir=$WORK/standin-postgres
  mkdir -p "$dir"
  cat >"$dir/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
# Stand-in for the official postgres image's entrypoint: on an empty PGDATA, initdb with the
# superuser POSTGRES_USER (default postgres) and password POSTGRES_PASSWORD (required), password
# (scram-sha-256) logins from any address, and the database POSTGRES_DB (default: the user's name).
set -euo pipefail
[ "${1:0:1}" != - ] || set -- postgres "$@"
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  user=${POSTGRES_USER:-postgres}; db=${POSTGRES_DB:-$user}
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -q -c "create database \"${db//\"/\"\"}\""
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "stand-in entrypoint: initialised $PGDATA (user $user, database $db)"
fi
exec "$@"
EOF
  cat >"$dir/Containerfile" <<EOF
FROM $DEBIAN
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-common \\
 && sed -ri 's/#(create_main_cluster) .*\$/\1 = false/' /etc/postgresql-common/createcluster.conf \\
 && apt-get install -y --no-install-recommends postgresql-$2 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/$2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
COPY docker-entrypoint.sh /usr/local/bin/
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh && mkdir -p "\$PGDATA" && chown postgres:postgres "\$PGDATA"
LABEL dateline.check.stand-in="stand-in for $1: Debian bookworm + Debian's postgresql-$2, not the official image"
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
EOF
}

standin_nginx () {   # standin_nginx FULL_NAME
  local dir=$WORK/standin-nginx
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<'EOF'
# like the official nginx image's /etc/nginx/nginx.conf
user nginx;
worker_processes auto;
error_log /dev/stderr notice;
pid /run/nginx.pid;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
    access_log /dev/stdout main;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
EOF
  cat >"$dir/Containerfile" <<EOF
FROM $DEBIAN
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/* \\
 && rm -rf /etc/nginx/sites-enabled /etc/nginx/conf.d/* && useradd --system --no-create-home --shell /usr/sbin/nologin nginx
COPY nginx.conf /etc/nginx/nginx.conf
RUN printf 'server {\n    listen 80;\n    location / { return 200 "stand-in nginx"; }\n}\n' >/etc/nginx/conf.d/default.conf && nginx -t
LABEL dateline.check.stand-in="stand-in for $1: Debian bookworm + Debian's nginx, not the official image"
STOPSIGNAL SIGQUIT
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
EOF
}

tb=$SECONDS
STANDINS=()
for image in $(awk '$1 == "image:" { print $2 }' compose.yaml | sort -u); do
  name=$(full_name "$image")
  case ${image##*/} in
    postgres:*|nginx:*) ;;
    *) continue ;;
  esac
  if podman image exists "$name"; then
    if [ -n "$(podman image inspect --format '{{index .Labels "dateline.check.stand-in"}}' "$name")" ]; then STANDINS+=("$image stand-in cached")
    else STANDINS+=("$image present, not a stand-in"); fi
    continue
  fi
  debian_base
  STEP="make the stand-in $name"
  log "making the stand-in $name (Debian packages)"
  case ${image##*/} in
    postgres:*) major=${image##*:}; major=${major%%[.-]*}; standin_postgres "$name" "$major"; dir=$WORK/standin-postgres ;;
    nginx:*) standin_nginx "$name"; dir=$WORK/standin-nginx ;;
  esac
  # shellcheck disable=SC2086
  quiet "standin-${image%%:*}" $PODMAN build --pull=never --network host --format docker $ULIMITS -t "$name" "$dir"
  STANDINS+=("$image stand-in made")
done
phase "stand-ins"
log "images: $(IFS=,; echo "${STANDINS[*]}")"

# ---------------------------------------------------------------------------------------------
# Up. podman-compose 1.0.x ignores the network's ipam settings, so the network is made first and
# DATELINE_SUBNET (the nodes' TRUST_PROXY) set to the subnet podman gave it.
STEP="podman network create ${PROJECT}_default"
podman network create --label "io.podman.compose.project=$PROJECT" "${PROJECT}_default" >/dev/null
DATELINE_SUBNET=$(podman network inspect --format '{{range .Subnets}}{{.Subnet}}{{end}}' "${PROJECT}_default")
[ -n "$DATELINE_SUBNET" ] || fail "no subnet"
DATELINE_PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
POSTGRES_PASSWORD=$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')
DATELINE_IMAGE=localhost/dateline:compose-check
LOG_LEVEL=info   # the X-Forwarded-For check reads the nodes' request logs
export DATELINE_SUBNET DATELINE_PORT POSTGRES_PASSWORD DATELINE_IMAGE LOG_LEVEL

compose () {
  podman-compose --podman-path "$PODMAN" -p "$PROJECT" -f compose.yaml \
    --podman-build-args "--format docker --pull=never --network host $ULIMITS" --podman-run-args "--pull=never $ULIMITS" "$@"
}
# the three nodes share one image: built once (up --build would build it once per node service)
STEP="podman-compose build dateline1 (log: build.log)"
log "podman-compose -p $PROJECT build dateline1 ($DATELINE_IMAGE from the Dockerfile; runtime $RUNTIME)"
OLD_ID=$(podman image inspect --format '{{.Id}}' "$DATELINE_IMAGE" 2>/dev/null || true)
quiet build compose build dateline1
# the image this build superseded, when nothing else uses it (the layer cache stays)
NEW_ID=$(podman image inspect --format '{{.Id}}' "$DATELINE_IMAGE")
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then podman rmi "$OLD_ID" >/dev/null 2>&1 || true; fi
phase "build"
STEP="podman-compose up -d (log: up.log)"
log "podman-compose -p $PROJECT up -d (nginx on port $DATELINE_PORT, network $DATELINE_SUBNET)"
quiet up compose up -d
phase "up"
for service in postgres dateline1 dateline2 dateline3 nginx; do
  podman container exists "${PROJECT}_${service}_1" || { tail -30 "$WORK/up.log" >&2; fail "no container for $service"; }
done

BASE=http://127.0.0.1:$DATELINE_PORT
ip_of () { podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "${PROJECT}_$1_1"; }
# poll CMD... until it succeeds or SECONDS_MAX pass
eventually () { local max=$1; shift; local end=$((SECONDS + max)); until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 0.2; done; }
ok200 () { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1")" = 200 ]; }

STEP="/readyz 200 through nginx (120 s)"
eventually 120 ok200 "$BASE/readyz" || fail "not ready: $(curl -s --max-time 3 "$BASE/readyz")"
NODES=()
for n in 1 2 3; do
  NODES+=("http://$(ip_of "dateline$n"):3000")
  STEP="/readyz 200 on dateline$n directly (60 s)"
  eventually 60 ok200 "${NODES[-1]}/readyz" || fail "dateline$n not ready"
done
RESTARTS=$(for n in 1 2 3; do podman inspect --format '{{.RestartCount}}' "${PROJECT}_dateline${n}_1"; done | awk '{ n += $1 } END { print n }')
# compose.yaml's healthchecks (podman runs them on a timer only with systemd: run them once here)
for service in postgres dateline1 dateline2 dateline3; do
  STEP="the healthcheck of $service (compose.yaml)"
  podman healthcheck run "${PROJECT}_${service}_1" >"$WORK/health.log" 2>&1 || fail "podman healthcheck run: $(grep -v systemd "$WORK/health.log")"
done
phase "ready"
log "ready: nginx $BASE, nodes ${NODES[*]} (node restarts while PostgreSQL started: $RESTARTS)"

# JSON field of stdin: jget PATH (dots and numbers), empty when missing
jget () { node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => { let v; try { v = JSON.parse(s) } catch { process.exit(0) }
  for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k]; if (v !== undefined) console.log(typeof v === "object" ? JSON.stringify(v) : v) })' "$1"; }

STEP="demo content through nginx"
STORY=ceasefire-talks-resume
body=$(curl -fsS --max-time 10 "$BASE/v1/articles/$STORY")
STORY_ID=$(jget id <<<"$body"); [ -n "$STORY_ID" ] || fail "no id: ${body:0:200}"
[ "$(curl -fsS --max-time 10 "$BASE/v1/articles?limit=5" | jget data.length)" = 5 ] || fail "the article list is not 5 long"
STEP="the demo was loaded once (three nodes started on one empty database)"
count=$(podman exec "${PROJECT}_postgres_1" psql -U dateline -d dateline -tAc "select count(*) from articles where slug = '$STORY'")
[ "$count" = 1 ] || fail "$count rows for $STORY"

STEP="dateline keys create in the dateline2 container"
KEY=$(podman exec "${PROJECT}_dateline2_1" dateline keys create --name compose-check --scopes content:write | tail -n 1)
[[ $KEY == dl_live_* ]] || fail "no key on the last line: $KEY"
AUTH="Authorization: Bearer $KEY"
# write METHOD PATH [JSON] [IF-MATCH]: through nginx; prints the body, the ETag in $WORK/etag; fails unless 2xx
write () {
  local code extra=()
  [ -z "${3:-}" ] || extra+=(-H 'content-type: application/json' -d "$3")
  [ -z "${4:-}" ] || extra+=(-H "If-Match: $4")
  code=$(curl -sS --max-time 10 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$1" "$BASE$2" -H "$AUTH" "${extra[@]}")
  [[ $code == 2?? ]] || fail "$1 $2 through nginx: $code $(head -c 300 "$WORK/body")"
  tr -d '\r' <"$WORK/headers" | awk 'tolower($1) == "etag:" { print $2 }' >"$WORK/etag"
  cat "$WORK/body"
}
headline_is () { [ "$(curl -s --max-time 3 "$1/v1/articles/$2" | jget headline)" = "$3" ]; }
# propagate METHOD PATH JSON IF-MATCH SLUG HEADLINE: the write through nginx, then every node asked
# directly (all at once, every 10 ms, 10 s deadline) until it serves HEADLINE for SLUG; prints the
# slowest node's delay after the write's response, in ms
propagate () {
  KEY=$KEY node --input-type=module -e '
    const [base, method, path, json, ifMatch, slug, headline, ...nodes] = process.argv.slice(1)
    const headers = { authorization: `Bearer ${process.env.KEY}` }
    if (json) headers["content-type"] = "application/json"
    if (ifMatch) headers["if-match"] = ifMatch
    const res = await fetch(base + path, { method, headers, body: json || undefined })
    if (!res.ok) { console.error(`${method} ${path} through nginx: ${res.status} ${(await res.text()).slice(0, 300)}`); process.exit(1) }
    await res.arrayBuffer()
    const answered = performance.now()
    const delays = await Promise.all(nodes.map(async (node) => {
      for (;;) {
        const body = await (await fetch(`${node}/v1/articles/${slug}`)).json().catch(() => ({}))
        if (body.headline === headline) return Math.round(performance.now() - answered)
        if (performance.now() - answered > 10_000) { console.error(`${node} never served "${headline}" for ${slug}`); process.exit(1) }
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }))
    console.log(Math.max(...delays))' "$BASE" "$@" "${NODES[@]}"
}

STEP="create, publish and edit an article through nginx; every node serves the edit"
write POST /v1/articles "{\"headline\":\"Compose check\",\"section\":\"news\",\"body\":[{\"type\":\"paragraph\",\"text\":\"Written through nginx.\"}]}" >/dev/null
id=$(jget id <"$WORK/body"); slug=$(jget slug <"$WORK/body")
[ -n "$id" ] && [ -n "$slug" ] || fail "no id or slug: $(head -c 300 "$WORK/body")"
write POST "/v1/articles/$id/publish" "" "$(cat "$WORK/etag")" >/dev/null
for node in "${NODES[@]}"; do eventually 10 headline_is "$node" "$slug" "Compose check" || fail "$node does not serve $slug"; done
NEW_MS=$(propagate PATCH "/v1/articles/$id" '{"headline":"Compose check, edited"}' "$(cat "$WORK/etag")" "$slug" "Compose check, edited")

STEP="edit the demo story every node has cached; every node serves the edit"
for node in "${NODES[@]}"; do curl -fsS -o /dev/null "$node/v1/articles/$STORY"; curl -fsS -o /dev/null "$node/v1/articles/$STORY"; done
CACHED_MS=$(propagate PATCH "/v1/articles/$STORY_ID" '{"headline":"Edited through nginx"}' "" "$STORY" "Edited through nginx")

STEP="a live blog entry posted through nginx reaches a stream held through nginx"
LIVE=storm-isla-live
live_id=$(curl -fsS --max-time 10 "$BASE/v1/articles/$LIVE" | jget id)
[ -n "$live_id" ] || fail "no live blog $LIVE"
curl -sN --max-time 60 -H 'Last-Event-ID: 999999999' "$BASE/v1/articles/$LIVE/entries/stream" >"$WORK/stream" 2>/dev/null &
SSE_PID=$!
stream_open () { [ -s "$WORK/stream" ] && grep -q '^$' "$WORK/stream"; }
eventually 10 stream_open || fail "the stream sent nothing through nginx in 10 s: $(head -c 200 "$WORK/stream")"
entry="Entry through nginx $$"
write POST "/v1/articles/$live_id/entries" "{\"headline\":\"$entry\",\"body\":[{\"type\":\"paragraph\",\"text\":\"Across nodes.\"}]}" >/dev/null
t=$(now_ms)
in_stream () { grep -q "$entry" "$WORK/stream"; }
eventually 10 in_stream || fail "the entry never reached the stream: $(tail -c 300 "$WORK/stream")"
SSE_MS=$(( $(now_ms) - t ))
grep -q '^event: entry' "$WORK/stream" || fail "no 'event: entry' line"
kill "$SSE_PID" 2>/dev/null || true; SSE_PID=

STEP="X-Forwarded-For from nginx is believed (TRUST_PROXY $DATELINE_SUBNET)"
mark=xff$$
curl -fsS -o /dev/null "$BASE/v1/sections?check=$mark"
nginx_ip=$(ip_of nginx)
xff_seen () { for n in 1 2 3; do podman logs "${PROJECT}_dateline${n}_1" 2>/dev/null; done | grep "check=$mark" | grep -o '"remoteAddress":"[^"]*"' | head -1; }
eventually 5 xff_seen >/dev/null || fail "no node logged the request"
client=$(xff_seen); client=${client#*:\"}; client=${client%\"}
[ "$client" != "$nginx_ip" ] || fail "the nodes saw nginx ($nginx_ip) as the client"
phase "checks"

SUMMARY="podman-compose build + up of compose.yaml ($RUNTIME runtime; $(IFS=,; echo "${STANDINS[*]}")); readyz through nginx and on 3 nodes; compose healthchecks healthy; demo loaded once; key from the CLI in a node; create+publish+edit through nginx seen on every node in ${NEW_MS} ms; cached demo story edit on every node in ${CACHED_MS} ms; live blog entry through nginx in the stream in ${SSE_MS} ms; client $client (not nginx $nginx_ip) via X-Forwarded-For; node restarts while PostgreSQL started: $RESTARTS"
