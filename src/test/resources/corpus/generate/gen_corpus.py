#!/usr/bin/env python3
"""Writes ../*.jsonl. Expected decisions are hand-written in the c_*.py modules."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common
import c_actions_resources, c_strings, c_num_date, c_bool_ip_arn, c_null_ife_set, c_vars_layers, c_malformed  # noqa: F401

if __name__ == "__main__":
    out = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    counts = common.write_all(out)
    for k, n in counts.items():
        print(f"{k}.jsonl {n}")
    print("total", sum(counts.values()))
