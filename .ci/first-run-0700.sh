#!/usr/bin/env bash
# A first `npm start` from a clone in a folder only root may enter (like /root, mode 0700), as a new user
# would do it: PostgreSQL runs as the postgres user, which cannot reach that clone, so the start has to run
# PostgreSQL's binaries and keep its data where that user can. Clones HEAD into a 0700 folder, runs
# `npm start` there (npm install, initdb, migrations, next build), waits for /signin to answer 200, checks
# that PostgreSQL really runs from outside the clone, stops the panel with SIGTERM to its process group,
# and removes the clone and its data. Exits non-zero when the panel does not come up or does not stop.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
parent="${FIRST_RUN_DIR:-/root/ci-firstrun}"
clone="$parent/nas-panel"
deadline_s="${FIRST_RUN_DEADLINE_S:-360}"
log="$(mktemp "${TMPDIR:-/tmp}/nas-panel-first-run-XXXXXX.log")"
say() { echo "[first-run-0700] $*"; }

if [ "$(id -u)" != 0 ]; then
  say "skipped: only as root does PostgreSQL run as a separate postgres user that a 0700 folder shuts out"
  exit 0
fi
say "proves: \`npm start\` in a fresh clone under a 0700 folder ($parent) brings the panel up, with PostgreSQL"
say "        (run as the postgres user) using binaries and data placed where that user can reach them"

# Where the start keeps this clone's data (embedded-placement.ts: a hash of the asked path), to clean it up.
hash="$(printf '%s' "$clone/.data/pg" | sha256sum | cut -c1-12)"
data_homes=("/var/lib/nas-panel/$hash" "${TMPDIR:-/tmp}/nas-panel/$hash")
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -rf "$parent" "${data_homes[@]}"
}
trap cleanup EXIT
cleanup # an earlier run cut short

mkdir -m 700 "$parent"
git clone -q "$repo" "$clone"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
say "starting the panel in $clone on port $port (log: $log)"
started=$SECONDS
# setsid: the panel gets its own process group (pgid = $pid), stopped the way a supervisor would.
(cd "$clone" && PORT="$port" exec setsid npm start </dev/null >"$log" 2>&1) &
pid=$!

answered() { node -e "fetch('http://127.0.0.1:$port/signin').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"; }
fail() {
  say "FAILED: $*"
  echo "----- last lines of the panel's log -----"
  tail -n 60 "$log"
  exit 1
}
until answered; do
  kill -0 "$pid" 2>/dev/null || fail "npm start exited before /signin answered"
  [ $((SECONDS - started)) -lt "$deadline_s" ] || fail "/signin did not answer 200 within ${deadline_s} s"
  sleep 2
done
took=$((SECONDS - started))

# Evidence that the 0700 path was taken, not merely survived: PostgreSQL's program and data are outside the clone.
data="$(sed -n 's/^\[nas-panel\] embedded PostgreSQL running (data in \(.*\))$/\1/p' "$log" | tail -n 1)"
[ -n "$data" ] || fail "the log does not say where the database lives"
grep -q "cannot enter .*: its data goes to $data" "$log" || fail "the start did not say that the postgres user cannot enter the clone"
[ "$(readlink "$clone/.data/pg")" = "$data" ] || fail "$clone/.data/pg does not link to $data"
postmaster="$(head -n 1 "$data/postmaster.pid")"
program="$(readlink "/proc/$postmaster/exe")"
case "$program$data" in "$parent"/*|*"$parent"/*) fail "PostgreSQL still runs from or keeps data in the clone ($program, $data)" ;; esac
say "/signin answered 200 after ${took} s; PostgreSQL (pid $postmaster) runs $program with data in $data"

kill -TERM -- "-$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
kill -0 "$pid" 2>/dev/null && fail "npm start did not exit within 60 s of SIGTERM"
for _ in $(seq 1 10); do kill -0 "$postmaster" 2>/dev/null || break; sleep 1; done
kill -0 "$postmaster" 2>/dev/null && fail "PostgreSQL (pid $postmaster) still runs after the panel stopped"
pid=""
say "OK: stopped cleanly on SIGTERM; removing the clone and its data"
rm -f "$log"
