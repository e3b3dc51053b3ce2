#!/usr/bin/env bash
# Run every test of p3m_app: the pure tests always, the bench integration tests when a bench exists.
#   P3M_BENCH  bench directory (default /opt/p3m-bench)
#   P3M_SITE   site to test on (default test.p3m; dropped and created afresh on every run)
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dir=${P3M_BENCH:-/opt/p3m-bench}
site=${P3M_SITE:-test.p3m}
export CI=${CI:-true}  # without CI, bench run-tests exits 0 even when tests fail

echo "== pure tests (pytest)"
python3 -c "import pytest, hypothesis, nh3, PIL, pypdf, phonenumbers" 2>/dev/null ||
	python3 -m pip install -q pytest hypothesis "nh3>=0.2.17" pillow "pypdf~=3.17" "phonenumbers>=8.13,<10" >/dev/null
(cd "$repo" && python3 -m pytest -q -p no:cacheprovider tests)
pure_status=$?

if [ ! -x "$bench_dir/env/bin/python" ] || [ ! -d "$bench_dir/apps/frappe" ]; then
	echo "SKIPPED: bench integration tests (no Frappe bench at $bench_dir; set P3M_BENCH to run them)"
	exit $pure_status
fi

echo "== bench integration tests ($bench_dir, site $site)"
bench_user=$(stat -c %U "$bench_dir")
as_bench() { (cd "$bench_dir" && runuser -u "$bench_user" -- env -i HOME="/home/$bench_user" PATH=/usr/local/bin:/usr/bin:/bin CI="$CI" "$@"); }

# shellcheck source=tests/bench_services.sh
. "$repo/tests/bench_services.sh"

# The bench user must be able to read the code under test; stage a readable copy if not.
src=$repo
if ! runuser -u "$bench_user" -- test -r "$repo/p3m_app/hooks.py"; then
	src=$(mktemp -d /tmp/p3m_app-under-test.XXXXXX)
	cp -a "$repo/." "$src/" && chmod -R a+rX "$src"
fi

# Point apps/p3m_app at the code under test, and put the previous target back afterwards.
link="$bench_dir/apps/p3m_app"
previous=$(readlink "$link" 2>/dev/null || true)
restore() { if [ -n "$previous" ]; then ln -sfn "$previous" "$link"; fi; }
trap restore EXIT
ln -sfn "$src" "$link"
grep -qx p3m_app "$bench_dir/sites/apps.txt" || printf '\np3m_app\n' >>"$bench_dir/sites/apps.txt"
sed -i '/^$/d' "$bench_dir/sites/apps.txt"

