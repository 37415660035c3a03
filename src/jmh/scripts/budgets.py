#!/usr/bin/env python3
"""Checks a JMH JSON result file (java -jar target/benchmarks.jar ... -prof gc -rf json -rff FILE) against the
performance budgets in BENCHMARKS.md and prints one line per budget. Exit status 1 when a measured budget is
blown; budgets whose benchmark is missing from the file are reported as "not measured".

Usage: python3 src/jmh/scripts/budgets.py results.json
"""
import json
import sys

TO_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}

# (label, benchmark, params, metric: None = primary score as time, else a secondary metric name, statistic, limit)
BUDGETS = [
    # issue 15 (second round): the engine, the engine with the request built, the whole warm invocation
    ("evaluate connect-admin (median of iterations)", "dev.edgeiam.bench.EvaluateBenchmark.evaluate",
     {"scenario": "connect-admin"}, None, "median", 200.0, "ns"),
    ("evaluate hundred (median of iterations)", "dev.edgeiam.bench.EvaluateBenchmark.evaluate",
     {"scenario": "hundred"}, None, "median", 1000.0, "ns"),
    ("request build + evaluate connect-admin (median)", "dev.edgeiam.bench.EvaluateBenchmark.evaluateWithRequestBuild",
     {"scenario": "connect-admin"}, None, "median", 500.0, "ns"),
    ("warm REQUEST invocation, bytes -> bytes (median)", "dev.edgeiam.bench.AuthorizerBenchmark.warmInvocation",
     {"event": "rest-request"}, None, "median", 10000.0, "ns"),
    ("allocation per warm REQUEST invocation", "dev.edgeiam.bench.AuthorizerBenchmark.warmInvocation",
     {"event": "rest-request"}, "gc.alloc.rate.norm", "mean", 4096.0, "B/op"),
    # the same two budgets over requests that differ as real ones do (request id, time, trace header), so that what
    # is remembered from one request to the next is not credited where real traffic would not repeat it
    ("warm REQUEST invocation, unique requests (median)", "dev.edgeiam.bench.AuthorizerBenchmark.warmInvocationUnique",
     {"event": "rest-request"}, None, "median", 10000.0, "ns"),
    ("allocation per warm REQUEST invocation, unique requests",
     "dev.edgeiam.bench.AuthorizerBenchmark.warmInvocationUnique",
     {"event": "rest-request"}, "gc.alloc.rate.norm", "mean", 4096.0, "B/op"),
    ("compile, per AWS managed policy (average over 1,594)",
     "dev.edgeiam.bench.ManagedPolicyCompileBenchmark.compileAllPerPolicy", {}, None, "mean", 50000.0, "ns"),
] + [
    ("allocation per evaluate, " + s, "dev.edgeiam.bench.EvaluateBenchmark.evaluate", {"scenario": s},
     "gc.alloc.rate.norm", "mean", 100.0, "B/op")
    for s in ("small", "connect-admin", "hundred")
]
# Not a JMH figure, so not checked here: launch -> first answer of the packaged function <= 1.2 x a bare Quarkus echo
# Lambda packaged the same way (LaunchRun, see BENCHMARKS.md).


def find(results, benchmark, params):
    for r in results:
        if r["benchmark"] == benchmark and all(r.get("params", {}).get(k) == v for k, v in params.items()):
            return r
    return None


def main(path):
    results = json.load(open(path))
    failed = False
    for label, benchmark, params, metric, stat, limit, unit in BUDGETS:
        r = find(results, benchmark, params)
        m = None if r is None else (r["primaryMetric"] if metric is None else r["secondaryMetrics"].get(metric))
        if m is None:
            print(f"{label:55s} not measured")
            continue
        value = m["scorePercentiles"]["50.0"] if stat == "median" else m["score"]
        if metric is None:
            value *= TO_NS[m["scoreUnit"]]
        ok = value <= limit
        failed |= not ok
        print(f"{label:55s} {value:12.1f} {unit:5s} budget <= {limit:g} {unit}: {'ok' if ok else 'OVER BUDGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
