#!/usr/bin/env bash
# Browser tests: the citizen portal (submit, track, staff answers, the reporter objects) and a letter
# to the reporter printed to PDF by a desk user.
# Run as root from anywhere:  bash tests/e2e/run.sh
#   P3M_BENCH       bench directory (default /opt/p3m-bench); its apps/p3m_app is the code served
#   P3M_SITE        site to test on (default test.p3m); the test adds complaints to it
#   P3M_E2E_PORT    port for the dev server on 127.0.0.1 (default 8011, or a free one if taken)
#   P3M_E2E_CACHE   where playwright-core is installed, outside the repo (default /tmp/p3m-e2e-node)
#   P3M_E2E_SHOTS   directory for the screenshots (default: a new /tmp/p3m-e2e-shots.XXXXXX)
set -uo pipefail

PLAYWRIGHT_VERSION=1.65.1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_dir=${P3M_BENCH:-/opt/p3m-bench}
site=${P3M_SITE:-test.p3m}
cache=${P3M_E2E_CACHE:-/tmp/p3m-e2e-node}
shots=${P3M_E2E_SHOTS:-$(mktemp -d /tmp/p3m-e2e-shots.XXXXXX)}
chromium=${P3M_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$bench_dir/env/bin/python" ] || [ ! -d "$bench_dir/sites/$site" ]; then
	echo "no bench at $bench_dir with site $site (set P3M_BENCH / P3M_SITE)" >&2
	exit 1
fi
bench_user=$(stat -c %U "$bench_dir")
as_bench() {
	(cd "$bench_dir" && runuser -u "$bench_user" -- env -i HOME="/home/$bench_user" \
		PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 CI=1 P3M_BENCH="$bench_dir" "$@")
}
bench_cmd() { as_bench ./env/bin/bench --site "$site" "$@"; }

# shellcheck source=tests/bench_services.sh
. "$here/../bench_services.sh"

# the browser and its driver
if [ ! -x "$chromium" ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1
fi
installed=$(node -p "require('$cache/node_modules/playwright-core/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
	mkdir -p "$cache"
	npm install --prefix "$cache" --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" || exit 1
fi

served=$(readlink -f "$bench_dir/apps/p3m_app")
if [ "$served" != "$(cd "$here/../.." && pwd -P)" ]; then
	echo "note: the bench serves p3m_app from $served, not from this checkout"
fi

# the portal's rate limits, raised for the run and put back afterwards
# (as Python literals: set-config without --parse would store the number as a string)
config_value() {
	"$bench_dir/env/bin/python" -c "import json, sys; c = json.load(open(sys.argv[1])); print(repr(c.get(sys.argv[2])))" \
		"$bench_dir/sites/$site/site_config.json" "$1"
}
set_config() {
	if [ "$2" = None ]; then bench_cmd set-config "$1" None >/dev/null; else bench_cmd set-config --parse "$1" "$2" >/dev/null; fi
}
previous_submit=$(config_value p3m_portal_submit_limit)
previous_track=$(config_value p3m_portal_track_limit)

server_pid=""
runuser_pid=""
log=$(mktemp /tmp/p3m-e2e-server.XXXXXX.log)
chmod a+r "$log"
cleanup() {
	# runuser stays as the server's parent: stop the python process itself
	[ -z "$server_pid" ] && [ -n "$runuser_pid" ] && server_pid=$(pgrep -P "$runuser_pid" 2>/dev/null | head -1)
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$server_pid" 2>/dev/null
	fi
	[ -n "$runuser_pid" ] && wait "$runuser_pid" 2>/dev/null
	set_config p3m_portal_submit_limit "$previous_submit"
	set_config p3m_portal_track_limit "$previous_track"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
set_config p3m_portal_submit_limit 1000 || exit 1
set_config p3m_portal_track_limit 1000 || exit 1

# the dev server, on loopback only
port=${P3M_E2E_PORT:-8011}
if ss -Hltn "sport = :$port" | grep -q .; then
	port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
fi
(cd "$bench_dir/sites" && exec runuser -u "$bench_user" -- env -i HOME="/home/$bench_user" \
	PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 CI=1 P3M_BENCH="$bench_dir" \
	"$bench_dir/env/bin/python" "$here/serve.py" --port "$port" --site "$site" --sites-path "$bench_dir/sites") \
	>"$log" 2>&1 &
runuser_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 120); do
	[ -z "$server_pid" ] && server_pid=$(pgrep -P "$runuser_pid" -u "$bench_user" python 2>/dev/null | head -1)
	curl -fsS "$url/api/method/ping" 2>/dev/null | grep -q pong && break
	if ! kill -0 "$runuser_pid" 2>/dev/null; then
		echo "the server stopped:" >&2
		tail -30 "$log" >&2
		exit 1
	fi
	sleep 0.5
done
if ! curl -fsS "$url/api/method/ping" 2>/dev/null | grep -q pong; then
	echo "the server did not answer on $url:" >&2
	tail -30 "$log" >&2
	exit 1
fi
echo "server: $url (pid $server_pid, log $log), site $site"

P3M_E2E_URL=$url P3M_E2E_SHOTS=$shots P3M_BENCH=$bench_dir P3M_SITE=$site P3M_BENCH_USER=$bench_user \
	P3M_CHROMIUM=$chromium NODE_PATH="$cache/node_modules" \
	node --test --test-reporter=spec "$here/portal.spec.mjs" "$here/letters.spec.mjs"
status=$?
echo "screenshots: $shots"
[ "$status" -eq 0 ] || { echo "server log (last lines):"; tail -30 "$log"; }
exit $status
