#!/usr/bin/env bash
# Upgrade and backup test of p3m_app, run by hand as root (like tests/run_all.sh), in ~5 minutes:
#  1. upgrade: a fresh site gets the app at an older release ($P3M_OLD_REF: the newest git tag, else
#     55effbd, the first commit with the sealed-identity vault and a working demo), the demo, and
#     private attachments; then apps/p3m_app points at the code under test, `bench migrate` runs,
#     and every complaint, disposition, sealed identity and private file must still be there, with
#     the SLA deadlines recomputed by the current engine (p3m_app/tests/upgrade_check.py);
#  2. backup: the current demo is loaded on the upgraded site, `bench backup --with-files` is
#     restored onto a second site, which must hold the same complaints, identities, sealed texts
#     and private files, and nothing private in its public files.
#   P3M_BENCH          bench directory (default /opt/p3m-bench)
#   P3M_UPGRADE_SITE   site for the upgrade (default p3m-upgrade.test; dropped and made afresh)
#   P3M_RESTORE_SITE   site the backup is restored onto (default p3m-restore.test; likewise)
#   P3M_OLD_REF        git ref of the older release (default: newest tag, else 55effbd)
#   P3M_KEEP=1         keep both sites and the backup for inspection
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dir=${P3M_BENCH:-/opt/p3m-bench}
site=${P3M_UPGRADE_SITE:-p3m-upgrade.test}
restored=${P3M_RESTORE_SITE:-p3m-restore.test}
old_ref=${P3M_OLD_REF:-$(git -C "$repo" describe --tags --abbrev=0 2>/dev/null || echo 55effbd)}
started=$(date +%s)

if [ ! -x "$bench_dir/env/bin/python" ] || [ ! -d "$bench_dir/apps/frappe" ]; then
	echo "SKIPPED: upgrade and backup test (no Frappe bench at $bench_dir; set P3M_BENCH to run it)"
	exit 0
fi
bench_user=$(stat -c %U "$bench_dir")
as_bench() { (cd "$bench_dir" && runuser -u "$bench_user" -- env -i HOME="/home/$bench_user" PATH=/usr/local/bin:/usr/bin:/bin CI=1 "$@"); }
# shellcheck source=tests/bench_services.sh
. "$repo/tests/bench_services.sh"
root_password=$("$bench_dir/env/bin/python" -c "import json; print(json.load(open('$bench_dir/sites/common_site_config.json')).get('root_password', ''))")

work=$(mktemp -d /tmp/p3m-upgrade.XXXXXX)
chmod 755 "$work"
log="$work/log"
mkdir -p "$work/old" "$work/state"
# the older release, from git (the checkout in $repo is never touched), with the current checker
if ! git -C "$repo" archive "$old_ref" | tar -x -C "$work/old"; then
	echo "cannot read $old_ref from $repo"
	exit 1
fi
cp "$repo/p3m_app/tests/upgrade_check.py" "$work/old/p3m_app/tests/"
# the code under test, readable by the bench user (a copy when $repo is not)
src=$repo
if ! runuser -u "$bench_user" -- test -r "$repo/p3m_app/hooks.py"; then
	src="$work/new"
	mkdir "$src" && cp -a "$repo/." "$src/"
fi
chmod -R a+rX "$work/old" "$work/log" 2>/dev/null
chown "$bench_user" "$work/state" && chmod 700 "$work/state"

link="$bench_dir/apps/p3m_app"
previous=$(readlink "$link" 2>/dev/null || true)
drop() { as_bench bench drop-site "$1" --force --no-backup --db-root-password "$root_password" >/dev/null 2>&1; }
cleanup() {
	if [ -n "$previous" ]; then ln -sfn "$previous" "$link"; fi
	if [ "${P3M_KEEP:-0}" != 1 ]; then
		drop "$site"
		drop "$restored"
		rm -rf "$work"
	fi
}
trap cleanup EXIT
site_packages=$("$bench_dir/env/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$link" >"$site_packages/p3m_app.pth" # imports follow the link, so relinking switches code

figures=()
step() { # step LABEL COMMAND...: run, time it, keep its output in $log
	local t0=$SECONDS
	if "${@:2}" >"$log" 2>&1; then
		figures+=("$(printf '%-48s %4ss  ok' "$1" $((SECONDS - t0)))")
	else
		figures+=("$(printf '%-48s %4ss  FAILED' "$1" $((SECONDS - t0)))")
		echo "FAILED: $1"
		tail -30 "$log"
		summary
		exit 1
	fi
}
summary() {
	echo "== steps"
	printf '%s\n' "${figures[@]}"
	echo "total: $(($(date +%s) - started))s"
}
execute() { as_bench bench --site "$1" execute "p3m_app.tests.upgrade_check.$2" ${3:+--kwargs "$3"}; }

echo "== upgrade: $old_ref -> $(git -C "$repo" rev-parse --short HEAD) on $site"
drop "$site"
drop "$restored"
ln -sfn "$work/old" "$link"
step "install $old_ref on a new site" as_bench bench new-site "$site" --admin-password admin \
	--db-root-password "$root_password" --no-mariadb-socket --install-app p3m_app
step "demo of $old_ref" as_bench bench --site "$site" execute p3m_app.demo.setup
step "private attachments on 3 complaints" execute "$site" attach_files
step "snapshot before the upgrade" execute "$site" snapshot "{\"path\": \"$work/state/before.json\"}"
grep "^snapshot" "$log"
ln -sfn "$src" "$link"
step "bench migrate to the code under test" as_bench bench --site "$site" migrate
step "migrate again (nothing left to patch)" as_bench bench --site "$site" migrate
verify_status=0
execute "$site" verify "{\"path\": \"$work/state/before.json\", \"mode\": \"upgrade\"}" 2>&1 |
	grep -vE "^(Traceback|  File|    |SystemExit)" || verify_status=1

echo "== backup and restore: $site -> $restored"
step "current demo on the upgraded site" as_bench bench --site "$site" execute p3m_app.demo.setup
step "snapshot before the backup" execute "$site" snapshot "{\"path\": \"$work/state/backup.json\"}"
grep "^snapshot" "$log"
mkdir -p "$work/backup" && chown "$bench_user" "$work/backup"
step "bench backup --with-files" as_bench bench --site "$site" backup --with-files --backup-path "$work/backup"
sql=$(ls "$work"/backup/*-database.sql.gz)
public=$(ls "$work"/backup/*-files.tar | grep -v private-files)
private=$(ls "$work"/backup/*-private-files.tar)
step "new site for the restore" as_bench bench new-site "$restored" --admin-password admin \
	--db-root-password "$root_password" --no-mariadb-socket
step "bench restore --with-public/private-files" as_bench bench --site "$restored" restore "$sql" --with-public-files "$public" \
	--with-private-files "$private" --db-root-password "$root_password" --admin-password admin
# the restored site decrypts stored passwords with the source site's key, as Frappe's restore notes say
key=$("$bench_dir/env/bin/python" -c "import json; print(json.load(open('$bench_dir/sites/$site/site_config.json')).get('encryption_key', ''))")
if [ -n "$key" ]; then
	step "copy the source site's encryption key" as_bench bench --site "$restored" set-config encryption_key "$key"
fi
restore_status=0
execute "$restored" verify "{\"path\": \"$work/state/backup.json\", \"mode\": \"restore\"}" 2>&1 |
	grep -vE "^(Traceback|  File|    |SystemExit)" || restore_status=1
summary
[ "$verify_status" -eq 0 ] && [ "$restore_status" -eq 0 ]
