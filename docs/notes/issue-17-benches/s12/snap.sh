#!/bin/sh
# snap.sh NAME — a copy of the worktree's build (bin, out, package.json; node_modules linked) at /tmp/s12-NAME, for an A/B that later builds cannot disturb
set -e
d=/tmp/s12-$1; rm -rf "$d"; mkdir -p "$d"
cd /work/wt/speed12
cp -a bin out package.json "$d"/
[ -d resources ] && cp -a resources "$d"/
ln -s /work/wt/speed12/node_modules "$d"/node_modules
echo "$d $(git rev-parse --short HEAD) $(git status --short | wc -l) dirty"
