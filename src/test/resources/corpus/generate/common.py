"""Shared helpers for the hand-written IAM evaluation corpus.

Every case's expected decision is written by hand from AWS's documented semantics
(see /work/shared/reference/iam-evaluation-facts.md); nothing here evaluates policies.
Helpers `ca`/`cd` only wrap a hand-judged condition outcome (`holds`) into the
standard Allow-side / Deny-side policy shapes.
"""
import json, os, itertools

AC = "111122223333"
AC2 = "444455556666"
V12 = "2012-10-17"

ALICE = f"arn:aws:iam::{AC}:user/alice"
BOB_USER = f"arn:aws:iam::{AC}:user/support/bob"
ROLE_SESS = f"arn:aws:sts::{AC}:assumed-role/ConnectSupervisor/maria"
ROLE_SESS2 = f"arn:aws:sts::{AC}:assumed-role/ConnectAdmin/ops-automation"
FED = f"arn:aws:sts::{AC}:federated-user/carlos"

I1 = "6a2c9e4d-1f3b-4c5a-8e7d-2b1a0c9f8e7d"   # us-east-1 production instance
I2 = "d41c7b2e-88a0-4f6e-9c13-5e2f7a9b0c11"   # us-east-1 sandbox instance
I3 = "0b9e3f5a-6c7d-4e8f-a1b2-c3d4e5f6a7b8"   # eu-west-2 instance

U1 = "7e3d9f21-5a4b-4c6d-8e9f-0a1b2c3d4e5f"
U2 = "c0ffee11-2222-4333-8444-555566667777"
Q1 = "3b8f1c2d-9e4a-4b7c-a6d5-e8f9a0b1c2d3"
Q2 = "8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d"
RP1 = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
CF1 = "2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d"
SP1 = "9a8b7c6d-5e4f-4321-8fed-cba987654321"
HG1 = "5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f"
PN1 = "a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d"
HO1 = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
QC1 = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"
PR1 = "6b7c8d9e-0f1a-4b2c-8d3e-4f5a6b7c8d9e"
AS1 = "0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a"
CT1 = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
VW1 = "e8f9a0b1-c2d3-4e4f-a5b6-c7d8e9f0a1b2"
EF1 = "c9d0e1f2-a3b4-4c5d-8e6f-7a8b9c0d1e2f"
TDG1 = "3f4a5b6c-7d8e-4f9a-8b0c-1d2e3f4a5b6c"


def carn(rest, region="us-east-1", acct=AC):
    return f"arn:aws:connect:{region}:{acct}:{rest}"


def sub(kind, rid, inst=I1, region="us-east-1", acct=AC):
    return carn(f"instance/{inst}/{kind}/{rid}", region, acct)


R_INST = carn(f"instance/{I1}")
R_INST2 = carn(f"instance/{I2}")
R_USER = sub("agent", U1)
R_USER2 = sub("agent", U2)
R_QUEUE = sub("queue", Q1)
R_QUEUE2 = sub("queue", Q2)
R_QUEUE_I2 = sub("queue", Q2, I2)
R_QUEUE_EU = sub("queue", Q1, I3, "eu-west-2")
R_RP = sub("routing-profile", RP1)
R_CF = sub("contact-flow", CF1)
R_SP = sub("security-profile", SP1)
R_HG = sub("agent-group", HG1)
R_PN = carn(f"phone-number/{PN1}")
R_HO = sub("operating-hours", HO1)
R_QC = sub("transfer-destination", QC1)
R_PR = sub("prompt", PR1)
R_AS = sub("agent-state", AS1)
R_CT = sub("contact", CT1)
R_VIEWQ = sub("view", VW1 + ":$LATEST")
R_VIEW = sub("view", VW1)
R_EF = sub("evaluation-form", EF1)
R_TDG = carn(f"traffic-distribution-group/{TDG1}")
R_WQUEUE = sub("queue", "*")   # wildcard-queue resource type used by ListQueues

