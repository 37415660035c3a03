#!/usr/bin/env python3
"""Structural check of ../*.jsonl: parse, unique ids, required fields, and a light lint that
evaluation (non-error) cases only use well-formed policies. Prints the count per file."""
import glob, json, os, re, sys

BASE = ["String" + s for s in ("Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike")] + \
       ["Numeric" + s for s in ("Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")] + \
       ["Date" + s for s in ("Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals")] + \
       ["Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"]
OPS = set()
for b in BASE:
    for pre in ("", "ForAllValues:", "ForAnyValue:"):
        OPS.add(pre + b); OPS.add(pre + b + "IfExists")
OPS.add("Null")
TYPES = {"string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList"}
STMT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}


def lint_policy(p, where):
    errs = []
    if isinstance(p, str):
        try:
            p = json.loads(p)
        except Exception as e:
            return [f"{where}: raw text does not parse: {e}"]
    if not isinstance(p, dict):
        return [f"{where}: not an object"]
    if set(p) - {"Version", "Statement", "Id"} or "Statement" not in p:
        errs.append(f"{where}: top-level keys {list(p)}")
    if p.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        errs.append(f"{where}: Version")
    stmts = p.get("Statement")
    stmts = [stmts] if isinstance(stmts, dict) else stmts or []
    sids = set()
    for i, s in enumerate(stmts):
        w = f"{where}/Statement/{i}"
        if set(s) - STMT_KEYS: errs.append(f"{w}: keys {list(s)}")
        if s.get("Effect") not in ("Allow", "Deny"): errs.append(f"{w}: Effect")
        if ("Action" in s) == ("NotAction" in s): errs.append(f"{w}: Action/NotAction")
        if ("Resource" in s) == ("NotResource" in s): errs.append(f"{w}: Resource/NotResource")
        if "Sid" in s:
            if not re.fullmatch(r"[A-Za-z0-9]*", s["Sid"]) or s["Sid"] in sids: errs.append(f"{w}: Sid")
            sids.add(s["Sid"])
        acts = s.get("Action", s.get("NotAction"))
        acts = [acts] if isinstance(acts, str) else acts
        if not acts or any(a != "*" and ":" not in a for a in acts): errs.append(f"{w}: actions {acts}")
        res = s.get("Resource", s.get("NotResource"))
        res = [res] if isinstance(res, str) else res
        if not res or any(r != "*" and not r.startswith("arn:") for r in res): errs.append(f"{w}: resources {res}")
        for op, block in (s.get("Condition") or {}).items():
            if op not in OPS: errs.append(f"{w}: operator {op}")
            for k, vals in block.items():
                vals = vals if isinstance(vals, list) else [vals]
                if any(isinstance(x, (dict, list)) or x is None for x in vals): errs.append(f"{w}: value type {k}")
    return errs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ids, total, bad = set(), 0, []
    try:
        for l in open("/work/shared/conformance/cases.jsonl"):
            ids.add(json.loads(l)["id"])
    except OSError:
        pass
    for path in sorted(glob.glob(os.path.join(here, "..", "*.jsonl"))):
        n = 0
        for ln, line in enumerate(open(path), 1):
            where = f"{os.path.basename(path)}:{ln}"
            try:
                c = json.loads(line)
            except Exception as e:
                bad.append(f"{where}: {e}"); continue
            n += 1
            for k in ("id", "principal", "action", "resource", "context", "identityPolicies"):
                if k not in c: bad.append(f"{where}: missing {k}")
            if c.get("id") in ids: bad.append(f"{where}: duplicate id {c.get('id')}")
            ids.add(c.get("id"))
            if ("expect" in c) == ("expectError" in c): bad.append(f"{where}: need exactly one of expect/expectError")
            if "expect" in c and c["expect"] not in ("Allowed", "ImplicitlyDenied", "ExplicitlyDenied"): bad.append(f"{where}: expect")
            for k, v in c.get("context", {}).items():
                if isinstance(v, dict) and (v.get("type") not in TYPES or not isinstance(v.get("values"), list)): bad.append(f"{where}: typed key {k}")
            if "expect" in c:
                pols = [("identity", p) for p in c["identityPolicies"]] + [("boundary", p) for p in c.get("permissionBoundaries", [])] + \
                       [("scp", p) for p in c.get("scps", [])] + ([("session", c["sessionPolicy"])] if "sessionPolicy" in c else [])
                for w, p in pols:
                    bad += [f"{where} {c['id']} {e}" for e in lint_policy(p, w)]
        print(f"{os.path.basename(path)}: {n}")
        total += n
    print("total:", total)
    for b in bad:
        print("ERROR", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
