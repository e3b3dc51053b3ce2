#!/usr/bin/env bash
# Start what the bench's tests need, if it is not running: MariaDB, and the Redis servers the
# bench's sites use (the ports in sites/common_site_config.json, not only the system Redis).
# Sourced by tests/run_all.sh and tests/e2e/run.sh with $bench_dir and $bench_user set.

service mariadb status >/dev/null 2>&1 || service mariadb start >/dev/null
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || service redis-server start >/dev/null 2>&1 || true
for conf in "$bench_dir"/config/redis_*.conf; do
	[ -f "$conf" ] || continue
	port=$(awk '$1 == "port" { print $2 }' "$conf")
	[ -n "$port" ] || continue
	redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && continue
	(cd "$bench_dir" && runuser -u "$bench_user" -- redis-server "$conf" --daemonize yes >/dev/null) ||
		echo "could not start the bench's Redis on port $port ($conf)" >&2
done

# `bench init` makes no env/bin/bench; the runners call the bench CLI from there
if [ ! -e "$bench_dir/env/bin/bench" ] && command -v bench >/dev/null; then
	ln -s "$(command -v bench)" "$bench_dir/env/bin/bench"
fi
