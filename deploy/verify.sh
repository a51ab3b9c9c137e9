#!/usr/bin/env bash
# Checks the deployment files in deploy/:
#  1. builds steerbot into a temporary directory, with the Dockerfile's flags;
#  2. runs the commands of steerbot-backup.service (unit escapes undone,
#     paths moved into the temporary directory): a backup file named for
#     today must appear, and pruning must keep the newest 30 daily files;
#  3. `systemd-analyze verify` on temporary copies of the units whose
#     ExecStart points at the built binary, and prints the offline
#     `systemd-analyze security` score of the service
#     (skipped when systemd-analyze is not installed);
#  4. `nginx -t` on nginx-webhook.conf with a throwaway certificate
#     (skipped when nginx or openssl is not installed).
#
# Usage: deploy/verify.sh      (from anywhere; exits non-zero on a problem)
set -euo pipefail

deploy=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$deploy")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "deploy/verify.sh: build"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/bin/steerbot" .)
bin="$tmp/bin/steerbot"

# unit_exec FILE KEY: the KEY= lines of a unit, with %% and $$ undone and
# the installed paths replaced by temporary ones.
unit_exec() {
	# systemd would expand a lone % (a specifier: %Y is a directory) or $
	# (a variable) itself; these units mean the shell's.
	if grep "^$2=" "$1" | sed -e 's/%%//g' -e 's/\$\$//g' | grep -q '[%$]'; then
		echo "FAIL: $1: $2 has a lone % or \$; write %% and \$\$" >&2
		return 1
	fi
	grep "^$2=" "$1" | sed -e "s/^$2=//" -e 's/%%/%/g' -e 's/\$\$/$/g' \
		-e "s|/usr/local/bin/steerbot|$bin|g" \
		-e "s|/etc/steerbot/steerbot.yaml|$tmp/steerbot.yaml|g" \
		-e "s|/var/backups/steerbot|$tmp/backups|g"
}

echo "deploy/verify.sh: backup and pruning commands of steerbot-backup.service"
cat >"$tmp/steerbot.yaml" <<EOF
storage:
  path: $tmp/steerbot.db
http:
  listen: ""
EOF
mkdir -m 0700 "$tmp/backups"
# 35 older daily backups and one of the bot's own (another name pattern).
for i in $(seq 1 35); do
	touch "$tmp/backups/steerbot-2000$(printf '%02d%02d' $(((i - 1) / 28 + 1)) $(((i - 1) % 28 + 1))).db"
done
touch "$tmp/backups/steerbot-20000101-020000.db"
unit_exec "$deploy/steerbot-backup.service" ExecStart >"$tmp/exec"
n=0
while IFS= read -r line; do
	(eval "$line") >"$tmp/out" 2>&1 || {
		cat "$tmp/out"
		echo "FAIL: ExecStart=$line"
		exit 1
	}
	n=$((n + 1))
done <"$tmp/exec"
[[ $n == 2 ]] || { echo "FAIL: want 2 ExecStart lines in steerbot-backup.service, got $n"; exit 1; }
today="$tmp/backups/steerbot-$(date +%Y%m%d).db"
[[ -s $today ]] || { echo "FAIL: no backup $today"; ls -l "$tmp/backups"; exit 1; }
"$bin" restore -config "$tmp/steerbot.yaml" "$today" >/dev/null ||
	{ echo "FAIL: the backup does not restore"; exit 1; }
kept=$(find "$tmp/backups" -name 'steerbot-????????.db' | wc -l)
[[ $kept == 30 ]] || { echo "FAIL: pruning kept $kept daily backups, want 30"; ls "$tmp/backups"; exit 1; }
[[ ! -e $tmp/backups/steerbot-20000106.db && -e $tmp/backups/steerbot-20000107.db ]] ||
	{ echo "FAIL: pruning did not remove the oldest"; ls "$tmp/backups"; exit 1; }
[[ -e $tmp/backups/steerbot-20000101-020000.db ]] ||
	{ echo "FAIL: pruning removed a file of another pattern"; exit 1; }
echo "ok: backup written, restorable; 30 daily files kept"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "skipped: systemd-analyze not installed (apt-get install systemd)"
else
	echo "deploy/verify.sh: systemd-analyze verify"
	mkdir "$tmp/units"
	for f in steerbot.service steerbot-backup.service steerbot-backup.timer; do
		sed "s|/usr/local/bin/steerbot|$bin|g" "$deploy/$f" >"$tmp/units/$f"
	done
	# verify prints problems but exits 0 on some of them: any output fails.
	out=$(cd "$tmp/units" && systemd-analyze verify --man=no \
		./steerbot.service ./steerbot-backup.service ./steerbot-backup.timer 2>&1) || {
		echo "$out"
		echo "FAIL: systemd-analyze verify"
		exit 1
	}
	if [[ -n $out ]]; then
		echo "$out"
		echo "FAIL: systemd-analyze verify reported problems"
		exit 1
	fi
	echo "ok: systemd-analyze verify"
	for f in steerbot.service steerbot-backup.service; do
		if score=$(systemd-analyze security --offline=yes --no-pager "$tmp/units/$f" 2>/dev/null | tail -n 1); then
			echo "$f: ${score#→ }"
		fi
	done
fi

if ! command -v nginx >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
	echo "skipped: nginx or openssl not installed, nginx-webhook.conf not checked"
else
	echo "deploy/verify.sh: nginx -t"
	mkdir "$tmp/nginx"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=bot.example.org \
		-keyout "$tmp/nginx/key.pem" -out "$tmp/nginx/cert.pem" >/dev/null 2>&1
	# nginx -t binds the listen ports: a high loopback one instead of 443,
	# so that it runs without root and beside a real web server.
	port=$((20000 + RANDOM % 40000))
	sed -e "s|/etc/letsencrypt/live/bot.example.org/fullchain.pem|$tmp/nginx/cert.pem|" \
		-e "s|/etc/letsencrypt/live/bot.example.org/privkey.pem|$tmp/nginx/key.pem|" \
		-e "s|^\( *\)listen 443 ssl;|\1listen 127.0.0.1:$port ssl;|" \
		-e '/^ *listen \[::\]:443 ssl;/d' \
		"$deploy/nginx-webhook.conf" >"$tmp/nginx/site.conf"
	grep -q "listen 127.0.0.1:$port ssl;" "$tmp/nginx/site.conf" ||
		{ echo "FAIL: nginx-webhook.conf: no \"listen 443 ssl;\" line"; exit 1; }
	cat >"$tmp/nginx/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/nginx;
    proxy_temp_path $tmp/nginx;
    include $tmp/nginx/site.conf;
}
EOF
	if ! out=$(nginx -t -q -e stderr -c "$tmp/nginx/nginx.conf" 2>&1); then
		echo "$out"
		echo "FAIL: nginx -t"
		exit 1
	fi
	echo "ok: nginx -t"
fi
echo "deploy/verify.sh: all checks passed"
