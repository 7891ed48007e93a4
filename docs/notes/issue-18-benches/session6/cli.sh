#!/bin/bash
# a new process each time, alternating: this tree (new) on cli-new.sqlite, main 4007986 on cli-main.sqlite; un-niced
for i in $(seq 0 ${1:-3}); do
  for side in new main; do
    dir=/work/wt/cold; [ $side = main ] && dir=/tmp/cold6-main
    l=$(cut -d' ' -f1 /proc/loadavg)
    t=$( { /usr/bin/time -f "%e s wall, user %U s, sys %S s" node $dir/bin/nnlab.js runs list --db /tmp/cold6/cli-$side.sqlite --where 'activation = relu and r2 < 0.5' > /tmp/cold6/cli-$side.out; } 2>&1 | tail -1)
    echo "$side #$i load $l: $t ($(wc -l < /tmp/cold6/cli-$side.out) lines)"
  done
done
