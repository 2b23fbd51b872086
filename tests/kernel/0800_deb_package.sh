#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package: `make deb`'s script builds it (dpkg-buildpackage, then
# lintian: no errors), and it installs, works and purges in a throwaway root
# -- never on the machine itself: in a private mount namespace, an overlay
# whose lower layer is the machine's / (read-only) and whose upper layer is a
# tmpfs takes every write; dpkg -i, natsh -V, man -w, the bash completion and
# systemd-analyze verify of the installed unit and dpkg --purge run chrooted in it.  Afterwards the upper layer must hold
# nothing but dpkg's own records (and man-db's index): the purge left nothing.
source "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/natsh-0800.XXXXXX)
trap 'rm -rf --one-file-system "$tmp"; nsh_cleanup' EXIT
version=$(sed -n 's/^VERSION *:= *//p' "$NSH_TOP/Makefile")
arch=$(dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null || dpkg --print-architecture)
deb=$NSH_TOP/build-deb/natsh_${version}_$arch.deb

out=$("$NSH_TOP/tools/deb-build.sh" "$version" 2>&1); rc=$?
expect_eq "make deb: dpkg-buildpackage and lintian succeed" "$rc" "0"
[ $rc -eq 0 ] || printf '%s\n' "$out" | tail -20 | sed 's/^/#   /'
[ -f "$deb" ] && ok "built natsh_${version}_$arch.deb" || { fail "built $deb"; nsh_done; }
lint=$(cat "$NSH_TOP/build-deb/lintian.log")
[[ $lint =~ (^|$'\n')E: ]] && fail "lintian: no errors" || ok "lintian: no errors"
printf '%s\n' "$lint" | sed 's/^/#   lintian: /'
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/sbin/natsh ./usr/share/man/man1/natsh.1.gz \
	./usr/share/bash-completion/completions/natsh ./lib/systemd/system/natsh.service \
	./lib/systemd/system/natsh-metrics.service ./lib/systemd/system/natsh-metrics.timer \
	./usr/share/doc/natsh/copyright; do
	grep -qx "$f" <<<"$files" && ok "the package has ${f#.}" || fail "the package has ${f#.}"
done
expect_match "the package depends on the libraries it links (shared)" \
	"$(dpkg-deb -f "$deb" Depends)" 'libnftnl11.*|.*libnftnl11'
expect_match "copyright: GPL-3+" "$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/doc/natsh/copyright)" \
	'License: GPL-3\+'

# the throwaway root: what runs inside it (chrooted), its output checked below
cat >"$tmp/inside.sh" <<'IN'
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
echo "== install"; dpkg -i /mnt/natsh.deb >/tmp/dpkg.log 2>&1; echo "rc=$?"
echo "== dpkg.log"; cat /tmp/dpkg.log
echo "== status"; dpkg-query -W -f='${Status}\n' natsh
echo "== version"; /usr/sbin/natsh -V
echo "== man"; man -w natsh
echo "== enabled"; ls /etc/systemd/system/sysinit.target.wants/ 2>/dev/null | grep natsh
echo "== timer"; ls /etc/systemd/system/timers.target.wants/ 2>/dev/null | grep natsh
echo "== verify"; SYSTEMD_LOG_COLOR=0 systemd-analyze verify /lib/systemd/system/natsh.service \
	/lib/systemd/system/natsh-metrics.service /lib/systemd/system/natsh-metrics.timer 2>&1; echo "rc=$?"
echo "== completion"
bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null
	_completion_loader natsh; complete -p natsh
	COMP_LINE="natsh sav"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(natsh sav); COMP_CWORD=1
	_natsh; echo "${COMPREPLY[*]}"'
echo "== purge"; dpkg --purge natsh >/dev/null 2>&1; echo "rc=$?"
echo "== after"; dpkg-query -W -f='${Status}\n' natsh 2>&1 | grep -c 'install ok'
ls /usr/sbin/natsh /lib/systemd/system/natsh.service 2>&1 | grep -c 'No such file'
echo "== end"
IN
mkdir "$tmp/ovl"
timeout 120 unshare --mount --propagation private -- bash -c '
	set -e
	t=$1 deb=$2
	mount -t tmpfs -o mode=755,size=256m throwaway "$t/ovl"
	mkdir "$t/ovl/upper" "$t/ovl/work" "$t/ovl/root"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$t/ovl/upper,workdir=$t/ovl/work" "$t/ovl/root"
	r=$t/ovl/root
	mount -t proc proc "$r/proc"
	mount --rbind /dev "$r/dev"
	mount -t tmpfs tmp "$r/tmp"
	mount -t tmpfs -o mode=755 run "$r/run"
	mkdir -p "$t/deb" && cp "$deb" "$t/deb/natsh.deb"
	mount --bind "$t/deb" "$r/mnt" && mount -o remount,bind,ro "$r/mnt"
	chroot "$r" /bin/bash <"$t/inside.sh" >"$t/inside.out" 2>&1 || true
	# every entry of the upper layer but directories: what the package left
	(cd "$t/ovl/upper" && find . ! -type d | sed "s/^\.//" | sort) >"$t/left"
' - "$tmp" "$deb"
rc=$?
expect_eq "the throwaway root ran" "$rc" "0"
in=$(cat "$tmp/inside.out" 2>/dev/null)
sec() { awk -v s="== $1" '$0 == s {p=1; next} /^== / {p=0} p' <<<"$in"; }
expect_eq "dpkg -i installs it" "$(sec install)" "rc=0"
expect_eq "dpkg says: install ok installed" "$(sec status)" "install ok installed"
expect_eq "natsh -V" "$(sec version)" "natsh $version"
expect_eq "man -w natsh" "$(sec man)" "/usr/share/man/man1/natsh.1.gz"
expect_eq "natsh.service is enabled (sysinit.target.wants)" "$(sec enabled)" "natsh.service"
expect_eq "natsh-metrics.timer is not enabled" "$(sec timer)" ""
expect_eq "systemd-analyze verify natsh.service, natsh-metrics.{service,timer} (installed): no complaint" "$(sec verify)" "rc=0"
expect_eq "the completion: registered, completes sav -> save" "$(sec completion)" \
	$'complete -F _natsh natsh\nsave'
expect_eq "dpkg --purge" "$(sec purge)" "rc=0"
expect_eq "after the purge: not installed, no file" "$(sec after)" $'0\n2'
[ "$(sec install)" = rc=0 ] && [ "$(tail -1 <<<"$in")" = "== end" ] || printf '%s\n' "$in" | sed 's/^/#   /'
# allowed: dpkg's database and log, man-db's index and its formatted-page
# cache (systemd-analyze verify runs man for Documentation=man:natsh(1)), ld.so's cache
left=$(grep -Ev '^/var/lib/dpkg/|^/var/log/|^/var/cache/(man|debconf|ldconfig)/|^/etc/ld\.so\.cache$' "$tmp/left")
expect_eq "nothing left after the purge (outside dpkg's own records)" "$left" ""
expect_eq "the purge left no file with natsh in its name" \
	"$(grep -Ev '^/var/lib/dpkg/|^/var/cache/man/' "$tmp/left" | grep natsh)" ""

nsh_done
