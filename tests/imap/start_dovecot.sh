#!/usr/bin/env bash
# A private IMAP server on 127.0.0.1 for the email-intake test (Debian's dovecot, our own config).
# Prints the site-config JSON the test reads; installs dovecot-imapd when it is missing.
set -euo pipefail
port=${P3M_IMAP_PORT:-10143}
root=${P3M_IMAP_ROOT:-/tmp/p3m-imap}
user=inbox@p3m.test
password=p3m-imap-test

if ! command -v dovecot >/dev/null; then
	(apt-get install -y -q dovecot-imapd || (apt-get update -q && apt-get install -y -q dovecot-imapd)) >/dev/null 2>&1
	service dovecot stop >/dev/null 2>&1 || true  # the packaged server listens on every address
fi

mkdir -p "$root/run" "$root/home"
chown mail:mail "$root/home"
cat >"$root/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $root/run
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $root/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$root/home/%u
}
mail_location = maildir:~/Maildir
first_valid_uid = 1
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
log_path = $root/dovecot.log
CONF
echo "$user:{PLAIN}$password" >"$root/users"

if [ -f "$root/run/master.pid" ] && kill -0 "$(cat "$root/run/master.pid")" 2>/dev/null; then
	pid=$(cat "$root/run/master.pid")
	kill "$pid"
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
fi
dovecot -c "$root/dovecot.conf"
for _ in $(seq 1 20); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
	sleep 0.25
done
printf '{"host": "127.0.0.1", "port": %s, "user": "%s", "password": "%s"}\n' "$port" "$user" "$password"