PAIRS = [
    ("connect:DescribeQueue", R_QUEUE),
    ("connect:DescribeUser", R_USER),
    ("connect:DescribeRoutingProfile", R_RP),
    ("connect:DescribeContactFlow", R_CF),
    ("connect:UpdateQueueName", R_QUEUE),
    ("connect:DescribeSecurityProfile", R_SP),
    ("connect:DescribeUserHierarchyGroup", R_HG),
    ("connect:DescribePhoneNumber", R_PN),
    ("connect:DescribeHoursOfOperation", R_HO),
    ("connect:DescribeQuickConnect", R_QC),
    ("connect:DeleteUser", R_USER),
    ("connect:DescribeInstance", R_INST),
    ("connect:DescribePrompt", R_PR),
    ("connect:DescribeAgentStatus", R_AS),
    ("connect:UpdateRoutingProfileName", R_RP),
    ("connect:DescribeEvaluationForm", R_EF),
]
_pair_cycle = itertools.cycle(PAIRS)


def P(*stmts, v=V12):
    d = {}
    if v is not None:
        d["Version"] = v
    d["Statement"] = list(stmts)
    return d


def S(effect, action=None, resource="*", cond=None, notaction=None, notresource=None, sid=None):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    if notaction is not None:
        s["NotAction"] = notaction
    else:
        s["Action"] = action
    if notresource is not None:
        s["NotResource"] = notresource
    else:
        s["Resource"] = resource
    if cond is not None:
        s["Condition"] = cond
    return s


def allow(a, r="*", c=None, **kw):
    return S("Allow", a, r, c, **kw)


def deny(a, r="*", c=None, **kw):
    return S("Deny", a, r, c, **kw)


ALLOW_ALL_CONNECT = allow("connect:*")
FULL = P(allow("*"))

PREFIX = {
    "actions": "act", "resources": "res", "string-operators": "str", "numeric": "num",
    "date": "date", "bool-binary": "bb", "ip": "ip", "arn-operators": "arn", "null": "null",
    "ifexists": "ife", "set-operators": "set", "variables": "var", "layers": "lay",
    "malformed": "mal",
}
CASES = {}
_counters = {}
_ids = set()


def case(f, slug, expect=None, pols=None, action="connect:DescribeQueue", resource=R_QUEUE,
         ctx=None, principal=ALICE, desc="", **kw):
    n = _counters[f] = _counters.get(f, 0) + 1
    cid = f"{PREFIX[f]}-{n:03d}-{slug}"
    assert cid not in _ids, cid
    _ids.add(cid)
    d = {"id": cid, "description": desc, "principal": principal, "action": action,
         "resource": resource, "context": ctx if ctx is not None else {},
         "identityPolicies": pols if pols is not None else []}
    for k in ("permissionBoundaries", "sessionPolicy", "scps", "sessionType"):
        if k in kw:
            d[k] = kw.pop(k)
    if "expectError" in kw:
        d["expectError"] = kw.pop("expectError")
        for k in ("line", "column"):
            if k in kw:
                d[k] = kw.pop(k)
    else:
        assert expect in ("Allowed", "ImplicitlyDenied", "ExplicitlyDenied"), (cid, expect)
        d["expect"] = expect
    assert not kw, (cid, kw)
    CASES.setdefault(f, []).append(d)
    return d


def ca(f, slug, cond, ctx, holds, desc, pair=None, principal=ALICE, v=V12, **kw):
    """Allow side: the only Allow statement carries `cond`. holds = hand-judged truth of cond."""
    a, r = pair or next(_pair_cycle)
    return case(f, slug, "Allowed" if holds else "ImplicitlyDenied",
                [P(allow(a, "*", cond), v=v)], a, r, ctx, principal, desc, **kw)


def cd(f, slug, cond, ctx, holds, desc, pair=None, principal=ALICE, v=V12, **kw):
    """Deny side: Allow connect:* plus a Deny carrying `cond`. holds = hand-judged truth of cond."""
    a, r = pair or next(_pair_cycle)
    return case(f, slug, "ExplicitlyDenied" if holds else "Allowed",
                [P(ALLOW_ALL_CONNECT, deny("connect:*", "*", cond), v=v)], a, r, ctx, principal, desc, **kw)


def pos(text, needle, occurrence=1):
    """1-based (line, column) of the start of the n-th occurrence of needle in text."""
    i = -1
    for _ in range(occurrence):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return line, col


def write_all(outdir):
    counts = {}
    for f, cases in CASES.items():
        with open(os.path.join(outdir, f + ".jsonl"), "w") as fh:
            for c in cases:
                fh.write(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts[f] = len(cases)
    return counts
