#!/bin/bash
# interleaved, un-niced: this tree (new) and main 4007986 (/tmp/cold6-main), the session-3..5 bench command, table section
for i in $(seq 1 ${1:-2}); do
  for side in new main; do
    dir=/work/wt/cold; [ $side = main ] && dir=/tmp/cold6-main
    echo "=== $side round $i $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd $dir && node bin/nnlab.js bench --seconds 0.2 --rounds 2 --workloads seed --impls nnlab-js-f64 --no-product --no-tfjs --no-sweeps 2>&1 | grep -E '10,000 runs.*first answer|list 10,000')
  done
done
echo "=== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
