#!/usr/bin/env bash
# Production-shaped load and fault test (issue 13), run by hand as root on a site with the 1M
# dataset (p3m_app.benchmarks.sla_sweep.run fills it):
#
#   bash tests/load_faults.sh [MINUTES]        # default 5; P3M_SITE (bm.p3m), P3M_BENCH, P3M_FAULTS
#
# It makes a private sites directory holding only the site, with its own Redis for the job queues
# (so the scheduler and the 2 workers never touch other sites of the bench, and the queue flood
# stays private), starts a private IMAP server (tests/imap/start_dovecot.sh on its own port), and
# runs p3m_app.benchmarks.production_load in it as the bench user. The driver asks this script to
# restart MariaDB (it needs root) through a request file. Everything is stopped at the end and
# MariaDB is left running. P3M_DB_FAULT=kill-connections kills only the site's connections
# instead of restarting MariaDB (for a bench others are using).
set -euo pipefail
minutes=${1:-5}
bench=${P3M_BENCH:-/opt/p3m-bench}
site=${P3M_SITE:-bm.p3m}
faults=${P3M_FAULTS:-abcd}
db_fault=${P3M_DB_FAULT:-restart}
run=${P3M_LOAD_DIR:-/tmp/p3m-load}
redis_port=${P3M_LOAD_REDIS_PORT:-11731}
here=$(cd "$(dirname "$0")" && pwd)
user=$(stat -c %U "$bench/sites")

[ "$(id -u)" = 0 ] || { echo "run as root (it restarts MariaDB)"; exit 1; }
[ -f "$bench/sites/$site/site_config.json" ] || { echo "no site $site in $bench"; exit 1; }

rm -rf "$run"
mkdir -p "$run/sites" "$run/logs"
ln -s "$bench/sites/$site" "$run/sites/$site"
ln -s "$bench/sites/apps.txt" "$run/sites/apps.txt"
ln -s "$bench/sites/assets" "$run/sites/assets"
touch "$run/sites/.p3m-load-private"
python3 - "$bench/sites/common_site_config.json" "$run/sites/common_site_config.json" "$redis_port" <<'PY'
import json, sys
conf = json.load(open(sys.argv[1]))
conf["redis_queue"] = f"redis://127.0.0.1:{sys.argv[3]}"
conf["scheduler_tick_interval"] = 20
conf.pop("default_site", None)
json.dump(conf, open(sys.argv[2], "w"), indent=1)
PY
chown -R "$user:$user" "$run"

# run a command without this script's open files: a `flock /tmp/p3m-bm.lock` around this script
# must not pass its lock on to MariaDB, Redis or dovecot, which outlive the run
detached() {
	(
		for fd in $(ls "/proc/$BASHPID/fd"); do
			[ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
		done
		exec setsid "$@"
	)
}

cleanup() {
	set +e
	[ -n "${watcher:-}" ] && kill "$watcher" 2>/dev/null
	[ -f "$run/redis.pid" ] && kill "$(cat "$run/redis.pid")" 2>/dev/null
	[ -f "$run/imap/run/master.pid" ] && kill "$(cat "$run/imap/run/master.pid")" 2>/dev/null
	service mariadb status >/dev/null 2>&1 || detached service mariadb start
	sleep 1
	# anything still running in the private sites directory (the driver stops all it starts)
	for pid in $(pgrep -u "$user" || true); do
		if [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$run/sites" ]; then
			echo "left over, stopping: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-80)"
			kill -9 "$pid" 2>/dev/null
		fi
	done
	echo "stopped: private Redis, IMAP server, request watcher; MariaDB: $(service mariadb status >/dev/null 2>&1 && echo running || echo DOWN)"
}
trap cleanup EXIT

detached runuser -u "$user" -- redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
	--daemonize yes --pidfile "$run/redis.pid" --logfile "$run/logs/redis.log"
imap=$(P3M_IMAP_ROOT="$run/imap" P3M_IMAP_PORT=${P3M_LOAD_IMAP_PORT:-10153} detached bash "$here/imap/start_dovecot.sh" | tail -1)

# the driver writes db-restart.request; this loop restarts MariaDB and answers in db-restart.done
(
	while true; do
		if [ -f "$run/db-restart.request" ]; then
			rm -f "$run/db-restart.request"
			began=$(date +%s%N)
			detached service mariadb restart >"$run/logs/mariadb-restart.log" 2>&1
			status=$?
			echo "service mariadb restart: exit $status, $(( ($(date +%s%N) - began) / 1000000 )) ms" >"$run/db-restart.done"
			chown "$user" "$run/db-restart.done"
		fi
		sleep 0.2
	done
) &
watcher=$!

kwargs=$(printf '{"minutes": %s, "faults": "%s", "db_fault": "%s", "port": %s}' \
	"$minutes" "$faults" "$db_fault" "${P3M_LOAD_PORT:-8031}")
cd "$run/sites"
runuser -u "$user" -- env -i HOME="$(eval echo ~"$user")" PATH=/usr/local/bin:/usr/bin:/bin \
	PYTHONUNBUFFERED=1 P3M_LOAD_DIR="$run" P3M_LOAD_IMAP="$imap" \
	"$bench/env/bin/python" -m frappe.utils.bench_helper frappe --site "$site" execute \
	p3m_app.benchmarks.production_load.run --kwargs "$kwargs"
