#!/usr/bin/env python3
"""Prints a Markdown table of the median of each benchmark in build/bench.json (make bench)."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "build/bench.json"
with open(path) as f:
    data = json.load(f)
print("| benchmark | median items/s | ns per item | bytes per pending event |")
print("|---|---|---|---|")
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"].replace("/iterations:1/real_time", "")
    ips = b.get("items_per_second", 0)
    bpe = b.get("bytes_per_pending_event")
    bpe_s = f"{bpe:.0f}" if bpe is not None else ""
    print(f"| `{name}` | {ips/1e6:.2f}M | {1e9/ips if ips else 0:.0f} | {bpe_s} |")
