#!/bin/bash
# a new process each time, alternating, un-niced: new = this tree (59bce2f) on cli-new.sqlite, unchanged since its clean check;
# new-changed = this tree on cli-chg.sqlite, its mtime/ctime moved (touch) 3 s before each call, so checked each time;
# main = 4007986 on cli-main.sqlite. SIDES='new main' is the first set (~02:40, before 59bce2f's
# changed-file side existed; it was cli.sh, this loop without chg)
q='activation = relu and r2 < 0.5'
for i in $(seq 1 ${1:-3}); do
  [[ "${SIDES:-new chg main}" == *chg* ]] && { touch /tmp/cold6/cli-chg.sqlite; sleep 3; }
  for side in ${SIDES:-new chg main}; do
    dir=/work/wt/cold; [ $side = main ] && dir=/tmp/cold6-main
    l=$(cut -d' ' -f1 /proc/loadavg)
    t=$( { /usr/bin/time -f "%e s wall, user %U s, sys %S s" node $dir/bin/nnlab.js runs list --db /tmp/cold6/cli-$side.sqlite --where "$q" > /tmp/cold6/cli-$side.out; } 2>&1 | tail -1)
    echo "$side #$i $(date -u +%H:%M:%S) load $l: $t ($(wc -l < /tmp/cold6/cli-$side.out) lines)"
  done
done
