#!/usr/bin/env python3
"""Sums the allocations `AllocationSites` recorded, per invocation.

usage: allocation_sites.py SITES.txt INVOCATIONS [stage|method|site] [TOP]
  SITES.txt   `jfr print --events jdk.ObjectAllocationOutsideTLAB --stack-depth 30` of the recording
  stage       by the step of the invocation (the frame under GatewayAuthorizer.answer / EventDispatcher.dispatch)
  method      by the innermost application method (dev.edgeiam.*) that allocated (default)
  site        by that method and the class allocated
"""
import collections
import re
import sys

UNITS = {"bytes": 1, "kB": 1024, "MB": 1024 * 1024}


def main():
    text = open(sys.argv[1]).read()
    invocations = int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "method"
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    size_by, count_by = collections.Counter(), collections.Counter()
    for event in text.split("jdk.ObjectAllocationOutsideTLAB {")[1:]:
        if "AllocationSites.main" not in event:
            continue  # JFR's own and other threads' allocations
        frames = [re.sub(r"\s+line:.*", "", f).strip() for f in re.findall(r"^ {4}(\S.*)$", event, re.M)]
        m = re.search(r"allocationSize = ([\d.]+) (bytes|kB|MB)", event)
        size = float(m.group(1)) * UNITS[m.group(2)]
        app = next((f for f in frames if f.startswith("dev.edgeiam.") and ".bench." not in f), "?")
        if mode == "stage":
            key = "?"
            for i, f in enumerate(frames):
                if f.startswith(("dev.edgeiam.lambda.GatewayAuthorizer.answer(",
                                 "dev.edgeiam.lambda.EventDispatcher.dispatch(")):
                    key = re.sub(r"\(.*", "", frames[i - 1] if i > 0 else f)
                    break
        elif mode == "site":
            key = app + " <- " + re.search(r"objectClass = (\S+)", event).group(1)
        else:
            key = re.sub(r"\(.*", "", app)
        size_by[key] += size
        count_by[key] += 1
    total = sum(size_by.values())
    print(f"total {total / invocations:.0f} B and {sum(count_by.values()) / invocations:.0f} allocations per invocation")
    for key, size in size_by.most_common(top):
        print(f"{size / invocations:8.0f} B {count_by[key] / invocations:6.1f} x  {key}")


if __name__ == "__main__":
    main()