# Editable install for the dependencies; the .pth then names the link, so relinking switches code.
as_bench ./env/bin/pip install -q -e apps/p3m_app 2>&1 | grep -vE "is ignored|dependency resolver|requires python-dateutil" || true
site_packages=$("$bench_dir/env/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$link" >"$site_packages/p3m_app.pth"

root_password=$("$bench_dir/env/bin/python" -c "import json; print(json.load(open('$bench_dir/sites/common_site_config.json')).get('root_password', ''))")
# a fresh site every run: tests of code that commits on its own (mail intake, data import, the
# browser test) must never meet what an earlier run left behind
echo "creating a fresh $site"
as_bench bench drop-site "$site" --force --no-backup --db-root-password "$root_password" >/dev/null 2>&1
as_bench bench new-site "$site" --admin-password admin --db-root-password "$root_password" \
	--no-mariadb-socket >/dev/null || exit 1
as_bench bench --site "$site" set-config allow_tests true >/dev/null
# a real IMAP server on 127.0.0.1 for the email-intake test
if imap=$(bash "$repo/tests/imap/start_dovecot.sh" 2>/tmp/p3m-imap.log); then
	as_bench bench --site "$site" set-config p3m_test_imap "$imap" --parse >/dev/null
else
	echo "SKIPPED: IMAP intake test (could not start dovecot: $(tail -1 /tmp/p3m-imap.log))"
	as_bench bench --site "$site" set-config p3m_test_imap "null" --parse >/dev/null
fi
if ! as_bench bench --site "$site" list-apps 2>/dev/null | grep -q p3m_app; then
	as_bench bench --site "$site" install-app p3m_app || exit 1
fi
as_bench bench --site "$site" migrate >/tmp/p3m-migrate.log 2>&1 || { tail -40 /tmp/p3m-migrate.log; exit 1; }

log=$(mktemp)
as_bench bench --site "$site" run-tests --app p3m_app 2>&1 | tee "$log"
bench_status=${PIPESTATUS[0]}

# The citizen portal in a real browser (Debian chromium + playwright-core) against a loopback server.
echo "== portal in a browser (tests/e2e/run.sh)"
e2e_log=$(mktemp)
P3M_BENCH="$bench_dir" P3M_SITE="$site" bash "$repo/tests/e2e/run.sh" 2>&1 | tee "$e2e_log"
e2e_status=${PIPESTATUS[0]}

# A fresh site: install, migrate twice, load the demo twice (idempotent), uninstall.
fresh=p3m-fresh.test
echo "== fresh-site lifecycle ($fresh)"
lifecycle() {
	as_bench bench drop-site "$fresh" --force --no-backup --db-root-password "$root_password" >/dev/null 2>&1
	as_bench bench new-site "$fresh" --admin-password admin --db-root-password "$root_password" \
		--no-mariadb-socket --install-app p3m_app >/dev/null &&
		as_bench bench --site "$fresh" migrate >/dev/null &&
		as_bench bench --site "$fresh" migrate >/dev/null &&
		as_bench bench --site "$fresh" execute p3m_app.demo.setup &&
		as_bench bench --site "$fresh" execute p3m_app.demo.setup &&
		[ "$(as_bench bench --site "$fresh" execute frappe.db.count --args '["Complaint"]')" = 57 ] &&
		as_bench bench --site "$fresh" uninstall-app p3m_app --yes --no-backup >/dev/null &&
		! as_bench bench --site "$fresh" list-apps | grep -q p3m_app
	local status=$?
	as_bench bench drop-site "$fresh" --force --no-backup --db-root-password "$root_password" >/dev/null 2>&1
	return $status
}
if lifecycle; then
	echo "lifecycle: install, migrate x2, demo x2 (57 complaints), uninstall: ok"
	lifecycle_status=0
else
	echo "lifecycle: FAILED"
	lifecycle_status=1
fi

ran=$(grep -oE "^Ran [0-9]+ test" "$log" | grep -oE "[0-9]+" | tail -1)
failed=$(grep -oE "(failures|errors)=[0-9]+" "$log" | awk -F= '{s += $2} END {print s + 0}')
e2e_passed=$(grep -oE "pass [0-9]+" "$e2e_log" | grep -oE "[0-9]+" | tail -1)
e2e_failed=$(grep -oE "fail [0-9]+" "$e2e_log" | grep -oE "[0-9]+" | tail -1)
if [ -z "$ran" ] || [ "$ran" = 0 ]; then
	echo "bench integration tests: none ran"
	exit 1
fi
ran=$((ran + ${e2e_passed:-0} + ${e2e_failed:-0}))
failed=$((failed + ${e2e_failed:-0}))
[ "$e2e_status" -eq 0 ] || [ "${e2e_failed:-0}" -gt 0 ] || failed=$((failed + 1))
# the leak suite's figures (methods x users x documents, requests, leaks found)
grep -hE "^(leak suite|write probes|whitelist inventory):" "$log" | sort -u
echo "integration: $((ran - ${failed:-0})) passed, ${failed:-0} failed"
[ "$pure_status" -eq 0 ] && [ "$bench_status" -eq 0 ] && [ "$e2e_status" -eq 0 ] && [ "$lifecycle_status" -eq 0 ]
