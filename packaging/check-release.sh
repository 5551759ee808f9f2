#!/usr/bin/env bash
# Installs the release tarball (cli/target/slb-VERSION-linux.tar.gz, built by mvn package) into a temporary root,
# as `tar -xzf ... -C /` would install it, and checks it there without Maven: slb --version, slb demo, the shell
# completion, the manual page, and the systemd unit (with systemd-analyze verify where systemd is installed).
#   packaging/check-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=$(ls cli/target/slb-*-linux.tar.gz 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "check-release: no cli/target/slb-*-linux.tar.gz (run mvn package first)" >&2; exit 2; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
tar -xzf "$tarball" -C "$root"
for file in usr/bin/slb usr/lib/slb/slb.jar lib/systemd/system/slb.service usr/share/man/man1/slb.1 \
            usr/share/bash-completion/completions/slb usr/share/zsh/vendor-completions/_slb \
            etc/slb/config.yaml.example usr/share/doc/slb/operations.md; do
  [ -e "$root/$file" ] || { echo "check-release: $file is missing from $tarball" >&2; exit 1; }
done

# Run from the installed tree, from another directory: nothing of the checkout or of Maven is used.
cd "$root"
version=$(PATH=/usr/bin:/bin "$root/usr/bin/slb" --version)
echo "check-release: $version"
case "$version" in "slb "*" (stateless-lb; Java "*) ;; *) echo "check-release: unexpected --version" >&2; exit 1;; esac
"$root/usr/bin/slb" demo --data-dir "$root/demo" > "$root/demo.txt" \
  || { echo "check-release: slb demo failed; what it printed last:" >&2; tail -20 "$root/demo.txt" >&2; exit 1; }
grep -q "rejected" "$root/demo.txt" && grep -q "TargetRegistered" "$root/demo.txt" \
  || { echo "check-release: slb demo did not run its scenario:" >&2; tail -20 "$root/demo.txt" >&2; exit 1; }
echo "check-release: slb demo ran from the installed tree ($(wc -l < "$root/demo.txt") lines)"

bash -n "$root/usr/share/bash-completion/completions/slb"
bash -c "source '$root/usr/share/bash-completion/completions/slb' && complete -p slb" > /dev/null
echo "check-release: the bash completion loads"
if command -v groff > /dev/null; then
  warnings=$(groff -man -ww -z "$root/usr/share/man/man1/slb.1" 2>&1)
  [ -z "$warnings" ] || { echo "check-release: the manual page has warnings: $warnings" >&2; exit 1; }
  echo "check-release: the manual page formats without a warning"
fi
if command -v systemd-analyze > /dev/null; then
  # verify checks that ExecStart's program exists: point it at the installed tree.
  unit=$(mktemp --suffix=.service -p "$root")
  sed "s|/usr/bin/slb|$root/usr/bin/slb|" "$root/lib/systemd/system/slb.service" > "$unit"
  systemd-analyze verify --man=no "$unit"
  echo "check-release: systemd-analyze verify accepts the unit"
else
  echo "check-release: systemd-analyze is not installed (apt-get install systemd); the unit is not verified"
fi
