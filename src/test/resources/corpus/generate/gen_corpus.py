#!/usr/bin/env python3
"""Generates the IAM evaluation corpus ../*.jsonl (run: python3 gen_corpus.py).

Every expected decision below is written by hand from AWS's documented semantics
(/work/shared/reference/iam-evaluation-facts.md, cited per case in "description");
nothing here evaluates policies. `ca`/`cd` only wrap a hand-judged condition outcome
(`holds`) into the standard Allow-side / Deny-side policy shapes.
"""

import json, os, itertools, re

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


def _consistent_principal(c):
    """Data hygiene only: make `principal` agree with an explicit aws:PrincipalArn in the context."""
    pa = next((v for k, v in c["context"].items() if k.lower() == "aws:principalarn"), None)
    if not isinstance(pa, str):
        return
    m = re.fullmatch(r"arn:aws:iam::(\d{12}):role/(?:.*/)?([^/]+)", pa)
    if m:
        c["principal"] = f"arn:aws:sts::{m.group(1)}:assumed-role/{m.group(2)}/ops-session"
    elif re.fullmatch(r"arn:aws:iam::\d{12}:user/.+", pa):
        c["principal"] = pa


def write_all(outdir):
    counts = {}
    for f, cases in CASES.items():
        with open(os.path.join(outdir, f + ".jsonl"), "w") as fh:
            for c in cases:
                _consistent_principal(c)
                fh.write(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n")
        counts[f] = len(cases)
    return counts

# ======================================================================
# section: actions_resources
# ======================================================================

F = "actions"
A_, I_, E_ = "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"


def act(slug, exp, stmt_action, req_action, resource, desc, notaction=False):
    st = allow(None, "*", notaction=stmt_action) if notaction else allow(stmt_action)
    case(F, slug, exp, [P(st)], req_action, resource, desc=desc)


act("connect-star", A_, "connect:*", "connect:DescribeQueue", R_QUEUE, "[Act] connect:* matches every connect action")
act("describe-star", A_, "connect:Describe*", "connect:DescribeRoutingProfile", R_RP, "[Act] trailing * matches the rest of the action name")
act("describe-star-vs-delete", I_, "connect:Describe*", "connect:DeleteQueue", R_QUEUE, "[Act] Describe* does not match DeleteQueue")
act("infix-star", A_, "connect:*Queue*", "connect:UpdateQueueName", R_QUEUE, "[Act] * on both sides of a literal")
act("infix-star-miss", I_, "connect:*Queue*", "connect:DescribeUser", R_USER, "[Act] *Queue* does not match DescribeUser")
act("leading-star-suffix", A_, "connect:*Name", "connect:UpdateRoutingProfileName", R_RP, "[Act] leading * with literal suffix")
act("middle-star", A_, "connect:Update*Name", "connect:UpdateUserHierarchyGroupName", R_HG, "[Act] * in the middle of the action name")
act("middle-star-miss", I_, "connect:Update*Name", "connect:UpdateQueueStatus", R_QUEUE, "[Act] Update*Name needs the Name suffix")
act("star-matches-empty", A_, "connect:DescribeQueue*", "connect:DescribeQueue", R_QUEUE, "[Act] * matches the empty run")
act("no-implicit-prefix", I_, "connect:Describe", "connect:DescribeQueue", R_QUEUE, "[Act] an action without wildcard must match the whole name")
act("truncated-name", I_, "connect:DescribeQueu", "connect:DescribeQueue", R_QUEUE, "[Act] a truncated action name is a different action")
act("qmark-first", A_, "connect:?escribeQueue", "connect:DescribeQueue", R_QUEUE, "[Act] ? matches exactly one character")
act("qmark-middle", A_, "connect:Describe?ueue", "connect:DescribeQueue", R_QUEUE, "[Act] ? matches exactly one character")
act("qmark-two-too-many", I_, "connect:Describe??Queue", "connect:DescribeQueue", R_QUEUE, "[Act] ?? needs two characters where there are none")
act("qmark-list", A_, "connect:List?ueues", "connect:ListQueues", R_WQUEUE, "[Act] ? inside a List action")
act("qmark-double", A_, "connect:Delete??er", "connect:DeleteUser", R_USER, "[Act] ?? matches exactly two characters")
act("qmark-not-empty", I_, "connect:DeleteUser?", "connect:DeleteUser", R_USER, "[Act] ? does not match the empty string")
act("upper-case-policy", A_, "CONNECT:DESCRIBEQUEUE", "connect:DescribeQueue", R_QUEUE, "[Act] prefix and name are case-insensitive")
act("lower-case-policy", A_, "connect:describeuserhierarchygroup", "connect:DescribeUserHierarchyGroup", R_HG, "[Act] action name case-insensitive")
act("case-insensitive-wildcard", A_, "connect:describe*", "connect:DescribeContactFlow", R_CF, "[Act] wildcard pattern matched case-insensitively")
act("case-insensitive-qmark", A_, "Connect:DESCRIBE?ONTACTFLOW", "connect:DescribeContactFlow", R_CF, "[Act] ? with case-insensitive matching")
act("star-alone", A_, "*", "connect:DeleteInstance", R_INST, "[Act] \"*\" alone matches every action")
act("other-service", I_, "s3:*", "connect:DescribeQueue", R_QUEUE, "[Act] s3:* does not match a connect action")
act("similar-prefix", I_, "connects:DescribeQueue", "connect:DescribeQueue", R_QUEUE, "[Act] service prefix must match exactly")
act("array-one-matches", A_, ["s3:GetObject", "connect:DescribeQueue"], "connect:DescribeQueue", R_QUEUE, "[Act] Action list: any entry may match")
act("array-none-matches", I_, ["s3:GetObject", "connect:ListQueues", "connect:Describe?"], "connect:DescribeQueue", R_QUEUE, "[Act] Action list: no entry matches")
act("star-user-suffix", A_, "connect:*User", "connect:DescribeUser", R_USER, "[Act] *User suffix")
act("star-user-suffix-miss", I_, "connect:*User", "connect:DescribeUserHierarchyGroup", R_HG, "[Act] *User must end the action name")

# Deny side
def dact(slug, exp, deny_action, req_action, resource, desc, notaction=False):
    d = deny(None, "*", notaction=deny_action) if notaction else deny(deny_action)
    case(F, slug, exp, [P(ALLOW_ALL_CONNECT, d)], req_action, resource, desc=desc)

dact("deny-delete-star", E_, "connect:Delete*", "connect:DeleteQueue", R_QUEUE, "[Eval][Act] Deny with wildcard action beats Allow")
dact("deny-delete-star-other", A_, "connect:Delete*", "connect:DescribeQueue", R_QUEUE, "[Act] Deny Delete* does not apply to DescribeQueue")
dact("deny-case-insensitive", E_, "CONNECT:delete*", "connect:DeleteRoutingProfile", R_RP, "[Act] Deny action matched case-insensitively")
dact("deny-infix", E_, "connect:*Contact*", "connect:StopContact", R_CT, "[Act] Deny *Contact* matches StopContact")
dact("deny-qmark", E_, "connect:Update?ueue*", "connect:UpdateQueueName", R_QUEUE, "[Act] Deny with ? and *")
dact("deny-qmark-miss", A_, "connect:Update?ueue*", "connect:UpdateRoutingProfileName", R_RP, "[Act] Deny Update?ueue* does not match UpdateRoutingProfileName")
dact("deny-star-all", E_, "*", "connect:DescribeInstance", R_INST, "[Eval] Deny * beats Allow connect:*")
dact("deny-notaction-other", E_, "connect:Describe*", "connect:UpdateQueueName", R_QUEUE, "[Act] Deny NotAction Describe* denies every non-Describe action", notaction=True)
dact("deny-notaction-excluded", A_, "connect:Describe*", "connect:DescribeQueue", R_QUEUE, "[Act] Deny NotAction does not apply to the excluded actions", notaction=True)
dact("deny-notaction-list", A_, ["connect:List*", "connect:Describe*"], "connect:ListQueues", R_WQUEUE, "[Act] Deny NotAction list: ListQueues is excluded", notaction=True)
dact("deny-notaction-list-hit", E_, ["connect:List*", "connect:Describe*"], "connect:DeletePrompt", R_PR, "[Act] Deny NotAction list: DeletePrompt not excluded", notaction=True)

# NotAction allow side
act("notaction-allows-other", A_, "connect:Delete*", "connect:DescribeSecurityProfile", R_SP, "[Act] Allow NotAction grants the non-listed actions", notaction=True)
act("notaction-excludes", I_, "connect:Delete*", "connect:DeleteSecurityProfile", R_SP, "[Act] Allow NotAction does not grant listed actions", notaction=True)
act("notaction-case-insensitive", I_, "CONNECT:DELETE*", "connect:DeleteSecurityProfile", R_SP, "[Act] NotAction entries matched case-insensitively", notaction=True)
act("notaction-other-services", A_, ["iam:*", "s3:*"], "connect:DeleteUser", R_USER, "[Act] NotAction listing other services grants connect actions", notaction=True)
act("notaction-connect-star", I_, "connect:*", "connect:DescribeQueue", R_QUEUE, "[Act] NotAction connect:* excludes every connect action", notaction=True)
act("notaction-qmark", I_, "connect:Describe?ueue", "connect:DescribeQueue", R_QUEUE, "[Act] NotAction with ? excludes the matching action", notaction=True)
case(F, "notaction-with-resource-hit", A_, [P(allow(None, R_QUEUE, notaction="connect:Delete*"))], "connect:DescribeQueue", R_QUEUE,
     desc="[Act][Res] NotAction still requires the Resource to match")
case(F, "notaction-with-resource-miss", I_, [P(allow(None, R_QUEUE, notaction="connect:Delete*"))], "connect:DescribeUser", R_USER,
     desc="[Act][Res] NotAction grant limited to the listed Resource")
case(F, "two-statements-second-hits", A_, [P(allow("connect:Describe*"), allow("connect:Update*"))], "connect:UpdateQueueStatus", R_QUEUE,
     desc="[Eval] any statement may grant")
case(F, "second-policy-grants", A_, [P(allow("connect:List*")), P(allow("connect:Describe*"))], "connect:DescribeHoursOfOperation", R_HO,
     desc="[Eval] identity policies combine as a union")
case(F, "statement-as-object", A_, [{"Version": V12, "Statement": allow("connect:DescribePrompt")}], "connect:DescribePrompt", R_PR,
     desc="[Gram] Statement may be a single object")
case(F, "statement-with-sid", A_, [P(allow("connect:DescribeAgentStatus", sid="AllowAgentStatusRead"))], "connect:DescribeAgentStatus", R_AS,
     desc="[Sid] Sid does not affect matching")
case(F, "deny-second-policy", E_, [P(ALLOW_ALL_CONNECT), P(deny("connect:DeleteInstance"))], "connect:DeleteInstance", R_INST,
     desc="[Eval] Deny in any identity policy wins")

# ---------------------------------------------------------------- resources
F = "resources"


def res(slug, exp, pattern, resource, desc, action="connect:DescribeQueue", notres=False):
    st = allow(action, notresource=pattern) if notres else allow(action, pattern)
    case(F, slug, exp, [P(st)], action, resource, desc=desc)


def dres(slug, exp, pattern, resource, desc, action="connect:DescribeQueue", notres=False):
    d = deny("connect:*", notresource=pattern) if notres else deny("connect:*", pattern)
    case(F, slug, exp, [P(ALLOW_ALL_CONNECT, d)], action, resource, desc=desc)


res("exact", A_, R_QUEUE, R_QUEUE, "[Res] exact ARN")
res("exact-other-queue", I_, R_QUEUE2, R_QUEUE, "[Res] exact ARN of a different queue")
res("service-star-crosses", A_, "arn:aws:connect:*", R_USER, "[Res] segment-final * crosses colons: arn:aws:connect:* matches every Connect ARN", "connect:DescribeUser")
res("service-star-account-level", A_, "arn:aws:connect:*", R_PN, "[Res] arn:aws:connect:* matches an account-level phone-number ARN", "connect:DescribePhoneNumber")
res("region-star-crosses", A_, "arn:aws:connect:us-east-1:*", R_QUEUE, "[Res] arn:aws:connect:us-east-1:* matches every us-east-1 Connect ARN")
res("region-star-other-region", I_, "arn:aws:connect:us-east-1:*", R_QUEUE_EU, "[Res] arn:aws:connect:us-east-1:* does not match eu-west-2")
res("account-star", A_, f"arn:aws:connect:us-east-1:{AC}:*", R_RP, "[Res] resource part * matches everything", "connect:DescribeRoutingProfile")
res("account-star-other-account", I_, f"arn:aws:connect:us-east-1:{AC2}:*", R_RP, "[Res] different account", "connect:DescribeRoutingProfile")
res("partition-star", A_, "arn:aws:*", R_CF, "[Res] arn:aws:* matches every aws-partition ARN", "connect:DescribeContactFlow")
res("arn-star", A_, "arn:*", R_SP, "[Res] arn:* matches every ARN", "connect:DescribeSecurityProfile")
res("other-service-star", I_, "arn:aws:s3:*", R_QUEUE, "[Res] arn:aws:s3:* does not match a connect ARN")
res("other-partition", I_, "arn:aws-cn:connect:*", R_QUEUE, "[Res] partition must match")
res("instance-subtree", A_, f"arn:aws:connect:*:*:instance/{I1}/*", R_QUEUE, "[Res] instance/ID/* covers the instance's queues")
res("instance-subtree-not-instance", I_, f"arn:aws:connect:*:*:instance/{I1}/*", R_INST, "[Res] instance/ID/* needs a '/' after the ID; the instance ARN itself does not match", "connect:DescribeInstance")
res("instance-prefix-star-instance", A_, f"arn:aws:connect:*:*:instance/{I1}*", R_INST, "[Res] instance/ID* matches the instance ARN", "connect:DescribeInstance")
res("instance-prefix-star-child", A_, f"arn:aws:connect:*:*:instance/{I1}*", R_HO, "[Res] * in the resource part matches '/'", "connect:DescribeHoursOfOperation")
res("typed-subpath", A_, "arn:aws:connect:*:*:instance/*/queue/*", R_QUEUE, "[Res] instance/*/queue/* matches any queue")
res("typed-subpath-other-type", I_, "arn:aws:connect:*:*:instance/*/queue/*", R_RP, "[Res] instance/*/queue/* does not match a routing profile", "connect:DescribeRoutingProfile")
res("agent-subpath-other-instance", I_, f"arn:aws:connect:us-east-1:{AC}:instance/{I2}/agent/*", R_USER, "[Res] agent ARN in another instance", "connect:DescribeUser")
res("star-crosses-colon-in-resource", A_, sub("view", "*"), R_VIEWQ, "[Res] resource part is one string: * matches ':' in view/ID:$LATEST", "connect:DescribeView")
res("qualifier-star", A_, sub("view", VW1 + ":*"), R_VIEWQ, "[Res] view/ID:* matches the qualified view", "connect:DescribeView")
res("qualifier-star-unqualified", I_, sub("view", VW1 + ":*"), R_VIEW, "[Res] view/ID:* does not match the unqualified view", "connect:DescribeView")
res("qmark-last-char", A_, R_QUEUE[:-1] + "?", R_QUEUE, "[Res] ? matches one character")
res("qmark-extra", I_, R_QUEUE + "?", R_QUEUE, "[Res] ? does not match the empty string")
res("qmark-two-for-one", I_, R_QUEUE[:-1] + "??", R_QUEUE, "[Res] ?? needs two characters")
res("qmark-crosses-slash", A_, f"arn:aws:connect:us-east-1:{AC}:instance/{I1}?queue?{Q1}", R_QUEUE, "[Res] in the resource part ? also matches '/'")
res("region-qmark", A_, f"arn:aws:connect:us-east-?:{AC}:instance/{I1}/queue/{Q1}", R_QUEUE, "[Res] ? in the region segment")
res("region-qmark-miss", I_, f"arn:aws:connect:us-west-?:{AC}:instance/{I1}/queue/{Q1}", R_QUEUE, "[Res] us-west-? does not match us-east-1")
res("region-inner-star", A_, f"arn:aws:connect:us-*-1:{AC}:instance/{I1}/queue/{Q1}", R_QUEUE, "[Res] non-final * inside the region segment")
res("region-inner-star-miss", I_, f"arn:aws:connect:eu-*-1:{AC}:instance/{I1}/queue/{Q1}", R_QUEUE, "[Res] eu-*-1 does not match us-east-1")
res("inner-star-does-not-cross", I_, f"arn:aws:connect:us-*3:instance/{I1}/queue/{Q1}", R_QUEUE,
    "[Res] a * that is not the last character of its segment stays inside the segment (us-*3 would only match us-east-1:111122223333 by crossing ':')")
res("account-star-segment", A_, f"arn:aws:connect:us-east-1:*:instance/{I1}/queue/{Q1}", R_QUEUE, "[Res] * for the whole account segment")
res("case-resource-type", I_, f"arn:aws:connect:us-east-1:{AC}:instance/{I1}/QUEUE/{Q1}", R_QUEUE, "[Res] resource part is case-sensitive (QUEUE vs queue)")
res("case-resource-id", I_, f"arn:aws:connect:us-east-1:{AC}:instance/{I1.upper()}/queue/*", R_QUEUE, "[Res] resource part is case-sensitive (upper-case instance ID)")
res("array-second-matches", A_, [R_QUEUE2, sub("queue", "*")], R_QUEUE, "[Res] Resource list: any entry may match")
res("phone-number-account-level", A_, f"arn:aws:connect:us-east-1:{AC}:phone-number/*", R_PN, "[Res] account-level phone-number ARN", "connect:DescribePhoneNumber")
res("phone-number-not-under-instance", I_, f"arn:aws:connect:us-east-1:{AC}:instance/*/phone-number/*", R_PN, "[Res] instance/*/phone-number/* does not match the account-level phone-number ARN", "connect:DescribePhoneNumber")
res("tdg", A_, f"arn:aws:connect:*:{AC}:traffic-distribution-group/*", R_TDG, "[Res] traffic distribution group ARN", "connect:DescribeTrafficDistributionGroup")
res("wildcard-queue-literal", A_, sub("queue", "*"), R_WQUEUE, "[Res] ListQueues' resource is the literal ARN .../queue/*; a pattern .../queue/* matches it", "connect:ListQueues")
res("wildcard-queue-specific", I_, R_QUEUE, R_WQUEUE, "[Res] a specific queue ARN does not match the literal .../queue/* resource", "connect:ListQueues")
dres("deny-region-star", E_, "arn:aws:connect:eu-west-2:*", R_QUEUE_EU, "[Res] Deny arn:aws:connect:eu-west-2:* applies to an eu-west-2 queue (fails closed)")
dres("deny-region-star-other", A_, "arn:aws:connect:eu-west-2:*", R_QUEUE, "[Res] Deny arn:aws:connect:eu-west-2:* does not touch us-east-1")
dres("deny-service-star", E_, "arn:aws:connect:*", R_HG, "[Res] Deny arn:aws:connect:* covers every Connect ARN", "connect:DescribeUserHierarchyGroup")
dres("deny-exact", E_, R_USER, R_USER, "[Eval] Deny on exact ARN", "connect:DeleteUser")
dres("deny-case-mismatch", A_, R_USER.replace("agent", "Agent"), R_USER, "[Res] Deny with wrong-case resource part does not match", "connect:DeleteUser")
dres("deny-instance-subtree", E_, f"arn:aws:connect:*:*:instance/{I1}/*", R_CF, "[Res] Deny on an instance subtree", "connect:UpdateContactFlowContent")
res("notresource-other", A_, f"arn:aws:connect:*:*:instance/{I2}/*", R_QUEUE, "[Res] Allow NotResource grants resources outside the list", notres=True)
res("notresource-listed", I_, f"arn:aws:connect:*:*:instance/{I2}/*", R_QUEUE_I2, "[Res] Allow NotResource does not grant listed resources", notres=True)
res("notresource-service-star", I_, "arn:aws:connect:*", R_QUEUE, "[Res] NotResource arn:aws:connect:* excludes every Connect ARN", notres=True)
res("notresource-list", I_, [R_QUEUE2, R_QUEUE], R_QUEUE, "[Res] NotResource list: any listed entry excludes", notres=True)
res("notresource-case", A_, R_QUEUE.replace("queue", "Queue"), R_QUEUE, "[Res] NotResource entry compared case-sensitively, so it does not exclude", notres=True)
dres("deny-notresource-region-lock", E_, "arn:aws:connect:us-east-1:*", R_QUEUE_EU, "[Res] Deny NotResource region lock denies eu-west-2", notres=True)
dres("deny-notresource-region-lock-ok", A_, "arn:aws:connect:us-east-1:*", R_QUEUE, "[Res] Deny NotResource region lock spares us-east-1", notres=True)
dres("deny-notresource-list", A_, [f"arn:aws:connect:*:*:instance/{I2}/*", f"arn:aws:connect:*:*:instance/{I1}/*"], R_QUEUE, "[Res] Deny NotResource list: resource is listed", notres=True)

# actions without a resource type: authorized against "*"
def wo(slug, exp, pols, action, desc):
    case(F, slug, exp, pols, action, "*", desc=desc)

wo("noresource-star", A_, [P(allow("connect:ListInstances"))], "connect:ListInstances", "[Res] action with no resource type is authorized against *")
wo("noresource-specific-arn", I_, [P(allow("connect:CreateInstance", f"arn:aws:connect:us-east-1:{AC}:instance/*"))], "connect:CreateInstance", "[Res] a statement naming an ARN does not grant an action that supports only *")
wo("noresource-list-with-star", A_, [P(allow("connect:*Instance*", [R_INST, "*"]))], "connect:CreateInstance", "[Res] Resource list containing * grants the *-only action")
wo("noresource-notresource", A_, [P(allow("connect:ListInstances", notresource=R_INST))], "connect:ListInstances", "[Res] Allow NotResource <ARN> grants the *-only action (* is not excluded)")
wo("noresource-deny-star", E_, [P(ALLOW_ALL_CONNECT, deny("connect:CreateInstance"))], "connect:CreateInstance", "[Eval] Deny with Resource * applies to a *-only action")
wo("noresource-deny-specific", A_, [P(ALLOW_ALL_CONNECT, deny("connect:ListInstances", R_INST))], "connect:ListInstances", "[Res] Deny naming a specific ARN does not apply to a *-only action")
wo("noresource-list-action-miss", I_, [P(allow("connect:List*", R_INST))], "connect:ListInstances", "[Res] List* on an instance ARN does not grant ListInstances")
wo("noresource-send-integration-event", A_, [P(allow("connect:Send*IntegrationEvent"))], "connect:SendIntegrationEvent", "[Res][Act] another *-only action")

# ======================================================================
# section: strings
# ======================================================================

F = "string-operators"
T, Fa = True, False
PT = "aws:PrincipalTag/dept"
RT = "aws:ResourceTag/env"
RQ = "aws:RequestTag/team"
REG = "aws:RequestedRegion"
CH = "connect:Channel"

# StringEquals
ca(F, "equals-match", {"StringEquals": {PT: "support"}}, {PT: "support"}, T, "[Ops] StringEquals exact match")
ca(F, "equals-case-differs", {"StringEquals": {PT: "support"}}, {PT: "Support"}, Fa, "[Ops] StringEquals is case-sensitive")
ca(F, "equals-multi-or-hit", {"StringEquals": {RT: ["dev", "test", "prod"]}}, {RT: "test"}, T, "[Cond] several values for one key combine as OR")
ca(F, "equals-multi-or-miss", {"StringEquals": {RT: ["dev", "test"]}}, {RT: "prod"}, Fa, "[Cond] OR of values: none matches")
ca(F, "equals-missing", {"StringEquals": {RT: "prod"}}, {}, Fa, "[Cond] missing key: positive operator is false")
ca(F, "equals-star-literal", {"StringEquals": {RT: "prod*"}}, {RT: "production"}, Fa, "[Ops] StringEquals treats * literally")
ca(F, "equals-star-literal-hit", {"StringEquals": {RT: "prod*"}}, {RT: "prod*"}, T, "[Ops] StringEquals: literal * equals literal *")
ca(F, "equals-trailing-space", {"StringEquals": {PT: "support"}}, {PT: "support "}, Fa, "[Ops] StringEquals compares exactly (trailing space)")
ca(F, "equals-instanceid", {"StringEquals": {"connect:InstanceId": I1}}, {"connect:InstanceId": I1}, T, "[Ops] StringEquals on connect:InstanceId")
ca(F, "equals-instanceid-other", {"StringEquals": {"connect:InstanceId": I1}}, {"connect:InstanceId": I2}, Fa, "[Ops] StringEquals on connect:InstanceId, other instance")
cd(F, "deny-equals-hit", {"StringEquals": {RT: "prod"}}, {RT: "prod"}, T, "[Ops] Deny StringEquals matches")
cd(F, "deny-equals-miss", {"StringEquals": {RT: "prod"}}, {RT: "dev"}, Fa, "[Ops] Deny StringEquals no match")
cd(F, "deny-equals-missing", {"StringEquals": {RT: "prod"}}, {}, Fa, "[Cond] Deny StringEquals with missing key does not apply")

# StringNotEquals
ca(F, "notequals-differs", {"StringNotEquals": {PT: "finance"}}, {PT: "support"}, T, "[Ops] StringNotEquals value differs")
ca(F, "notequals-equal", {"StringNotEquals": {PT: "finance"}}, {PT: "finance"}, Fa, "[Ops] StringNotEquals value equal")
ca(F, "notequals-case", {"StringNotEquals": {PT: "finance"}}, {PT: "Finance"}, T, "[Ops] StringNotEquals is case-sensitive")
ca(F, "notequals-nor-hit-one", {"StringNotEquals": {PT: ["finance", "legal"]}}, {PT: "legal"}, Fa, "[Cond] negated operator NOR: equals one listed value -> false")
ca(F, "notequals-nor-none", {"StringNotEquals": {PT: ["finance", "legal"]}}, {PT: "support"}, T, "[Cond] negated operator NOR: equals none -> true")
cd(F, "deny-region-lock-outside", {"StringNotEquals": {REG: ["us-east-1", "eu-west-2"]}}, {REG: "ap-southeast-2"}, T, "[Cond] Deny StringNotEquals region lock, region outside list")
cd(F, "deny-region-lock-inside", {"StringNotEquals": {REG: ["us-east-1", "eu-west-2"]}}, {REG: "eu-west-2"}, Fa, "[Cond] Deny StringNotEquals NOR, region is listed")
cd(F, "deny-region-lock-missing", {"StringNotEquals": {REG: ["us-east-1", "eu-west-2"]}}, {}, T, "[Cond] missing key: negated operator is true, Deny applies")

# StringEqualsIgnoreCase
ca(F, "eqic-upper", {"StringEqualsIgnoreCase": {CH: "CHAT"}}, {CH: "chat"}, T, "[Ops] StringEqualsIgnoreCase ignores case")
ca(F, "eqic-multi", {"StringEqualsIgnoreCase": {CH: ["voice", "Task"]}}, {CH: "TASK"}, T, "[Ops] StringEqualsIgnoreCase OR over values")
ca(F, "eqic-miss", {"StringEqualsIgnoreCase": {CH: ["voice", "task"]}}, {CH: "EMAIL"}, Fa, "[Ops] StringEqualsIgnoreCase no value matches")
ca(F, "eqic-missing", {"StringEqualsIgnoreCase": {CH: "voice"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "eqic-no-wildcard", {"StringEqualsIgnoreCase": {CH: "ch*"}}, {CH: "CHAT"}, Fa, "[Ops] StringEqualsIgnoreCase has no wildcards")
cd(F, "deny-eqic-hit", {"StringEqualsIgnoreCase": {RT: "PROD"}}, {RT: "Prod"}, T, "[Ops] Deny StringEqualsIgnoreCase matches regardless of case")

# StringNotEqualsIgnoreCase
ca(F, "neqic-same-ignoring-case", {"StringNotEqualsIgnoreCase": {CH: "VOICE"}}, {CH: "voice"}, Fa, "[Ops] StringNotEqualsIgnoreCase: equal ignoring case -> false")
ca(F, "neqic-differs", {"StringNotEqualsIgnoreCase": {CH: "VOICE"}}, {CH: "chat"}, T, "[Ops] StringNotEqualsIgnoreCase: differs -> true")
ca(F, "neqic-nor", {"StringNotEqualsIgnoreCase": {CH: ["VOICE", "CHAT"]}}, {CH: "Chat"}, Fa, "[Cond] NOR: equals (ignoring case) one listed value")
ca(F, "neqic-missing", {"StringNotEqualsIgnoreCase": {CH: "VOICE"}}, {}, T, "[Cond] missing key: negated operator true")
cd(F, "deny-neqic-hit", {"StringNotEqualsIgnoreCase": {PT: ["Support", "Operations"]}}, {PT: "marketing"}, T, "[Cond] Deny StringNotEqualsIgnoreCase: value matches none")
cd(F, "deny-neqic-miss", {"StringNotEqualsIgnoreCase": {PT: ["Support", "Operations"]}}, {PT: "OPERATIONS"}, Fa, "[Cond] Deny StringNotEqualsIgnoreCase: value matches one ignoring case")

# StringLike
ca(F, "like-star-empty", {"StringLike": {RT: "prod*"}}, {RT: "prod"}, T, "[Ops] StringLike * matches the empty run")
ca(F, "like-star-run", {"StringLike": {RT: "prod*"}}, {RT: "production"}, T, "[Ops] StringLike * matches any run")
ca(F, "like-leading-star", {"StringLike": {RQ: "*-agents"}}, {RQ: "tier1-agents"}, T, "[Ops] StringLike leading *")
ca(F, "like-middle-star", {"StringLike": {RQ: "team-*-emea"}}, {RQ: "team-billing-emea"}, T, "[Ops] StringLike * in the middle")
ca(F, "like-middle-star-miss", {"StringLike": {RQ: "team-*-emea"}}, {RQ: "team-billing-apac"}, Fa, "[Ops] StringLike suffix mismatch")
ca(F, "like-qmark", {"StringLike": {RQ: "tier?"}}, {RQ: "tier2"}, T, "[Ops] StringLike ? matches one character")
ca(F, "like-qmark-two", {"StringLike": {RQ: "tier?"}}, {RQ: "tier10"}, Fa, "[Ops] StringLike ? matches exactly one character")
ca(F, "like-qmark-empty", {"StringLike": {RQ: "tier?"}}, {RQ: "tier"}, Fa, "[Ops] StringLike ? does not match empty")
ca(F, "like-case-sensitive", {"StringLike": {RT: "Prod*"}}, {RT: "production"}, Fa, "[Ops] StringLike is case-sensitive")
ca(F, "like-multi-or", {"StringLike": {RT: ["dev*", "test*"]}}, {RT: "test-eu"}, T, "[Cond] StringLike OR over values")
ca(F, "like-missing", {"StringLike": {RT: "*"}}, {}, Fa, "[Cond] missing key: StringLike * is still false")
ca(F, "like-star-matches-slash-colon", {"StringLike": {"aws:UserAgent": "aws-cli/*"}}, {"aws:UserAgent": "aws-cli/2.15.0 Python/3.11 Linux/6.1 exe/x86_64:prompt/off"}, T, "[Ops] StringLike * matches '/' ':' and spaces")
cd(F, "deny-like-hit", {"StringLike": {"aws:ResourceTag/classification": "restricted*"}}, {"aws:ResourceTag/classification": "restricted-pci"}, T, "[Ops] Deny StringLike matches")
cd(F, "deny-like-miss", {"StringLike": {"aws:ResourceTag/classification": "restricted*"}}, {"aws:ResourceTag/classification": "public"}, Fa, "[Ops] Deny StringLike no match")

# StringNotLike
ca(F, "notlike-match", {"StringNotLike": {RQ: "sys-*"}}, {RQ: "sys-internal"}, Fa, "[Ops] StringNotLike: value matches pattern -> false")
ca(F, "notlike-nomatch", {"StringNotLike": {RQ: "sys-*"}}, {RQ: "billing"}, T, "[Ops] StringNotLike: value does not match -> true")
ca(F, "notlike-nor", {"StringNotLike": {RQ: ["sys-*", "aws-*"]}}, {RQ: "aws-managed"}, Fa, "[Cond] StringNotLike NOR: matches the second pattern")
ca(F, "notlike-missing", {"StringNotLike": {RQ: "sys-*"}}, {}, T, "[Cond] missing key: StringNotLike true")
cd(F, "deny-notlike-hit", {"StringNotLike": {"aws:PrincipalTag/team": "connect-*"}}, {"aws:PrincipalTag/team": "billing"}, T, "[Ops] Deny StringNotLike: principal not in connect-* teams")
cd(F, "deny-notlike-miss", {"StringNotLike": {"aws:PrincipalTag/team": "connect-*"}}, {"aws:PrincipalTag/team": "connect-ops"}, Fa, "[Ops] Deny StringNotLike: principal is in a connect-* team")
cd(F, "deny-notlike-missing", {"StringNotLike": {"aws:PrincipalTag/team": "connect-*"}}, {}, T, "[Cond] Deny StringNotLike with missing key applies")

# key-name case-insensitivity
ca(F, "keyname-upper-policy", {"StringEquals": {"AWS:PrincipalTag/Dept": "support"}}, {PT: "support"}, T, "[Cond] key names and tag keys are case-insensitive (policy spelling differs)")
ca(F, "keyname-lower-policy", {"StringEquals": {"aws:principaltag/dept": "support"}}, {"aws:PrincipalTag/Dept": "support"}, T, "[Cond] key names case-insensitive (context spelling differs)")
ca(F, "keyname-connect-upper", {"StringEquals": {"CONNECT:INSTANCEID": I1}}, {"connect:InstanceId": I1}, T, "[Cond] service key names case-insensitive")
ca(F, "keyname-ci-value-cs", {"StringEquals": {"aws:resourcetag/ENV": "prod"}}, {RT: "PROD"}, Fa, "[Cond] key name case-insensitive but StringEquals value still case-sensitive")
cd(F, "deny-keyname-ci", {"StringEquals": {"Aws:RequestedRegion": "ap-east-1"}}, {REG: "ap-east-1"}, T, "[Cond] Deny matches with differently-cased key name")

# several keys AND / several operators AND
ca(F, "two-keys-both", {"StringEquals": {PT: "support", RT: "prod"}}, {PT: "support", RT: "prod"}, T, "[Cond] several keys under one operator: AND")
ca(F, "two-keys-one-missing", {"StringEquals": {PT: "support", RT: "prod"}}, {PT: "support"}, Fa, "[Cond] AND with one key missing")
ca(F, "two-ops-both", {"StringEquals": {PT: "support"}, "StringLike": {RT: "prod*"}}, {PT: "support", RT: "prod-eu"}, T, "[Cond] several operators: AND")
ca(F, "two-ops-one-false", {"StringEquals": {PT: "support"}, "StringLike": {RT: "prod*"}}, {PT: "support", RT: "dev"}, Fa, "[Cond] several operators: one false -> false")
ca(F, "three-ops-mixed", {"StringEquals": {PT: "support"}, "StringNotEquals": {RT: "prod"}, "StringEqualsIgnoreCase": {CH: "voice"}}, {PT: "support", RT: "dev", CH: "VOICE"}, T, "[Cond] three operators all true")
cd(F, "deny-two-ops-one-false", {"StringEquals": {PT: "contractor"}, "StringLike": {RT: "prod*"}}, {PT: "contractor", RT: "dev"}, Fa, "[Cond] Deny with two operators needs both")
cd(F, "deny-two-ops-both", {"StringEquals": {PT: "contractor"}, "StringLike": {RT: "prod*"}}, {PT: "contractor", RT: "prod"}, T, "[Cond] Deny with two operators both true")
ca(F, "empty-string-equals", {"StringEquals": {"aws:ResourceTag/owner": ""}}, {"aws:ResourceTag/owner": ""}, T, "[Ops] empty string equals empty string")

# ======================================================================
# section: num_date
# ======================================================================
from datetime import datetime, timezone

F = "numeric"
T, Fa = True, False
MFA = "aws:MultiFactorAuthAge"
RD = "ec2:RoleDelivery"

ca(F, "eq-match", {"NumericEquals": {MFA: "3600"}}, {MFA: "3600"}, T, "[Ops] NumericEquals equal integers")
ca(F, "eq-decimal-form", {"NumericEquals": {MFA: "3600"}}, {MFA: "3600.0"}, T, "[Ops] NumericEquals compares numerically (3600 == 3600.0)")
ca(F, "eq-trailing-zero-decimal", {"NumericEquals": {RD: "2.50"}}, {RD: "2.5"}, T, "[Ops] NumericEquals decimals 2.50 == 2.5")
ca(F, "eq-miss", {"NumericEquals": {MFA: "3600"}}, {MFA: "3601"}, Fa, "[Ops] NumericEquals different")
ca(F, "eq-json-number", {"NumericEquals": {MFA: 300}}, {MFA: "300"}, T, "[Ops] NumericEquals with a JSON number in the policy")
ca(F, "eq-multi-or", {"NumericEquals": {RD: ["1.0", "2.0"]}}, {RD: "2"}, T, "[Cond] NumericEquals OR over values")
ca(F, "eq-missing", {"NumericEquals": {MFA: "0"}}, {}, Fa, "[Cond] missing key: Numeric operator false")
ca(F, "eq-negative", {"NumericEquals": {MFA: "-15"}}, {MFA: "-15.0"}, T, "[Ops] NumericEquals negative numbers")
ca(F, "ne-equal", {"NumericNotEquals": {MFA: "10"}}, {MFA: "10"}, Fa, "[Ops] NumericNotEquals equal -> false")
ca(F, "ne-differs", {"NumericNotEquals": {MFA: "10"}}, {MFA: "11"}, T, "[Ops] NumericNotEquals different -> true")
ca(F, "ne-nor-hit", {"NumericNotEquals": {MFA: ["10", "20"]}}, {MFA: "20"}, Fa, "[Cond] NumericNotEquals NOR: equals a listed value")
ca(F, "ne-nor-none", {"NumericNotEquals": {MFA: ["10", "20"]}}, {MFA: "30"}, T, "[Cond] NumericNotEquals NOR: equals none")
ca(F, "ne-missing", {"NumericNotEquals": {MFA: "10"}}, {}, T, "[Cond] missing key: NumericNotEquals true")
ca(F, "ne-decimal-equal", {"NumericNotEquals": {RD: "1"}}, {RD: "1.000"}, Fa, "[Ops] NumericNotEquals: 1 and 1.000 are equal")
ca(F, "lt-decimal", {"NumericLessThan": {RD: "1"}}, {RD: "0.5"}, T, "[Ops] NumericLessThan 0.5 < 1")
ca(F, "lt-equal", {"NumericLessThan": {MFA: "1"}}, {MFA: "1"}, Fa, "[Ops] NumericLessThan strict")
ca(F, "lt-negative", {"NumericLessThan": {MFA: "0"}}, {MFA: "-5"}, T, "[Ops] NumericLessThan -5 < 0")
ca(F, "lt-negative-decimals", {"NumericLessThan": {MFA: "-1"}}, {MFA: "-0.5"}, Fa, "[Ops] NumericLessThan -0.5 is not < -1")
ca(F, "lt-just-below", {"NumericLessThan": {MFA: "3600"}}, {MFA: "3599.999"}, T, "[Ops] NumericLessThan 3599.999 < 3600")
ca(F, "lt-not-lexicographic", {"NumericLessThan": {MFA: "100"}}, {MFA: "99"}, T, "[Ops] numeric, not string, comparison: 99 < 100")
ca(F, "le-equal", {"NumericLessThanEquals": {MFA: "3600"}}, {MFA: "3600"}, T, "[Ops] NumericLessThanEquals equal")
ca(F, "le-greater", {"NumericLessThanEquals": {MFA: "3600"}}, {MFA: "3600.5"}, Fa, "[Ops] NumericLessThanEquals greater")
ca(F, "le-negative-equal", {"NumericLessThanEquals": {MFA: "-1"}}, {MFA: "-1.0"}, T, "[Ops] NumericLessThanEquals -1.0 <= -1")
ca(F, "gt-decimal", {"NumericGreaterThan": {RD: "1.25"}}, {RD: "1.5"}, T, "[Ops] NumericGreaterThan 1.5 > 1.25")
ca(F, "gt-equal", {"NumericGreaterThan": {RD: "1"}}, {RD: "1"}, Fa, "[Ops] NumericGreaterThan strict")
ca(F, "gt-negative", {"NumericGreaterThan": {MFA: "-2"}}, {MFA: "-1"}, T, "[Ops] NumericGreaterThan -1 > -2")
ca(F, "gt-not-lexicographic", {"NumericGreaterThan": {MFA: "9"}}, {MFA: "10"}, T, "[Ops] numeric comparison: 10 > 9")
ca(F, "ge-equal", {"NumericGreaterThanEquals": {MFA: "0"}}, {MFA: "0"}, T, "[Ops] NumericGreaterThanEquals equal")
ca(F, "ge-negative-fraction", {"NumericGreaterThanEquals": {MFA: "-0.0001"}}, {MFA: "0"}, T, "[Ops] NumericGreaterThanEquals 0 >= -0.0001")
ca(F, "ge-less", {"NumericGreaterThanEquals": {MFA: "60"}}, {MFA: "59.99"}, Fa, "[Ops] NumericGreaterThanEquals less")
ca(F, "ge-missing", {"NumericGreaterThanEquals": {MFA: "0"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "lt-missing", {"NumericLessThan": {MFA: "3600"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "epochtime-numeric", {"NumericGreaterThan": {"aws:EpochTime": "1700000000"}}, {"aws:EpochTime": "1750000000"}, T, "[Ops] aws:EpochTime works with Numeric operators")
ca(F, "typed-numeric", {"NumericLessThanEquals": {MFA: "900"}}, {MFA: {"type": "numeric", "values": ["899"]}}, T, "[Ops] typed numeric context value")
ca(F, "typed-numeric-miss", {"NumericLessThanEquals": {MFA: "900"}}, {MFA: {"type": "numeric", "values": ["901"]}}, Fa, "[Ops] typed numeric context value, too large")
cd(F, "deny-mfa-old", {"NumericGreaterThan": {MFA: "3600"}}, {MFA: "7200"}, T, "[Ops] Deny when MFA older than an hour")
cd(F, "deny-mfa-fresh", {"NumericGreaterThan": {MFA: "3600"}}, {MFA: "1800"}, Fa, "[Ops] Deny MFA age: fresh MFA")
cd(F, "deny-mfa-missing", {"NumericGreaterThan": {MFA: "3600"}}, {}, Fa, "[Cond] Deny with Numeric op and missing key does not apply")
cd(F, "deny-ne-missing", {"NumericNotEquals": {RD: "2"}}, {}, T, "[Cond] Deny NumericNotEquals with missing key applies")
cd(F, "deny-lt-negative", {"NumericLessThan": {RD: "-12.5"}}, {RD: "-12.75"}, T, "[Ops] Deny NumericLessThan -12.75 < -12.5")
ca(F, "range-two-ops", {"NumericGreaterThanEquals": {MFA: "0"}, "NumericLessThan": {MFA: "600"}}, {MFA: "599"}, T, "[Cond] two Numeric operators AND (range)")
ca(F, "range-two-ops-out", {"NumericGreaterThanEquals": {MFA: "0"}, "NumericLessThan": {MFA: "600"}}, {MFA: "600"}, Fa, "[Cond] range, upper bound excluded")

# ------------------------------------------------------------------ dates
F = "date"
CT = "aws:CurrentTime"
ET = "aws:EpochTime"
TIT = "aws:TokenIssueTime"


def ep(s):
    return str(int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()))


T0 = "2026-03-15T10:30:00Z"
E0 = ep(T0)  # 1773570600
assert E0 == "1773570600", E0

ca(F, "eq-same", {"DateEquals": {CT: T0}}, {CT: T0}, T, "[Ops] DateEquals same instant")
ca(F, "eq-plus-offset", {"DateEquals": {CT: "2026-03-15T12:30:00+02:00"}}, {CT: T0}, T, "[Ops] DateEquals: +02:00 offset denotes the same instant")
ca(F, "eq-minus-offset", {"DateEquals": {CT: "2026-03-15T05:30:00-05:00"}}, {CT: T0}, T, "[Ops] DateEquals: -05:00 offset")
ca(F, "eq-epoch-policy", {"DateEquals": {CT: E0}}, {CT: T0}, T, "[Ops] DateEquals: epoch seconds in policy vs ISO context")
ca(F, "eq-minutes-form", {"DateEquals": {CT: "2026-03-15T10:30Z"}}, {CT: T0}, T, "[Ops] YYYY-MM-DDThh:mmTZD form")
ca(F, "eq-fraction-zero", {"DateEquals": {CT: "2026-03-15T10:30:00.000Z"}}, {CT: T0}, T, "[Ops] fractional seconds .000 is the same instant")
ca(F, "eq-date-only-is-midnight", {"DateEquals": {CT: "2026-03-15"}}, {CT: T0}, Fa, "[Ops] YYYY-MM-DD means midnight, not the whole day")
ca(F, "eq-date-only-midnight-ctx", {"DateEquals": {CT: "2026-03-15"}}, {CT: "2026-03-15T00:00:00Z"}, T, "[Ops] YYYY-MM-DD equals midnight UTC")
ca(F, "eq-one-second-off", {"DateEquals": {CT: "2026-03-15T10:30:01Z"}}, {CT: T0}, Fa, "[Ops] DateEquals one second apart")
ca(F, "eq-multi-or", {"DateEquals": {CT: ["2026-01-01T00:00:00Z", "2026-03-15T11:30:00+01:00"]}}, {CT: T0}, T, "[Cond] DateEquals OR over values")
ca(F, "eq-ctx-offset", {"DateEquals": {CT: T0}}, {CT: "2026-03-15T12:30:00+02:00"}, T, "[Ops] context value with offset")
ca(F, "eq-ctx-epoch", {"DateEquals": {ET: T0}}, {ET: E0}, T, "[Ops] aws:EpochTime context vs ISO policy value")
ca(F, "ne-same-instant", {"DateNotEquals": {CT: "2026-03-15T11:30:00+01:00"}}, {CT: T0}, Fa, "[Ops] DateNotEquals same instant in another zone -> false")
ca(F, "ne-differs", {"DateNotEquals": {CT: "2026-03-15"}}, {CT: T0}, T, "[Ops] DateNotEquals different instant")
ca(F, "ne-nor", {"DateNotEquals": {CT: ["2026-03-14T10:30:00Z", E0]}}, {CT: T0}, Fa, "[Cond] DateNotEquals NOR: equals the epoch value")
ca(F, "ne-missing", {"DateNotEquals": {CT: T0}}, {}, T, "[Cond] missing key: DateNotEquals true")
ca(F, "lt-year-past", {"DateLessThan": {CT: "2026"}}, {CT: T0}, Fa, "[Ops] YYYY form = Jan 1 of that year; 2026-03-15 is not before 2026")
ca(F, "lt-year-future", {"DateLessThan": {CT: "2027"}}, {CT: T0}, T, "[Ops] YYYY form, before 2027")
ca(F, "lt-month", {"DateLessThan": {CT: "2026-04"}}, {CT: T0}, T, "[Ops] YYYY-MM form")
ca(F, "lt-month-same", {"DateLessThan": {CT: "2026-03"}}, {CT: T0}, Fa, "[Ops] YYYY-MM = first of month; mid-March is not before it")
ca(F, "lt-next-day", {"DateLessThan": {CT: "2026-03-16"}}, {CT: T0}, T, "[Ops] YYYY-MM-DD form")
ca(F, "lt-same-day", {"DateLessThan": {CT: "2026-03-15"}}, {CT: T0}, Fa, "[Ops] YYYY-MM-DD is midnight; 10:30 is later")
ca(F, "lt-offset-midnight", {"DateLessThan": {CT: "2026-03-16"}}, {CT: "2026-03-16T00:30:00+02:00"}, T, "[Ops] context 00:30+02:00 is 22:30Z the previous day")
ca(F, "le-equal", {"DateLessThanEquals": {CT: T0}}, {CT: T0}, T, "[Ops] DateLessThanEquals equal")
ca(F, "le-offset-earlier", {"DateLessThanEquals": {CT: "2026-03-15T11:29:59+01:00"}}, {CT: T0}, Fa, "[Ops] 11:29:59+01:00 = 10:29:59Z, context is later")
ca(F, "gt-fraction", {"DateGreaterThan": {CT: "2026-03-15T10:29:59.999Z"}}, {CT: T0}, T, "[Ops] fractional seconds in policy")
ca(F, "gt-equal", {"DateGreaterThan": {CT: T0}}, {CT: T0}, Fa, "[Ops] DateGreaterThan strict")
ca(F, "gt-ctx-fraction", {"DateGreaterThan": {CT: T0}}, {CT: "2026-03-15T10:30:00.250Z"}, T, "[Ops] fractional seconds in context")
ca(F, "ge-epoch-equal", {"DateGreaterThanEquals": {CT: E0}}, {CT: T0}, T, "[Ops] epoch policy value equal instant")
ca(F, "ge-offset-equal", {"DateGreaterThanEquals": {CT: "2026-03-15T06:30:00-04:00"}}, {CT: T0}, T, "[Ops] -04:00 offset same instant")
ca(F, "ge-half-hour-offset", {"DateGreaterThanEquals": {CT: "2026-03-15T10:30:00-00:30"}}, {CT: T0}, Fa, "[Ops] 10:30-00:30 = 11:00Z, context is earlier")
ca(F, "ge-month", {"DateGreaterThanEquals": {CT: "2026-03"}}, {CT: T0}, T, "[Ops] YYYY-MM form")
ca(F, "lt-epoch-ctx-iso-policy", {"DateLessThan": {ET: "2026-03-15T10:30:01Z"}}, {ET: E0}, T, "[Ops] epoch context vs ISO policy")
ca(F, "gt-epoch-both", {"DateGreaterThan": {ET: str(int(E0) - 1)}}, {ET: E0}, T, "[Ops] epoch in both")
ca(F, "gt-missing", {"DateGreaterThan": {CT: "2020-01-01T00:00:00Z"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "le-missing", {"DateLessThanEquals": {CT: "2030-01-01"}}, {}, Fa, "[Cond] missing key: false")
ca(F, "typed-date", {"DateLessThan": {CT: "2026-12-31T23:59:59Z"}}, {CT: {"type": "date", "values": [T0]}}, T, "[Ops] typed date context value")
ca(F, "window-inside", {"DateGreaterThan": {CT: "2026-03-01T00:00:00Z"}, "DateLessThan": {CT: "2026-04-01T00:00:00Z"}}, {CT: T0}, T, "[Cond] time window: two Date operators AND")
ca(F, "window-outside", {"DateGreaterThan": {CT: "2026-03-01T00:00:00Z"}, "DateLessThan": {CT: "2026-04-01T00:00:00Z"}}, {CT: "2026-04-01T00:00:00Z"}, Fa, "[Cond] time window: end excluded")
cd(F, "deny-after-expiry", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {CT: "2026-07-01T00:00:00Z"}, T, "[Ops] Deny after expiry date")
cd(F, "deny-before-expiry", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {CT: "2026-06-30T23:59:59+00:00"}, Fa, "[Ops] Deny DateGreaterThan: equal instant is not greater")
cd(F, "deny-expiry-missing", {"DateGreaterThan": {CT: "2026-06-30T23:59:59Z"}}, {}, Fa, "[Cond] Deny Date op with missing key does not apply")
cd(F, "deny-old-token", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-02-28T23:00:00Z"}, T, "[Ops] Deny sessions issued before a revocation time")
cd(F, "deny-old-token-offset", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-03-01T00:30:00+01:00"}, T, "[Ops] 00:30+01:00 on Mar 1 is 23:30Z on Feb 28: still before the revocation time")
cd(F, "deny-old-token-after", {"DateLessThan": {TIT: "2026-03-01T00:00:00Z"}}, {TIT: "2026-03-01T00:00:00.5Z"}, Fa, "[Ops] half a second after the revocation time")
cd(F, "deny-notequals-missing", {"DateNotEquals": {TIT: "2026-03-01"}}, {}, T, "[Cond] Deny DateNotEquals missing key applies")

# ======================================================================
# section: bool_ip_arn
# ======================================================================
import base64

T, Fa = True, False
F = "bool-binary"
ST = "aws:SecureTransport"
MFP = "aws:MultiFactorAuthPresent"
VIA = "aws:ViaAWSService"

ca(F, "true-true", {"Bool": {ST: "true"}}, {ST: "true"}, T, "[Ops] Bool true")
ca(F, "policy-upper", {"Bool": {ST: "TRUE"}}, {ST: "true"}, T, "[Ops] Bool compares case-insensitively (policy TRUE)")
ca(F, "policy-mixed-ctx-upper", {"Bool": {MFP: "True"}}, {MFP: "TRUE"}, T, "[Ops] Bool case-insensitive on both sides")
ca(F, "json-true", {"Bool": {MFP: True}}, {MFP: "true"}, T, "[Ops] Bool accepts a JSON boolean in the policy")
ca(F, "json-false", {"Bool": {VIA: False}}, {VIA: "false"}, T, "[Ops] Bool JSON false")
ca(F, "json-true-vs-false", {"Bool": {VIA: True}}, {VIA: "false"}, Fa, "[Ops] Bool JSON true vs context false")
ca(F, "false-vs-true", {"Bool": {ST: "false"}}, {ST: "true"}, Fa, "[Ops] Bool mismatch")
ca(F, "upper-false-vs-false", {"Bool": {ST: "FALSE"}}, {ST: "false"}, T, "[Ops] Bool FALSE equals false")
ca(F, "two-values-or", {"Bool": {VIA: ["true", "false"]}}, {VIA: "false"}, T, "[Cond] Bool OR over values")
ca(F, "missing", {"Bool": {ST: "true"}}, {}, Fa, "[Cond] missing key: Bool false")
ca(F, "missing-false-value", {"Bool": {ST: "false"}}, {}, Fa, "[Cond] missing key: Bool false even when testing for false")
ca(F, "typed-boolean", {"Bool": {"aws:PrincipalIsAWSService": "false"}}, {"aws:PrincipalIsAWSService": {"type": "boolean", "values": ["false"]}}, T, "[Ops] typed boolean context")
ca(F, "keyname-ci", {"Bool": {"aws:securetransport": "true"}}, {"AWS:SecureTransport": "true"}, T, "[Cond] Bool key name case-insensitive")
cd(F, "deny-insecure", {"Bool": {ST: "false"}}, {ST: "false"}, T, "[Ops] Deny when SecureTransport is false")
cd(F, "deny-insecure-secure", {"Bool": {ST: "false"}}, {ST: "true"}, Fa, "[Ops] Deny insecure: secure request allowed")
cd(F, "deny-insecure-missing", {"Bool": {ST: "false"}}, {}, Fa, "[Cond] Deny Bool with missing key does not apply")
cd(F, "deny-boolifexists-present-false", {"BoolIfExists": {MFP: "false"}}, {MFP: "false"}, T, "[Ops] BoolIfExists present: base operator")
cd(F, "deny-boolifexists-present-upper", {"BoolIfExists": {MFP: "false"}}, {MFP: "TRUE"}, Fa, "[Ops] BoolIfExists present TRUE vs false")
ca(F, "foranyvalue-bool", {"ForAnyValue:Bool": {"aws:ViaAWSService": "true"}}, {"aws:ViaAWSService": {"type": "booleanList", "values": ["false", "true"]}}, T, "[Ops][Multi] ForAnyValue:Bool over a boolean list")
ca(F, "forallvalues-bool", {"ForAllValues:Bool": {"aws:ViaAWSService": "true"}}, {"aws:ViaAWSService": {"type": "booleanList", "values": ["false", "true"]}}, Fa, "[Ops][Multi] ForAllValues:Bool, one value false")

DK = "custom:RequestDigest"
b = lambda s: base64.b64encode(s).decode()
HELLO = b(b"Hello")      # SGVsbG8=
BIN1 = b(bytes([0x00, 0xff, 0x10, 0x80, 0x7f]))
ca(F, "binary-equal", {"BinaryEquals": {DK: HELLO}}, {DK: {"type": "binary", "values": [HELLO]}}, T, "[Ops] BinaryEquals same bytes")
ca(F, "binary-nonascii", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [BIN1]}}, T, "[Ops] BinaryEquals non-text bytes")
ca(F, "binary-different", {"BinaryEquals": {DK: HELLO}}, {DK: {"type": "binary", "values": [b(b"Hellp")]}}, Fa, "[Ops] BinaryEquals different bytes")
ca(F, "binary-case-of-base64", {"BinaryEquals": {DK: HELLO.lower()}}, {DK: {"type": "binary", "values": [HELLO]}}, Fa, "[Ops] base64 is case-sensitive: sgvsbg8= decodes to other bytes")
ca(F, "binary-multi-or", {"BinaryEquals": {DK: [b(b"abc"), HELLO]}}, {DK: {"type": "binary", "values": [HELLO]}}, T, "[Cond] BinaryEquals OR over values")
ca(F, "binary-missing", {"BinaryEquals": {DK: HELLO}}, {}, Fa, "[Cond] missing key: BinaryEquals false")
cd(F, "deny-binary-hit", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [BIN1]}}, T, "[Ops] Deny BinaryEquals matches")
cd(F, "deny-binary-miss", {"BinaryEquals": {DK: BIN1}}, {DK: {"type": "binary", "values": [HELLO]}}, Fa, "[Ops] Deny BinaryEquals no match")
ca(F, "binary-ifexists-missing", {"BinaryEqualsIfExists": {DK: HELLO}}, {}, T, "[Ops] BinaryEqualsIfExists missing key -> true")

# ------------------------------------------------------------------ IP
F = "ip"
SIP = "aws:SourceIp"
ca(F, "v4-cidr-in", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "203.0.113.200"}, T, "[Ops] IPv4 inside /24")
ca(F, "v4-cidr-out", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "203.0.114.1"}, Fa, "[Ops] IPv4 outside /24")
ca(F, "v4-bare-equal", {"IpAddress": {SIP: "198.51.100.7"}}, {SIP: "198.51.100.7"}, T, "[Ops] bare IPv4 address = /32")
ca(F, "v4-bare-neighbour", {"IpAddress": {SIP: "198.51.100.7"}}, {SIP: "198.51.100.8"}, Fa, "[Ops] bare IPv4 address = /32, neighbour excluded")
ca(F, "v4-slash32", {"IpAddress": {SIP: "198.51.100.7/32"}}, {SIP: "198.51.100.7"}, T, "[Ops] explicit /32")
ca(F, "v4-slash8-edge", {"IpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "10.255.255.255"}, T, "[Ops] last address of 10.0.0.0/8")
ca(F, "v4-slash8-past-edge", {"IpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "11.0.0.0"}, Fa, "[Ops] first address after 10.0.0.0/8")
ca(F, "v4-slash30-in", {"IpAddress": {SIP: "192.0.2.0/30"}}, {SIP: "192.0.2.3"}, T, "[Ops] /30 covers .0-.3")
ca(F, "v4-slash30-out", {"IpAddress": {SIP: "192.0.2.0/30"}}, {SIP: "192.0.2.4"}, Fa, "[Ops] /30 excludes .4")
ca(F, "v4-slash0", {"IpAddress": {SIP: "0.0.0.0/0"}}, {SIP: "198.18.0.1"}, T, "[Ops] 0.0.0.0/0 covers every IPv4 address")
ca(F, "v4-multi-or", {"IpAddress": {SIP: ["192.0.2.0/24", "203.0.113.0/24"]}}, {SIP: "203.0.113.9"}, T, "[Cond] IpAddress OR over values")
ca(F, "v4-missing", {"IpAddress": {SIP: "0.0.0.0/0"}}, {}, Fa, "[Cond] missing key: IpAddress false")
ca(F, "v6-cidr-in", {"IpAddress": {SIP: "2001:db8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5678:abcd::1"}, T, "[Ops] IPv6 inside /64")
ca(F, "v6-cidr-out", {"IpAddress": {SIP: "2001:db8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5679::1"}, Fa, "[Ops] IPv6 outside /64")
ca(F, "v6-upper-hex", {"IpAddress": {SIP: "2001:DB8:1234:5678::/64"}}, {SIP: "2001:db8:1234:5678::42"}, T, "[Ops] IPv6 hex digits case-insensitive (doc example uses upper case)")
ca(F, "v6-bare-equal", {"IpAddress": {SIP: "2001:db8::10"}}, {SIP: "2001:db8::10"}, T, "[Ops] bare IPv6 address = /128 (engine decision)")
ca(F, "v6-bare-neighbour", {"IpAddress": {SIP: "2001:db8::10"}}, {SIP: "2001:db8::11"}, Fa, "[Ops] bare IPv6 address = /128, neighbour excluded (engine decision)")
ca(F, "v6-expanded-form", {"IpAddress": {SIP: "2001:0db8:0000:0000:0000:0000:0000:0010"}}, {SIP: "2001:db8::10"}, T, "[Ops] IPv6 compared as addresses, not text")
ca(F, "v6-slash48-edge", {"IpAddress": {SIP: "2001:db8:abcd::/48"}}, {SIP: "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"}, T, "[Ops] last address of an IPv6 /48")
ca(F, "v4-policy-v6-ctx", {"IpAddress": {SIP: "203.0.113.0/24"}}, {SIP: "2001:db8::1"}, Fa, "[Ops] IPv4 range does not contain an IPv6 address")
ca(F, "v6-policy-v4-ctx", {"IpAddress": {SIP: "2001:db8::/32"}}, {SIP: "203.0.113.5"}, Fa, "[Ops] IPv6 range does not contain an IPv4 address")
ca(F, "notip-in", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "10.20.30.40"}, Fa, "[Ops] NotIpAddress inside range -> false")
ca(F, "notip-out", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {SIP: "172.16.0.1"}, T, "[Ops] NotIpAddress outside range -> true")
ca(F, "notip-nor", {"NotIpAddress": {SIP: ["10.0.0.0/8", "2001:db8::/32"]}}, {SIP: "2001:db8:1::5"}, Fa, "[Cond] NotIpAddress NOR: inside the second range")
ca(F, "notip-missing", {"NotIpAddress": {SIP: "10.0.0.0/8"}}, {}, T, "[Cond] missing key: NotIpAddress true")
cd(F, "deny-outside-corp", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "198.51.100.1"}, T, "[Ops] Deny requests from outside the corporate ranges")
cd(F, "deny-outside-corp-v6-inside", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "2001:db8:1234:9::1"}, Fa, "[Ops] IPv6 inside the corporate range")
cd(F, "deny-outside-corp-v6-outside", {"NotIpAddress": {SIP: ["192.0.2.0/24", "2001:db8:1234::/48"]}}, {SIP: "2001:db8:1235::1"}, T, "[Ops] IPv6 just outside the /48")
cd(F, "deny-ipaddress-hit", {"IpAddress": {SIP: "198.51.100.0/24"}}, {SIP: "198.51.100.99"}, T, "[Ops] Deny a blocked range")
cd(F, "deny-ipaddress-missing", {"IpAddress": {SIP: "198.51.100.0/24"}}, {}, Fa, "[Cond] Deny IpAddress with missing key does not apply")
ca(F, "vpcsourceip", {"IpAddress": {"aws:VpcSourceIp": "10.10.0.0/16"}}, {"aws:VpcSourceIp": "10.10.5.5"}, T, "[Ops] IpAddress on aws:VpcSourceIp")
ca(F, "typed-ip", {"IpAddress": {SIP: "192.0.2.0/24"}}, {SIP: {"type": "ip", "values": ["192.0.2.77"]}}, T, "[Ops] typed ip context")
ca(F, "keyname-ci", {"IpAddress": {"AWS:SOURCEIP": "192.0.2.0/24"}}, {SIP: "192.0.2.1"}, T, "[Cond] key name case-insensitive")
cd(F, "deny-notip-ifexists-missing", {"NotIpAddressIfExists": {SIP: "192.0.2.0/24"}}, {}, T, "[Ops] NotIpAddressIfExists missing key -> true, Deny applies")
ca(F, "ipifexists-missing", {"IpAddressIfExists": {SIP: "192.0.2.0/24"}}, {}, T, "[Ops] IpAddressIfExists missing key -> true")
ca(F, "ipifexists-present-out", {"IpAddressIfExists": {SIP: "192.0.2.0/24"}}, {SIP: "192.0.3.1"}, Fa, "[Ops] IpAddressIfExists present: base operator")

# ------------------------------------------------------------------ ARN operators
F = "arn-operators"
PA = "aws:PrincipalArn"
SA = "aws:SourceArn"
UA = "connect:UserArn"
ROLE = f"arn:aws:iam::{AC}:role/ConnectAdmin"
ca(F, "equals-exact", {"ArnEquals": {PA: ROLE}}, {PA: ROLE}, T, "[Ops] ArnEquals exact")
ca(F, "equals-other-role", {"ArnEquals": {PA: ROLE}}, {PA: f"arn:aws:iam::{AC}:role/ConnectReadOnly"}, Fa, "[Ops] ArnEquals different role")
ca(F, "equals-wildcard", {"ArnEquals": {PA: f"arn:aws:iam::{AC}:role/Connect*"}}, {PA: ROLE}, T, "[Ops] ArnEquals and ArnLike behave identically (wildcards honoured)")
ca(F, "like-account-star", {"ArnLike": {PA: "arn:aws:iam::*:role/Connect*"}}, {PA: ROLE}, T, "[Ops] ArnLike * in the account component")
ca(F, "like-user-vs-role", {"ArnLike": {PA: f"arn:aws:iam::{AC}:user/*"}}, {PA: ROLE}, Fa, "[Ops] ArnLike user/* does not match a role")
ca(F, "like-path", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/*"}}, {PA: f"arn:aws:iam::{AC}:role/service-role/ConnectIngest"}, T, "[Ops] * in the resource component matches '/' (role path)")
ca(F, "like-case-sensitive", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/connectadmin"}}, {PA: ROLE}, Fa, "[Ops] ARN operators are case-sensitive")
ca(F, "like-other-account", {"ArnLike": {PA: f"arn:aws:iam::{AC2}:role/*"}}, {PA: ROLE}, Fa, "[Ops] ArnLike account component differs")
ca(F, "like-componentwise", {"ArnLike": {SA: f"arn:aws:connect:*:{AC}:instance/*"}}, {SA: R_QUEUE}, T, "[Ops] ArnLike region * within its component; resource * spans the rest")
EX = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
ca(F, "doc-example-arnlike", {"ArnLike": {SA: "arn:aws:svc:*:111122223333:finance/*"}}, {SA: EX}, Fa, "[Ops] ArnLike vs StringLike example: ArnLike region * may not cross ':'")
ca(F, "doc-example-stringlike", {"StringLike": {SA: "arn:aws:svc:*:111122223333:finance/*"}}, {SA: EX}, T, "[Ops] ArnLike vs StringLike example: StringLike * swallows colons")
ca(F, "like-region-qmark", {"ArnLike": {SA: f"arn:aws:connect:us-east-?:{AC}:instance/{I1}"}}, {SA: R_INST}, T, "[Ops] ArnLike ? in region")
ca(F, "like-qualified-view", {"ArnLike": {SA: sub("view", "*")}}, {SA: R_VIEWQ}, T, "[Ops][ARN] 6th component includes everything after the 5th colon, so * matches view/ID:$LATEST")
ca(F, "like-multi-or", {"ArnLike": {UA: [sub("agent", U2), sub("agent", U1)]}}, {UA: R_USER}, T, "[Cond] ArnLike OR over values")
ca(F, "like-missing", {"ArnLike": {UA: f"arn:aws:connect:*:{AC}:instance/*"}}, {}, Fa, "[Cond] missing key: ArnLike false")
ca(F, "equals-userarn", {"ArnEquals": {UA: R_USER}}, {UA: R_USER}, T, "[Ops] ArnEquals on connect:UserArn")
ca(F, "like-star-region-account", {"ArnLike": {UA: f"arn:aws:connect:*:*:instance/{I1}/agent/*"}}, {UA: sub("agent", U2)}, T, "[Ops] ArnLike * for region and account")
ca(F, "like-other-instance", {"ArnLike": {UA: f"arn:aws:connect:*:*:instance/{I1}/agent/*"}}, {UA: sub("agent", U2, I2)}, Fa, "[Ops] ArnLike other instance")
ca(F, "notequals-equal", {"ArnNotEquals": {PA: ROLE}}, {PA: ROLE}, Fa, "[Ops] ArnNotEquals equal -> false")
ca(F, "notequals-differs", {"ArnNotEquals": {PA: ROLE}}, {PA: ALICE}, T, "[Ops] ArnNotEquals differs -> true")
ca(F, "notequals-nor", {"ArnNotEquals": {PA: [ROLE, ALICE]}}, {PA: ALICE}, Fa, "[Cond] ArnNotEquals NOR")
ca(F, "notequals-missing", {"ArnNotEquals": {PA: ROLE}}, {}, T, "[Cond] missing key: ArnNotEquals true")
cd(F, "deny-notlike-outsider", {"ArnNotLike": {PA: [f"arn:aws:iam::{AC}:role/Connect*", f"arn:aws:iam::{AC}:user/admins/*"]}}, {PA: ALICE}, T, "[Cond] Deny ArnNotLike: principal matches no pattern")
cd(F, "deny-notlike-insider", {"ArnNotLike": {PA: [f"arn:aws:iam::{AC}:role/Connect*", f"arn:aws:iam::{AC}:user/admins/*"]}}, {PA: f"arn:aws:iam::{AC}:user/admins/root-ops"}, Fa, "[Cond] Deny ArnNotLike NOR: matches the second pattern")
cd(F, "deny-notlike-missing", {"ArnNotLike": {PA: f"arn:aws:iam::{AC}:role/Connect*"}}, {}, T, "[Cond] Deny ArnNotLike with missing key applies")
cd(F, "deny-arnlike-hit", {"ArnLike": {SA: "arn:aws:connect:eu-*:*:instance/*"}}, {SA: carn(f"instance/{I3}", "eu-west-2")}, T, "[Ops] Deny ArnLike region eu-*")
cd(F, "deny-arnlike-miss", {"ArnLike": {SA: "arn:aws:connect:eu-*:*:instance/*"}}, {SA: R_INST}, Fa, "[Ops] Deny ArnLike region eu-* vs us-east-1")
cd(F, "deny-arnequals-case", {"ArnEquals": {UA: R_USER.upper().replace("ARN:AWS:CONNECT:US-EAST-1:", "arn:aws:connect:us-east-1:")}}, {UA: R_USER}, Fa, "[Ops] ArnEquals case-sensitive in the resource component")
ca(F, "like-principalarn-role-not-session", {"ArnLike": {PA: f"arn:aws:iam::{AC}:role/ConnectSupervisor"}}, {PA: f"arn:aws:iam::{AC}:role/ConnectSupervisor"}, T, "[Vars] for a role session aws:PrincipalArn is the role ARN", principal=ROLE_SESS)

# ======================================================================
# section: null_ife_set
# ======================================================================

T, Fa = True, False
A_, I_, E_ = "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"

F = "null"
ca(F, "true-absent", {"Null": {"aws:PrincipalTag/costCenter": "true"}}, {}, T, "[Cond] Null true: key absent -> true")
ca(F, "true-present", {"Null": {"aws:PrincipalTag/costCenter": "true"}}, {"aws:PrincipalTag/costCenter": "cc-4410"}, Fa, "[Cond] Null true: key present -> false")
ca(F, "false-present", {"Null": {"aws:ResourceTag/owner": "false"}}, {"aws:ResourceTag/owner": "maria"}, T, "[Cond] Null false: key present -> true")
ca(F, "false-absent", {"Null": {"aws:ResourceTag/owner": "false"}}, {}, Fa, "[Cond] Null false: key absent -> false")
ca(F, "false-multivalued-present", {"Null": {"aws:TagKeys": "false"}}, {"aws:TagKeys": ["team", "env"]}, T, "[Cond] Null false on a present multivalued key", pair=("connect:TagResource", R_QUEUE))
ca(F, "true-multivalued-absent", {"Null": {"aws:TagKeys": "true"}}, {}, T, "[Cond] Null true on an absent multivalued key", pair=("connect:TagResource", R_RP))
ca(F, "two-keys-and", {"Null": {"aws:PrincipalTag/team": "false", "aws:PrincipalTag/contractor": "true"}}, {"aws:PrincipalTag/team": "ops"}, T, "[Cond] Null with two keys: AND (team present, contractor absent)")
ca(F, "two-keys-and-fails", {"Null": {"aws:PrincipalTag/team": "false", "aws:PrincipalTag/contractor": "true"}}, {"aws:PrincipalTag/team": "ops", "aws:PrincipalTag/contractor": "yes"}, Fa, "[Cond] Null with two keys: contractor present")
ca(F, "keyname-ci", {"Null": {"AWS:ResourceTag/OWNER": "false"}}, {"aws:ResourceTag/owner": "maria"}, T, "[Cond] Null key name and tag key case-insensitive")
ca(F, "empty-string-present", {"Null": {"aws:ResourceTag/owner": "true"}}, {"aws:ResourceTag/owner": ""}, Fa, "[Cond] empty string counts as present (engine decision: only absent keys are null)")
ca(F, "empty-string-not-null", {"Null": {"aws:ResourceTag/owner": "false"}}, {"aws:ResourceTag/owner": ""}, T, "[Cond] empty string counts as present for Null false (engine decision)")
case(F, "deny-require-request-tag-absent", E_, [P(ALLOW_ALL_CONNECT, deny("connect:TagResource", "*", {"Null": {"aws:RequestTag/CostCenter": "true"}}))],
     "connect:TagResource", R_QUEUE, {"aws:TagKeys": ["Team"], "aws:RequestTag/Team": "ops"}, desc="[Cond] Deny when a required request tag is missing")
case(F, "deny-require-request-tag-present", A_, [P(ALLOW_ALL_CONNECT, deny("connect:TagResource", "*", {"Null": {"aws:RequestTag/CostCenter": "true"}}))],
     "connect:TagResource", R_QUEUE, {"aws:TagKeys": ["CostCenter"], "aws:RequestTag/CostCenter": "cc-1"}, desc="[Cond] required request tag present")
ca(F, "with-stringequals", {"Null": {"aws:ResourceTag/team": "false"}, "StringEquals": {"aws:ResourceTag/team": "billing"}}, {"aws:ResourceTag/team": "billing"}, T, "[Cond] Null false combined with StringEquals (AND)")
cd(F, "deny-null-false-present", {"Null": {"aws:PrincipalTag/suspended": "false"}}, {"aws:PrincipalTag/suspended": "2026-03-01"}, T, "[Cond] Deny principals that carry a suspended tag")
cd(F, "deny-null-false-absent", {"Null": {"aws:PrincipalTag/suspended": "false"}}, {}, Fa, "[Cond] Deny Null false: tag absent")

# ------------------------------------------------------------------ IfExists
F = "ifexists"
RT = "aws:ResourceTag/env"
ca(F, "stringequals-present-match", {"StringEqualsIfExists": {RT: "prod"}}, {RT: "prod"}, T, "[Ops] StringEqualsIfExists present: base operator (match)")
ca(F, "stringequals-multi-present", {"StringEqualsIfExists": {RT: ["dev", "test"]}}, {RT: "prod"}, Fa, "[Ops] StringEqualsIfExists present: base operator (no match)")
cd(F, "deny-snei-absent", {"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}, {}, T, "[Ops] Deny + StringNotEqualsIfExists: key absent -> true, Deny applies")
cd(F, "deny-snei-equal", {"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}, {"aws:RequestedRegion": "us-east-1"}, Fa, "[Ops] Deny + StringNotEqualsIfExists: value equal -> no deny")
cd(F, "deny-snei-other", {"StringNotEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}, {"aws:RequestedRegion": "sa-east-1"}, T, "[Ops] Deny + StringNotEqualsIfExists: other value -> deny")
cd(F, "deny-snei-nor", {"StringNotEqualsIfExists": {"aws:ResourceTag/team": ["billing", "support"]}}, {"aws:ResourceTag/team": "support"}, Fa, "[Ops] StringNotEqualsIfExists NOR: equals a listed value")
ca(F, "stringlike-absent", {"StringLikeIfExists": {"aws:ResourceTag/project": "cx-*"}}, {}, T, "[Ops] StringLikeIfExists absent -> true")
ca(F, "stringlike-present-miss", {"StringLikeIfExists": {"aws:ResourceTag/project": "cx-*"}}, {"aws:ResourceTag/project": "crm-2"}, Fa, "[Ops] StringLikeIfExists present, no match")
ca(F, "stringnotlike-absent", {"StringNotLikeIfExists": {"aws:ResourceTag/project": "secret-*"}}, {}, T, "[Ops] StringNotLikeIfExists absent -> true")
ca(F, "stringnotlike-present-match", {"StringNotLikeIfExists": {"aws:ResourceTag/project": "secret-*"}}, {"aws:ResourceTag/project": "secret-x"}, Fa, "[Ops] StringNotLikeIfExists present: pattern matches -> false")
ca(F, "eqic-present", {"StringEqualsIgnoreCaseIfExists": {RT: "PROD"}}, {RT: "prod"}, T, "[Ops] StringEqualsIgnoreCaseIfExists present")
ca(F, "neqic-absent", {"StringNotEqualsIgnoreCaseIfExists": {RT: "PROD"}}, {}, T, "[Ops] StringNotEqualsIgnoreCaseIfExists absent -> true")
ca(F, "numericlt-absent", {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, {}, T, "[Ops] NumericLessThanIfExists absent -> true")
ca(F, "numericlt-present-false", {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, {"aws:MultiFactorAuthAge": "7200"}, Fa, "[Ops] NumericLessThanIfExists present, too old")
cd(F, "deny-numericgt-absent", {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, {}, T, "[Ops] Deny + positive IfExists operator with key absent: condition true, Deny applies")
cd(F, "deny-numericgt-present-ok", {"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, {"aws:MultiFactorAuthAge": "60"}, Fa, "[Ops] NumericGreaterThanIfExists present, fresh")
ca(F, "datelt-absent", {"DateLessThanIfExists": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}, {}, T, "[Ops] DateLessThanIfExists absent -> true")
ca(F, "datelt-present-false", {"DateLessThanIfExists": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}, {"aws:TokenIssueTime": "2026-02-01T00:00:00Z"}, Fa, "[Ops] DateLessThanIfExists present, later")
ca(F, "dategt-present-true", {"DateGreaterThanIfExists": {"aws:CurrentTime": "2026-01-01"}}, {"aws:CurrentTime": "2026-01-01T00:00:01+00:00"}, T, "[Ops] DateGreaterThanIfExists present, later")
ca(F, "bool-absent", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, {}, T, "[Ops] BoolIfExists absent -> true (Allow side)")
ca(F, "bool-present-false", {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}, {"aws:MultiFactorAuthPresent": "false"}, Fa, "[Ops] BoolIfExists present false")
ca(F, "ip-present-in", {"IpAddressIfExists": {"aws:SourceIp": "2001:db8::/32"}}, {"aws:SourceIp": "2001:db8:ffff::1"}, T, "[Ops] IpAddressIfExists present, inside")
ca(F, "notip-present-in", {"NotIpAddressIfExists": {"aws:SourceIp": "192.0.2.0/24"}}, {"aws:SourceIp": "192.0.2.10"}, Fa, "[Ops] NotIpAddressIfExists present, inside -> false")
ca(F, "arnlike-absent", {"ArnLikeIfExists": {"aws:SourceArn": f"arn:aws:connect:*:{AC}:instance/*"}}, {}, T, "[Ops] ArnLikeIfExists absent -> true")
ca(F, "arnlike-present-miss", {"ArnLikeIfExists": {"aws:SourceArn": f"arn:aws:connect:*:{AC}:instance/*"}}, {"aws:SourceArn": f"arn:aws:connect:us-east-1:{AC2}:instance/{I2}"}, Fa, "[Ops] ArnLikeIfExists present, other account")
cd(F, "deny-arnnotequals-absent", {"ArnNotEqualsIfExists": {"connect:UserArn": R_USER}}, {}, T, "[Ops] Deny + ArnNotEqualsIfExists absent -> deny")
cd(F, "deny-arnnotequals-equal", {"ArnNotEqualsIfExists": {"connect:UserArn": R_USER}}, {"connect:UserArn": R_USER}, Fa, "[Ops] Deny + ArnNotEqualsIfExists equal -> no deny")
ca(F, "two-ifexists-one-present", {"StringEqualsIfExists": {RT: "prod"}, "NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "600"}}, {RT: "prod"}, T, "[Cond] two IfExists operators: one absent (true) AND one present matching")
ca(F, "ifexists-keyname-ci", {"StringEqualsIfExists": {"aws:resourcetag/ENV": "prod"}}, {RT: "dev"}, Fa, "[Cond] key-name case-insensitive: the key IS present, so the base operator applies")
ca(F, "foranyvalue-ifexists-absent", {"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["team"]}}, {}, T, "[Ops][Multi] ForAnyValue with IfExists: key absent -> true (IfExists overrides the ForAnyValue absent=false rule)", pair=("connect:TagResource", R_CF))

# ------------------------------------------------------------------ set operators
F = "set-operators"
TK = "aws:TagKeys"
TAG = ("connect:TagResource", R_QUEUE)
TAG2 = ("connect:TagResource", R_RP)
UNTAG = ("connect:UntagResource", R_HO)


def sa(slug, cond, ctx, holds, desc, pair=TAG):
    ca(F, slug, cond, ctx, holds, desc, pair=pair)


def sd(slug, cond, ctx, holds, desc, pair=TAG):
    cd(F, slug, cond, ctx, holds, desc, pair=pair)


sa("any-eq-hit", {"ForAnyValue:StringEquals": {TK: ["team", "cost-center"]}}, {TK: ["env", "cost-center"]}, T, "[Multi] ForAnyValue: one value matches")
sa("any-eq-miss", {"ForAnyValue:StringEquals": {TK: ["team", "cost-center"]}}, {TK: ["env", "owner"]}, Fa, "[Multi] ForAnyValue: none matches")
sa("any-eq-missing", {"ForAnyValue:StringEquals": {TK: "team"}}, {}, Fa, "[Multi] ForAnyValue: key absent -> false")
sa("any-eq-empty", {"ForAnyValue:StringEquals": {TK: "team"}}, {TK: []}, Fa, "[Multi] ForAnyValue: empty set -> false")
sa("any-eq-case", {"ForAnyValue:StringEquals": {TK: "team"}}, {TK: ["Team"]}, Fa, "[Multi] StringEquals inside ForAnyValue stays case-sensitive")
sa("all-eq-subset", {"ForAllValues:StringEquals": {TK: ["team", "env", "cost-center"]}}, {TK: ["env", "team"]}, T, "[Multi] ForAllValues: every value in the allowed list")
sa("all-eq-extra", {"ForAllValues:StringEquals": {TK: ["team", "env"]}}, {TK: ["env", "owner"]}, Fa, "[Multi] ForAllValues: one value outside the list")
sa("all-eq-missing", {"ForAllValues:StringEquals": {TK: ["team", "env"]}}, {}, T, "[Multi] ForAllValues: key absent -> true (vacuous)")
sa("all-eq-empty", {"ForAllValues:StringEquals": {TK: ["team", "env"]}}, {TK: []}, T, "[Multi] ForAllValues: empty set -> true")
sa("all-eq-duplicates", {"ForAllValues:StringEquals": {TK: "team"}}, {TK: ["team", "team"]}, T, "[Multi] ForAllValues with repeated context value")
sa("all-eq-with-null-false-absent", {"ForAllValues:StringEquals": {TK: ["team", "env"]}, "Null": {TK: "false"}}, {}, Fa, "[Multi] recommended pairing: ForAllValues + Null false rejects an absent key")
sa("all-eq-with-null-false-present", {"ForAllValues:StringEquals": {TK: ["team", "env"]}, "Null": {TK: "false"}}, {TK: ["team"]}, T, "[Multi] ForAllValues + Null false, key present and allowed")
sa("all-like-hit", {"ForAllValues:StringLike": {TK: ["cx-*", "team"]}}, {TK: ["cx-owner", "cx-env", "team"]}, T, "[Multi] ForAllValues:StringLike all match some pattern")
sa("all-like-miss", {"ForAllValues:StringLike": {TK: ["cx-*", "team"]}}, {TK: ["cx-owner", "teams"]}, Fa, "[Multi] ForAllValues:StringLike one value matches no pattern")
sa("any-like-hit", {"ForAnyValue:StringLike": {TK: "aws:*"}}, {TK: ["team", "aws:cloudformation:stack-name"]}, T, "[Multi] ForAnyValue:StringLike", pair=TAG2)
sa("all-eqic", {"ForAllValues:StringEqualsIgnoreCase": {TK: ["team", "cost"]}}, {TK: ["Team", "COST"]}, T, "[Multi] ForAllValues:StringEqualsIgnoreCase")
sa("any-noteq-hit", {"ForAnyValue:StringNotEquals": {TK: ["team", "env"]}}, {TK: ["team", "owner"]}, T, "[Multi] ForAnyValue:StringNotEquals: 'owner' equals none of the listed values")
sa("any-noteq-miss", {"ForAnyValue:StringNotEquals": {TK: ["team", "env"]}}, {TK: ["team", "env"]}, Fa, "[Multi] ForAnyValue:StringNotEquals: every value is listed")
sa("any-noteq-missing", {"ForAnyValue:StringNotEquals": {TK: ["team"]}}, {}, Fa, "[Multi] ForAnyValue:StringNotEquals: key absent -> false")
sa("all-noteq-hit", {"ForAllValues:StringNotEquals": {TK: ["aws-reserved", "sys"]}}, {TK: ["team", "env"]}, T, "[Multi] ForAllValues:StringNotEquals: no value matches a listed one")
sa("all-noteq-miss", {"ForAllValues:StringNotEquals": {TK: ["aws-reserved", "sys"]}}, {TK: ["team", "sys"]}, Fa, "[Multi] ForAllValues:StringNotEquals: one value is listed")
sa("all-noteq-missing", {"ForAllValues:StringNotEquals": {TK: ["sys"]}}, {}, T, "[Multi] ForAllValues:StringNotEquals: key absent -> true")
sa("all-notlike-hit", {"ForAllValues:StringNotLike": {TK: ["sys*", "aws*"]}}, {TK: ["team"]}, T, "[Multi] ForAllValues:StringNotLike: no value matches")
sa("all-notlike-miss", {"ForAllValues:StringNotLike": {TK: ["sys*", "aws*"]}}, {TK: ["team", "sys-owner"]}, Fa, "[Multi] ForAllValues:StringNotLike: one value matches")
sa("all-notlike-missing", {"ForAllValues:StringNotLike": {TK: ["sys*"]}}, {}, T, "[Multi] ForAllValues:StringNotLike with key absent -> true (general rule; engine decision)")
sa("any-notlike-hit", {"ForAnyValue:StringNotLike": {TK: "sys*"}}, {TK: ["sys-a", "team"]}, T, "[Multi] ForAnyValue:StringNotLike: 'team' matches no pattern", pair=UNTAG)
sa("any-notlike-miss", {"ForAnyValue:StringNotLike": {TK: "sys*"}}, {TK: ["sys-a"]}, Fa, "[Multi] ForAnyValue:StringNotLike: every value matches", pair=UNTAG)
sd("deny-any-eq-hit", {"ForAnyValue:StringEquals": {TK: ["sys", "owner"]}}, {TK: ["team", "owner"]}, T, "[Multi] Deny when any protected tag key is in the request")
sd("deny-any-eq-miss", {"ForAnyValue:StringEquals": {TK: ["sys", "owner"]}}, {TK: ["team"]}, Fa, "[Multi] Deny ForAnyValue: no protected key")
sd("deny-any-eq-missing", {"ForAnyValue:StringEquals": {TK: ["sys", "owner"]}}, {}, Fa, "[Multi] Deny ForAnyValue: key absent -> no deny")
sd("deny-any-noteq-hit", {"ForAnyValue:StringNotEquals": {TK: ["team", "cost"]}}, {TK: ["team", "x"]}, T, "[Multi] Deny any tag key outside the allowed list")
sd("deny-any-noteq-ok", {"ForAnyValue:StringNotEquals": {TK: ["team", "cost"]}}, {TK: ["cost"]}, Fa, "[Multi] Deny ForAnyValue:StringNotEquals: only allowed keys")
sd("deny-all-eq-absent", {"ForAllValues:StringEquals": {TK: ["team"]}}, {}, T, "[Multi] Deny + ForAllValues with key absent: vacuously true, Deny applies")
sa("orgpaths-any-like", {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}, {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"]}, T, "[Multi] ForAnyValue:StringLike on aws:PrincipalOrgPaths", pair=("connect:DescribeQueue", R_QUEUE))
sa("calledvia-any-eq", {"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}, {"aws:CalledVia": ["cloudformation.amazonaws.com"]}, T, "[Multi] ForAnyValue:StringEquals on aws:CalledVia", pair=("connect:DescribeInstance", R_INST))
sa("flowtype-any", {"ForAnyValue:StringEquals": {"connect:FlowType": ["AGENT_WHISPER", "CUSTOMER_QUEUE"]}}, {"connect:FlowType": ["CONTACT_FLOW"]}, Fa, "[Multi] ForAnyValue on connect:FlowType, no match", pair=("connect:DescribeContactFlow", R_CF))
sa("flowtype-all", {"ForAllValues:StringEquals": {"connect:FlowType": ["CONTACT_FLOW", "CUSTOMER_QUEUE"]}}, {"connect:FlowType": ["CONTACT_FLOW"]}, T, "[Multi] ForAllValues on connect:FlowType", pair=("connect:DescribeContactFlow", R_CF))
sa("keyname-ci", {"ForAnyValue:StringEquals": {"AWS:TAGKEYS": "team"}}, {TK: ["team"]}, T, "[Cond] set operator key name case-insensitive")
sa("single-valued-key-any", {"ForAnyValue:StringEquals": {"aws:PrincipalTag/dept": ["support", "sales"]}}, {"aws:PrincipalTag/dept": "support"}, T, "[Multi] set operator on a single-valued key treats it as a one-element set", pair=("connect:DescribeQueue", R_QUEUE))
sa("typed-numericlist-all", {"ForAllValues:NumericLessThan": {"custom:Scores": "10"}}, {"custom:Scores": {"type": "numericList", "values": ["1", "9.5", "-3"]}}, T, "[Multi] ForAllValues:NumericLessThan over a numeric list")
sa("typed-numericlist-any", {"ForAnyValue:NumericGreaterThan": {"custom:Scores": "10"}}, {"custom:Scores": {"type": "numericList", "values": ["1", "9.5"]}}, Fa, "[Multi] ForAnyValue:NumericGreaterThan, no value above 10")
# bare (non-set) operators on a multivalued key (engine decisions; at most 3 cases)
sa("bare-positive-on-multivalued", {"StringEquals": {TK: "team"}}, {TK: ["team"]}, Fa, "[Multi] bare positive operator on a multivalued key does not match (engine decision)")
sd("bare-negated-on-multivalued", {"StringNotEquals": {TK: "team"}}, {TK: ["team"]}, T, "[Multi] bare negated operator on a multivalued key matches, so the Deny applies (engine decision)")

# ======================================================================
# section: vars_layers
# ======================================================================

A_, I_, E_ = "Allowed", "ImplicitlyDenied", "ExplicitlyDenied"
F = "variables"
PTI = "aws:PrincipalTag/connectInstance"
INST_VAR_RES = "arn:aws:connect:*:111122223333:instance/${aws:PrincipalTag/connectInstance}/*"


def v(slug, exp, pols, ctx, desc, action="connect:DescribeQueue", resource=R_QUEUE, principal=ALICE):
    case(F, slug, exp, pols, action, resource, ctx, principal, desc)


v("res-principaltag-hit", A_, [P(allow("connect:Describe*", INST_VAR_RES))], {PTI: I1}, "[Vars] ${aws:PrincipalTag/k} in Resource resolves")
v("res-principaltag-other", I_, [P(allow("connect:Describe*", INST_VAR_RES))], {PTI: I2}, "[Vars] resolved value names another instance")
v("res-principaltag-absent", I_, [P(allow("connect:Describe*", INST_VAR_RES))], {}, "[Vars] unresolvable variable in Resource matches nothing: Allow grants nothing")
v("res-username-absent-role", I_, [P(allow("connect:DescribeUser", "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/agent/${aws:username}"))], {"aws:userid": "AROAEXAMPLEROLEID1:maria"},
  "[Vars] ${aws:username} never matches for a role session (key absent)", "connect:DescribeUser", sub("agent", "maria"), ROLE_SESS)
v("res-username-user", A_, [P(allow("connect:DescribeUser", "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/agent/${aws:username}"))], {"aws:username": "alice"},
  "[Vars] ${aws:username} resolves for an IAM user", "connect:DescribeUser", sub("agent", "alice"))
v("notres-unresolved-grants", A_, [P(allow("connect:Describe*", notresource=INST_VAR_RES))], {}, "[Vars][Res] Allow + NotResource with unresolvable variable excludes nothing: grants broadly")
v("notres-resolved-excludes", I_, [P(allow("connect:Describe*", notresource=INST_VAR_RES))], {PTI: I1}, "[Vars] Allow + NotResource resolved: the instance is excluded")
v("notres-resolved-other", A_, [P(allow("connect:Describe*", notresource="arn:aws:connect:*:111122223333:instance/${aws:PrincipalTag/blockedInstance}/*"))], {"aws:PrincipalTag/blockedInstance": I2},
  "[Vars] Allow + NotResource resolved to another instance")
v("deny-notres-unresolved", E_, [P(ALLOW_ALL_CONNECT, deny("connect:*", notresource=INST_VAR_RES))], {}, "[Vars][Res] Deny + NotResource with unresolvable variable denies broadly")
v("deny-notres-resolved", A_, [P(ALLOW_ALL_CONNECT, deny("connect:*", notresource=INST_VAR_RES))], {PTI: I1}, "[Vars] Deny + NotResource resolved to the caller's instance: no deny")
v("deny-notres-resolved-other", E_, [P(ALLOW_ALL_CONNECT, deny("connect:*", notresource=INST_VAR_RES))], {PTI: I2}, "[Vars] Deny + NotResource resolved to another instance: deny")
v("deny-res-unresolved", A_, [P(ALLOW_ALL_CONNECT, deny("connect:*", INST_VAR_RES))], {}, "[Vars] Deny + Resource with unresolvable variable matches nothing: no deny")
v("deny-res-resolved", E_, [P(ALLOW_ALL_CONNECT, deny("connect:Delete*", INST_VAR_RES))], {PTI: I1}, "[Vars] Deny + Resource with resolved variable", "connect:DeleteQueue")
v("default-used", A_, [P(allow("connect:DescribeQueue", "arn:aws:connect:us-east-1:111122223333:instance/${aws:PrincipalTag/connectInstance, '" + I1 + "'}/queue/*"))], {},
  "[Vars] default value used when the key is absent")
v("default-overridden", I_, [P(allow("connect:DescribeQueue", "arn:aws:connect:us-east-1:111122223333:instance/${aws:PrincipalTag/connectInstance, '" + I1 + "'}/queue/*"))], {PTI: I2},
  "[Vars] present key overrides the default")
v("default-in-notresource", I_, [P(allow("connect:*", notresource="arn:aws:connect:*:*:instance/${aws:PrincipalTag/fenced, '" + I1 + "'}/*"))], {},
  "[Vars] default value in NotResource excludes the default instance")
v("key-case-insensitive", A_, [P(allow("connect:Describe*", "arn:aws:connect:*:111122223333:instance/${AWS:PrincipalTag/CONNECTINSTANCE}/*"))], {PTI: I1},
  "[Vars] variable key name (and tag key) case-insensitive")
v("substituted-star-literal", I_, [P(allow("connect:DescribeQueue", "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/queue/${aws:PrincipalTag/queue}"))], {"aws:PrincipalTag/queue": "*"},
  "[Vars] a * inside a substituted value is literal text, not a wildcard (engine decision)")
v("substituted-star-literal-hit", A_, [P(allow("connect:ListQueues", "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/queue/${aws:PrincipalTag/queue}"))], {"aws:PrincipalTag/queue": "*"},
  "[Vars] substituted literal * matches the literal .../queue/* resource of ListQueues", "connect:ListQueues", R_WQUEUE)
v("two-vars", A_, [P(allow("connect:DescribeQueue", "arn:aws:connect:us-east-1:111122223333:instance/${aws:PrincipalTag/connectInstance}/queue/${aws:PrincipalTag/homeQueue}"))], {PTI: I1, "aws:PrincipalTag/homeQueue": Q1},
  "[Vars] two variables in one Resource")
v("var-plus-wildcard", A_, [P(allow("connect:UpdateQueue*", "arn:aws:connect:us-east-1:111122223333:instance/${aws:PrincipalTag/connectInstance}/queue/*"))], {PTI: I1},
  "[Vars] variable followed by a wildcard", "connect:UpdateQueueName")
v("escape-dollar-resource", A_, [P(allow("connect:DescribeView", "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/view/" + VW1 + ":${$}LATEST"))], {},
  "[Vars] ${$} escapes a literal $ in Resource", "connect:DescribeView", R_VIEWQ)
v("v2008-resource-literal", I_, [P(allow("connect:Describe*", INST_VAR_RES), v="2008-10-17")], {PTI: I1}, "[Vars][Ver] Version 2008-10-17: ${...} is literal text, no substitution")
v("noversion-resource-literal", I_, [P(allow("connect:Describe*", INST_VAR_RES), v=None)], {PTI: I1}, "[Vars][Ver] no Version: ${...} is literal text")

# condition values
OWN = "aws:ResourceTag/owner"
ca(F, "cond-username", {"StringEquals": {OWN: "${aws:username}"}}, {"aws:username": "alice", OWN: "alice"}, True, "[Vars] ${aws:username} in a condition value")
ca(F, "cond-username-other", {"StringEquals": {OWN: "${aws:username}"}}, {"aws:username": "alice", OWN: "bob"}, False, "[Vars] ${aws:username} resolves to another owner")
ca(F, "cond-userid-role", {"StringLike": {OWN: "${aws:userid}"}}, {"aws:userid": "AROAEXAMPLEROLEID1:maria", OWN: "AROAEXAMPLEROLEID1:maria"}, True, "[Vars] ${aws:userid} of a role session", principal=ROLE_SESS)
ca(F, "cond-userid-prefix", {"StringLike": {OWN: "${aws:userid}*"}}, {"aws:userid": "AIDAJQABLZS4A3QDU576Q", OWN: "AIDAJQABLZS4A3QDU576Q-draft"}, True, "[Vars] variable followed by a wildcard in StringLike")
ca(F, "abac-match", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {"aws:PrincipalTag/team": "billing", "aws:ResourceTag/team": "billing"}, True, "[Vars] ABAC: resource tag equals principal tag")
ca(F, "abac-mismatch", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {"aws:PrincipalTag/team": "billing", "aws:ResourceTag/team": "support"}, False, "[Vars] ABAC mismatch")
ca(F, "abac-resource-tag-missing", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {"aws:PrincipalTag/team": "billing"}, False, "[Vars] ABAC: condition key itself missing -> false")
ca(F, "abac-tagkey-case", {"StringEquals": {"aws:ResourceTag/team": "${aws:principaltag/TEAM}"}}, {"aws:PrincipalTag/team": "billing", "aws:ResourceTag/team": "billing"}, True, "[Vars] tag key part of a variable is case-insensitive")
ca(F, "request-key-var", {"StringEquals": {"aws:ResourceTag/instance": "${connect:InstanceId}"}}, {"connect:InstanceId": I1, "aws:ResourceTag/instance": I1}, True, "[Vars] any single-valued request key can be a variable")
ca(F, "cond-default-used", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}"}}, {"aws:ResourceTag/team": "shared"}, True, "[Vars] default value in a condition")
ca(F, "cond-default-used-miss", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}"}}, {"aws:ResourceTag/team": "ops"}, False, "[Vars] default value in a condition, no match")
ca(F, "cond-default-overridden", {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team, 'shared'}"}}, {"aws:PrincipalTag/team": "ops", "aws:ResourceTag/team": "shared"}, False, "[Vars] present key overrides the default in a condition")
ca(F, "substituted-star-literal-cond", {"StringLike": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}}, {"aws:PrincipalTag/project": "cx*", "aws:ResourceTag/project": "cx-voice"}, False, "[Vars] * from a substituted tag value is literal in StringLike (engine decision)")
ca(F, "substituted-star-literal-cond-hit", {"StringLike": {"aws:ResourceTag/project": "${aws:PrincipalTag/project}"}}, {"aws:PrincipalTag/project": "cx*", "aws:ResourceTag/project": "cx*"}, True, "[Vars] substituted literal * equals a literal *")
ca(F, "escape-star", {"StringLike": {"aws:RequestTag/pattern": "a${*}b"}}, {"aws:RequestTag/pattern": "a*b"}, True, "[Vars] ${*} is a literal *")
ca(F, "escape-star-not-wildcard", {"StringLike": {"aws:RequestTag/pattern": "a${*}b"}}, {"aws:RequestTag/pattern": "axyzb"}, False, "[Vars] ${*} is not a wildcard")
ca(F, "escape-qmark", {"StringLike": {"aws:RequestTag/label": "v${?}"}}, {"aws:RequestTag/label": "v?"}, True, "[Vars] ${?} is a literal ?")
ca(F, "escape-qmark-not-wildcard", {"StringLike": {"aws:RequestTag/label": "v${?}"}}, {"aws:RequestTag/label": "v1"}, False, "[Vars] ${?} is not a wildcard")
ca(F, "escape-dollar", {"StringEquals": {"aws:RequestTag/budget": "${$}100"}}, {"aws:RequestTag/budget": "$100"}, True, "[Vars] ${$} is a literal $")
ca(F, "v2008-cond-literal", {"StringEquals": {OWN: "${aws:username}"}}, {"aws:username": "alice", OWN: "alice"}, False, "[Vars][Ver] Version 2008-10-17: ${aws:username} is literal text", v="2008-10-17")
ca(F, "v2008-cond-literal-hit", {"StringEquals": {OWN: "${aws:username}"}}, {"aws:username": "alice", OWN: "${aws:username}"}, True, "[Vars][Ver] Version 2008-10-17: literal text equals itself", v="2008-10-17")
ca(F, "noversion-cond-literal", {"StringEquals": {OWN: "${aws:username}"}}, {"aws:username": "alice", OWN: "alice"}, False, "[Vars][Ver] no Version: literal text", v=None)
ca(F, "arnequals-var", {"ArnEquals": {"connect:UserArn": "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/agent/${aws:PrincipalTag/connectUserId}"}}, {"aws:PrincipalTag/connectUserId": U1, "connect:UserArn": R_USER}, True, "[Vars] variable in an ARN operator value")
ca(F, "arnequals-var-other", {"ArnEquals": {"connect:UserArn": "arn:aws:connect:us-east-1:111122223333:instance/" + I1 + "/agent/${aws:PrincipalTag/connectUserId}"}}, {"aws:PrincipalTag/connectUserId": U2, "connect:UserArn": R_USER}, False, "[Vars] variable in an ARN operator value, other user")
cd(F, "deny-abac-mismatch", {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {"aws:PrincipalTag/team": "billing", "aws:ResourceTag/team": "support"}, True, "[Vars] Deny StringNotEquals with a resolved variable")
cd(F, "deny-abac-match", {"StringNotEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}, {"aws:PrincipalTag/team": "billing", "aws:ResourceTag/team": "billing"}, False, "[Vars] Deny StringNotEquals, tags equal")

# ------------------------------------------------------------------ layers
F = "layers"
IDALL = [P(ALLOW_ALL_CONNECT)]


def lay(slug, exp, desc, pols=None, action="connect:DescribeQueue", resource=R_QUEUE, ctx=None, principal=ALICE, **kw):
    case(F, slug, exp, IDALL if pols is None else pols, action, resource, ctx, principal, desc, **kw)


B_DESCRIBE = P(allow("connect:Describe*"))
# permissions boundary
lay("boundary-same", A_, "[Eval] identity and boundary both allow", permissionBoundaries=[P(allow("connect:DescribeQueue", R_QUEUE))])
lay("boundary-other-service", I_, "[Eval] boundary allows only another service", permissionBoundaries=[P(allow("s3:*"))])
lay("boundary-explicit-deny", E_, "[Eval] Deny in the boundary wins", action="connect:DeleteQueue", permissionBoundaries=[P(allow("connect:*"), deny("connect:DeleteQueue"))])
lay("boundary-notaction-excluded", I_, "[Eval] boundary Allow NotAction excludes Delete*", action="connect:DeleteUser", resource=R_USER, permissionBoundaries=[P(allow(None, notaction="connect:Delete*"))])
lay("boundary-notaction-other", A_, "[Eval] boundary Allow NotAction covers DescribeUser", action="connect:DescribeUser", resource=R_USER, permissionBoundaries=[P(allow(None, notaction="connect:Delete*"))])
lay("boundary-condition-met", A_, "[Eval] boundary with a region condition, met", ctx={"aws:RequestedRegion": "us-east-1"}, permissionBoundaries=[P(allow("connect:*", "*", {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))])
lay("boundary-condition-unmet", I_, "[Eval] boundary with a region condition, unmet", ctx={"aws:RequestedRegion": "eu-west-2"}, resource=R_QUEUE_EU, permissionBoundaries=[P(allow("connect:*", "*", {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}))])
lay("boundary-resource-scope-in", A_, "[Eval] boundary scoped to one instance", permissionBoundaries=[P(allow("connect:*", f"arn:aws:connect:us-east-1:{AC}:instance/{I1}/*"))])
lay("boundary-resource-scope-out", I_, "[Eval] boundary scoped to one instance, request for another", resource=R_QUEUE_I2, permissionBoundaries=[P(allow("connect:*", f"arn:aws:connect:us-east-1:{AC}:instance/{I1}/*"))])
lay("identity-deny-boundary-allow", E_, "[Eval] identity Deny beats boundary Allow", pols=[P(ALLOW_ALL_CONNECT, deny("connect:DescribeQueue"))], permissionBoundaries=[P(allow("*"))])
lay("no-identity-boundary-deny", E_, "[Eval] explicit Deny in the boundary even without any identity Allow", pols=[], permissionBoundaries=[P(deny("connect:*"))])
lay("identity-and-boundary-disjoint", I_, "[Eval] identity allows queues only, boundary allows users only", pols=[P(allow("connect:*", "arn:aws:connect:*:*:instance/*/queue/*"))],
    permissionBoundaries=[P(allow("connect:*", "arn:aws:connect:*:*:instance/*/agent/*"))])
lay("boundary-two-statements", A_, "[Eval] any boundary statement may allow", action="connect:UpdateQueueName", permissionBoundaries=[P(allow("connect:Describe*"), allow("connect:Update*"))])
lay("boundary-wildcard-only-action", A_, "[Eval][Res] boundary allows ListInstances on *", action="connect:ListInstances", resource="*", permissionBoundaries=[P(allow("connect:List*"))])
lay("boundary-wildcard-only-specific-arn", I_, "[Res] boundary naming an ARN does not cover ListInstances", action="connect:ListInstances", resource="*",
    permissionBoundaries=[P(allow("connect:List*", f"arn:aws:connect:us-east-1:{AC}:instance/*"))])

# session policies
lay("session-subset-in", A_, "[Types] session policy ∩ identity: within both", principal=ROLE_SESS, sessionPolicy=P(allow("connect:Describe*", f"arn:aws:connect:us-east-1:{AC}:instance/{I1}/*")))
lay("session-subset-out", I_, "[Types] session policy scoped to another instance", principal=ROLE_SESS, resource=R_QUEUE_I2, sessionPolicy=P(allow("connect:Describe*", f"arn:aws:connect:us-east-1:{AC}:instance/{I1}/*")))
lay("session-never-grants", I_, "[Types] session policy cannot add permissions", principal=ROLE_SESS, pols=[P(allow("connect:List*"))], sessionPolicy=P(allow("*")))
lay("session-deny-no-identity", E_, "[Eval] Deny in the session policy is explicit even with no identity Allow", principal=ROLE_SESS, pols=[], sessionPolicy=P(deny("connect:*")))
lay("session-deny", E_, "[Eval] session policy Deny beats identity Allow", principal=ROLE_SESS2, action="connect:DeleteRoutingProfile", resource=R_RP, sessionPolicy=P(allow("connect:*"), deny("connect:Delete*")))
lay("session-condition-met", A_, "[Types] session policy with a condition, met", principal=ROLE_SESS, ctx={"aws:SourceIp": "192.0.2.10"}, sessionPolicy=P(allow("connect:*", "*", {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})))
lay("session-condition-unmet", I_, "[Types] session policy with a condition, unmet", principal=ROLE_SESS, ctx={"aws:SourceIp": "198.51.100.10"}, sessionPolicy=P(allow("connect:*", "*", {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}})))
lay("session-notaction", I_, "[Types] session policy Allow NotAction excludes the action", principal=ROLE_SESS, action="connect:DeleteQueue", sessionPolicy=P(allow(None, notaction=["connect:Delete*", "connect:Update*"])))
lay("role-session-no-session-policy", A_, "[Eval] role session without a session policy: identity decides", principal=ROLE_SESS)
lay("session-and-boundary-both", A_, "[Eval] identity ∩ boundary ∩ session all allow", principal=ROLE_SESS, sessionPolicy=P(allow("connect:Describe*")), permissionBoundaries=[P(allow("connect:*Queue*"))])
lay("session-allows-boundary-not", I_, "[Eval] session allows but boundary does not", principal=ROLE_SESS, action="connect:DescribeUser", resource=R_USER, sessionPolicy=P(allow("connect:Describe*")), permissionBoundaries=[P(allow("connect:*Queue*"))])
lay("session-boundary-deny", E_, "[Eval] Deny in the boundary with a session policy present", principal=ROLE_SESS, sessionPolicy=P(allow("connect:*")), permissionBoundaries=[P(allow("*"), deny("connect:DescribeQueue", R_QUEUE))])
# federated users
lay("federated-no-session-policy", I_, "[Eval][Types] federated user without a session policy gets nothing", principal=FED, pols=[FULL], sessionType="federated-user")
lay("federated-with-session-policy", A_, "[Types] federated user: identity ∩ session policy", principal=FED, sessionType="federated-user", sessionPolicy=P(allow("connect:DescribeQueue")))
lay("federated-session-policy-other", I_, "[Types] federated user: session policy does not cover the action", principal=FED, action="connect:DeleteQueue", sessionType="federated-user", sessionPolicy=P(allow("connect:Describe*")))
lay("federated-identity-deny", E_, "[Eval] federated user without session policy: an explicit Deny still reports ExplicitlyDenied", principal=FED, pols=[P(ALLOW_ALL_CONNECT, deny("connect:DescribeQueue"))], sessionType="federated-user")
lay("federated-session-grants-nothing-alone", I_, "[Types] federated user: session policy alone grants nothing", principal=FED, pols=[], sessionType="federated-user", sessionPolicy=P(allow("*")))
# SCPs
SCP_ALL = P(allow("*"))
lay("scp-allow-all", A_, "[Eval] SCP FullAWSAccess at one level", scps=[SCP_ALL])
lay("scp-three-levels-ok", A_, "[Eval] SCPs: every level allows", scps=[SCP_ALL, P(allow("connect:*")), P(allow("connect:Describe*"))])
lay("scp-three-levels-account-missing", I_, "[Eval] SCPs: account level does not allow DeleteQueue", action="connect:DeleteQueue", scps=[SCP_ALL, P(allow("connect:*")), P(allow("connect:Describe*"))])
lay("scp-root-missing", I_, "[Eval] SCPs: root level lacks an allow", scps=[P(allow("s3:*")), SCP_ALL, SCP_ALL])
lay("scp-deny-middle", E_, "[Eval] SCP Deny at the OU level", action="connect:DeleteInstance", resource=R_INST, scps=[SCP_ALL, P(allow("*"), deny("connect:DeleteInstance")), SCP_ALL])
lay("scp-region-deny-hit", E_, "[Eval] SCP region-lock Deny (StringNotEquals + NotAction)", ctx={"aws:RequestedRegion": "eu-west-2"}, resource=R_QUEUE_EU,
    scps=[P(allow("*"), deny(None, "*", {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}, notaction=["iam:*", "sts:*", "organizations:*"]))])
lay("scp-region-deny-miss", A_, "[Eval] SCP region-lock Deny, allowed region", ctx={"aws:RequestedRegion": "us-east-1"},
    scps=[P(allow("*"), deny(None, "*", {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}, notaction=["iam:*", "sts:*", "organizations:*"]))])
lay("scp-alone-grants-nothing", I_, "[Eval] SCPs never grant", pols=[], scps=[SCP_ALL])
lay("scp-allow-identity-deny", E_, "[Eval] identity Deny with SCP allowing", pols=[P(ALLOW_ALL_CONNECT, deny("connect:Describe*"))], scps=[SCP_ALL])
lay("scp-deny-no-identity-allow", E_, "[Eval] SCP Deny is explicit even when nothing allows", pols=[], scps=[P(allow("*"), deny("connect:*"))])
lay("scp-implicit-identity-deny", E_, "[Eval] SCP implicit deny + identity explicit Deny -> explicit", pols=[P(deny("connect:DescribeQueue"))], scps=[P(allow("s3:*"))])
lay("scp-resource-scoped", A_, "[Eval] SCP Allow scoped to a region's resources", scps=[P(allow("connect:*", "arn:aws:connect:us-east-1:*"))])
lay("scp-resource-scoped-miss", I_, "[Eval] SCP Allow scoped to us-east-1, request in eu-west-2", resource=R_QUEUE_EU, scps=[P(allow("connect:*", "arn:aws:connect:us-east-1:*"))])
lay("scp-wildcard-only-action", A_, "[Eval][Res] SCP allows CreateInstance via Resource *", action="connect:CreateInstance", resource="*", scps=[SCP_ALL, P(allow("connect:*"))])
lay("all-layers-allow", A_, "[Eval] identity, boundary, session, SCPs all allow", principal=ROLE_SESS, sessionPolicy=P(allow("connect:DescribeQueue")), permissionBoundaries=[P(allow("connect:Describe*"))], scps=[SCP_ALL, P(allow("connect:*"))])
lay("all-layers-scp-missing", I_, "[Eval] every layer allows except one SCP level", principal=ROLE_SESS, sessionPolicy=P(allow("connect:DescribeQueue")), permissionBoundaries=[P(allow("connect:Describe*"))], scps=[SCP_ALL, P(allow("connect:List*"))])
lay("all-layers-session-deny", E_, "[Eval] Deny in the session policy with all other layers allowing", principal=ROLE_SESS, sessionPolicy=P(allow("*"), deny("connect:*", R_QUEUE)), permissionBoundaries=[P(allow("*"))], scps=[SCP_ALL])
lay("union-of-identity-policies", A_, "[Eval] second identity policy grants, boundary caps to both", action="connect:DescribeSecurityProfile", resource=R_SP,
    pols=[P(allow("connect:DescribeQueue")), P(allow("connect:DescribeSecurityProfile", R_SP))], permissionBoundaries=[P(allow("connect:Describe*"))])

# ======================================================================
# section: malformed
# ======================================================================
import textwrap

F = "malformed"
MPD = "MalformedPolicyDocument"


def raw(s):
    return textwrap.dedent(s).lstrip("\n")


def bad(slug, policy, pointer, desc, at=None, occurrence=1, where="identity", good=None):
    """policy: dict or raw text. at: substring whose n-th occurrence starts the offending token (raw text only)."""
    kw = {"expectError": {"errorCode": MPD, "pointer": pointer}}
    if at is not None:
        assert isinstance(policy, str)
        kw["line"], kw["column"] = pos(policy, at, occurrence)
    goodp = good or P(allow("connect:*"))
    pols = [policy]
    if where == "identity2":
        pols = [goodp, policy]
    elif where == "boundary":
        pols = [goodp]
        kw["permissionBoundaries"] = [policy]
    elif where == "session":
        pols = [goodp]
        kw["sessionPolicy"] = policy
    case(F, slug, None, pols, "connect:DescribeQueue", R_QUEUE, {},
         ROLE_SESS if where == "session" else ALICE, desc, **kw)


def st(**fields):
    s = {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
    for k, v in fields.items():
        k = k.replace("__", ":")
        if v is None:
            s.pop(k, None)
        else:
            s[k] = v
    return s


def pol(*stmts, **top):
    d = {"Version": V12, "Statement": list(stmts)}
    d.update(top)
    return d


# ---- invalid JSON (raw text) -------------------------------------------------
T1 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["connect:DescribeQueue", ],
      "Resource": "*"
    }
  ]
}
''')
bad("json-trailing-comma", T1, "/Statement/0/Action", "[Gram] invalid JSON: trailing comma in an array (offending token is ']')", at=", ]")
# fix column to the ']' (pos gives the comma); recompute explicitly
CASES[F][-1]["line"], CASES[F][-1]["column"] = pos(T1, "]", 1)

T2 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow"
      "Action": "connect:DescribeQueue",
      "Resource": "*"
    }
  ]
}
''')
bad("json-missing-comma", T2, "/Statement/0", "[Gram] invalid JSON: missing comma between members (offending token is the next key)", at='"Action"')

T3 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": 'Allow',
      "Action": "connect:DescribeQueue",
      "Resource": "*"
    }
  ]
}
''')
bad("json-single-quotes", T3, "/Statement/0", "[Gram] invalid JSON: single-quoted string", at="'Allow'")

T4 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      Effect: "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*"
    }
  ]
}
''')
bad("json-unquoted-key", T4, "/Statement/0", "[Gram] invalid JSON: unquoted member name", at="Effect:")

T5 = raw('''
{
  // read-only access to queues
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ]
}
''')
bad("json-comment", T5, "", "[Gram] invalid JSON: comments are not JSON", at="//")

T6 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ]
''')
bad("json-truncated", T6, "", "[Gram] invalid JSON: document ends before the root object is closed")

T7 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ]
} x
''')
bad("json-trailing-garbage", T7, "", "[Gram] invalid JSON: content after the root object", at="x")
bad("json-empty-text", "", "", "[Gram] invalid JSON: empty document")
bad("json-not-object", '["Allow"]', "", "[Gram] a policy document must be a JSON object")

T8 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*",}
  ]
}
''')
bad("json-trailing-comma-object", T8, "/Statement/0", "[Gram] invalid JSON: trailing comma in an object (offending token is '}')", at=",}")
CASES[F][-1]["column"] += 1

# ---- duplicate keys (raw text) -------------------------------------------------
D1 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeQueue",
      "Effect": "Deny",
      "Resource": "*"
    }
  ]
}
''')
bad("dup-effect", D1, "/Statement/0/Effect", "[Gram] duplicate key Effect in a statement (position = second occurrence)", at='"Effect"', occurrence=2)

D2 = raw('''
{
  "Version": "2012-10-17",
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ]
}
''')
bad("dup-version", D2, "/Version", "[Gram] duplicate top-level key, even with equal values", at='"Version"', occurrence=2)

D3 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ],
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeUser", "Resource": "*"}
  ]
}
''')
bad("dup-statement", D3, "/Statement", "[Gram] duplicate top-level Statement", at='"Statement"', occurrence=2)

D4 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "aws:PrincipalTag/dept": "support",
          "aws:PrincipalTag/dept": "sales"
        }
      }
    }
  ]
}
''')
bad("dup-condition-key", D4, "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1dept", "[Gram] duplicate condition key under one operator; pointer escapes '/' as ~1", at='"aws:PrincipalTag/dept"', occurrence=2)

D5 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:PrincipalTag/dept": "support"},
        "StringEquals": {"aws:ResourceTag/env": "prod"}
      }
    }
  ]
}
''')
bad("dup-condition-operator", D5, "/Statement/0/Condition/StringEquals", "[Gram] duplicate condition operator in one Condition block", at='"StringEquals"', occurrence=2)

D6 = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*",
      "Action": "connect:DescribeUser"
    }
  ]
}
''')
bad("dup-action", D6, "/Statement/0/Action", "[Gram] duplicate Action key", at='"Action"', occurrence=2)

# ---- unknown elements / bad Effect (raw text with positions) -----------------
U1T = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Effects": "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*"
    }
  ]
}
''')
bad("unknown-element-effects", U1T, "/Statement/0/Effects", "[Gram] unknown statement element Effects", at='"Effects"')

U2T = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*",
      "Conditions": {"StringEquals": {"aws:PrincipalTag/dept": "support"}}
    }
  ]
}
''')
bad("unknown-element-conditions", U2T, "/Statement/0/Conditions", "[Gram] unknown statement element Conditions (Condition misspelt)", at='"Conditions"')

U3T = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "connect:DescribeQueue", "Resource": "*"}
  ],
  "Statements": []
}
''')
bad("unknown-top-level", U3T, "/Statements", "[Gram] unknown top-level element", at='"Statements"')

E1T = raw('''
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "allow",
      "Action": "connect:DescribeQueue",
      "Resource": "*"
    }
  ]
}
''')
bad("effect-lowercase", E1T, "/Statement/0/Effect", "[Gram] Effect must be exactly Allow or Deny (position = the value)", at='"allow"')

# ---- structural errors (object form, no positions) ---------------------------
bad("effect-permit", pol(st(Effect="Permit")), "/Statement/0/Effect", "[Gram] Effect value Permit")
bad("effect-upper-deny", pol(st(Effect="DENY")), "/Statement/0/Effect", "[Gram] Effect value DENY (case matters)")
bad("effect-array", pol(st(Effect=["Allow"])), "/Statement/0/Effect", "[Gram] Effect must be a string")
bad("effect-missing", pol(st(Effect=None)), "/Statement/0", "[Gram] statement without Effect")
bad("effect-missing-single-statement", {"Version": V12, "Statement": {"Action": "connect:DescribeQueue", "Resource": "*"}}, "/Statement", "[Gram] Statement given as one object, without Effect")
bad("action-and-notaction", pol(st(NotAction="connect:Delete*")), "/Statement/0", "[Gram] both Action and NotAction")
bad("no-action", pol(st(Action=None)), "/Statement/0", "[Gram] neither Action nor NotAction")
bad("resource-and-notresource", pol(st(NotResource=R_QUEUE2)), "/Statement/0", "[Gram] both Resource and NotResource")
bad("no-resource", pol(st(Resource=None)), "/Statement/0", "[Gram] neither Resource nor NotResource")
bad("second-statement-bad", pol(st(), st(Effect="Maybe")), "/Statement/1/Effect", "[Gram] the error is in the second statement")
bad("empty-action-list", pol(st(Action=[])), "/Statement/0/Action", "[Gram] empty Action list")
bad("missing-statement", {"Version": V12}, "", "[Gram] policy without Statement")
bad("version-bad-date", pol(st(), Version="2012-10-18"), "/Version", "[Ver] unsupported Version value")
bad("version-empty", pol(st(), Version=""), "/Version", "[Ver] empty Version value")
bad("principal-in-identity", pol(st(Principal={"AWS": f"arn:aws:iam::{AC}:root"})), "/Statement/0/Principal", "[Gram] Principal is not allowed in an identity policy")
bad("principal-star-in-identity", pol(st(Principal="*")), "/Statement/0/Principal", "[Gram] Principal * is not allowed in an identity policy")
bad("notprincipal-in-identity", pol(st(NotPrincipal={"AWS": f"arn:aws:iam::{AC}:user/bob"})), "/Statement/0/NotPrincipal", "[Gram] NotPrincipal is not allowed in an identity policy")
bad("sid-hyphen", pol(st(Sid="Allow-Queues")), "/Statement/0/Sid", "[Sid] Sid with a hyphen")
bad("sid-space", pol(st(Sid="Allow queues")), "/Statement/0/Sid", "[Sid] Sid with a space")
bad("sid-underscore", pol(st(Sid="Allow_Queues")), "/Statement/0/Sid", "[Sid] Sid with an underscore")
bad("sid-duplicate", pol(st(Sid="QueueRead"), st(Sid="QueueRead", Action="connect:ListQueues")), "/Statement/1/Sid", "[Sid] duplicate Sid (pointer = the second one)")
bad("action-no-prefix", pol(st(Action="DescribeQueue")), "/Statement/0/Action", "[Gram] action without a service: prefix")
bad("action-list-element-no-prefix", pol(st(Action=["connect:DescribeQueue", "DescribeUser"])), "/Statement/0/Action/1", "[Gram] one Action list element without a prefix (pointer = the element)")
bad("notaction-no-prefix", pol(st(Action=None, NotAction="Delete*")), "/Statement/0/NotAction", "[Gram] NotAction without a service: prefix")
bad("resource-not-arn", pol(st(Resource=f"connect:us-east-1:{AC}:instance/{I1}")), "/Statement/0/Resource", "[Gram] resource neither * nor arn:")
bad("resource-list-element-not-arn", pol(st(Resource=[R_QUEUE, "queue/*"])), "/Statement/0/Resource/1", "[Gram] Resource list element neither * nor arn:")
bad("notresource-not-arn", pol(st(Resource=None, NotResource="instance/*")), "/Statement/0/NotResource", "[Gram] NotResource neither * nor arn:")
C = lambda c: pol(st(Condition=c))
bad("op-stringequalz", C({"StringEqualz": {"aws:PrincipalTag/dept": "support"}}), "/Statement/0/Condition/StringEqualz", "[Ops] unknown condition operator")
bad("op-forallvalues-nope", C({"ForAllValues:Nope": {"aws:TagKeys": "team"}}), "/Statement/0/Condition/ForAllValues:Nope", "[Ops] unknown operator after a valid set prefix")
bad("op-unknown-prefix", C({"ForSomeValues:StringEquals": {"aws:TagKeys": "team"}}), "/Statement/0/Condition/ForSomeValues:StringEquals", "[Ops] unknown set-operator prefix")
bad("op-null-ifexists", C({"NullIfExists": {"aws:PrincipalTag/dept": "true"}}), "/Statement/0/Condition/NullIfExists", "[Ops] Null cannot take IfExists")
bad("value-object", C({"StringEquals": {"aws:PrincipalTag/dept": {"value": "support"}}}), "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1dept", "[Gram] condition value must be a string or array of strings, not an object")
bad("value-null", C({"StringEquals": {"aws:PrincipalTag/dept": None}}), "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1dept", "[Gram] condition value null")
bad("value-nested-array", C({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", ["192.0.2.0/24"]]}}), "/Statement/0/Condition/IpAddress/aws:SourceIp/1", "[Gram] nested array as condition value (pointer = the element)")
bad("numeric-not-number", C({"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}), "/Statement/0/Condition/NumericLessThan/aws:MultiFactorAuthAge", "[Ops] Numeric operator with a non-number")
bad("numeric-list-element", C({"NumericEquals": {"aws:MultiFactorAuthAge": ["60", "sixty"]}}), "/Statement/0/Condition/NumericEquals/aws:MultiFactorAuthAge/1", "[Ops] Numeric value list with one non-number (pointer = the element)")
bad("date-not-date", C({"DateLessThan": {"aws:CurrentTime": "next tuesday"}}), "/Statement/0/Condition/DateLessThan/aws:CurrentTime", "[Ops] Date operator with a non-date")
bad("ip-not-ip", C({"IpAddress": {"aws:SourceIp": "corporate-network"}}), "/Statement/0/Condition/IpAddress/aws:SourceIp", "[Ops] IpAddress with a non-IP value")
bad("ip-bad-octet", C({"NotIpAddress": {"aws:SourceIp": "203.0.113.999"}}), "/Statement/0/Condition/NotIpAddress/aws:SourceIp", "[Ops] NotIpAddress with an out-of-range octet")
bad("binary-bad-base64", C({"BinaryEquals": {"custom:RequestDigest": "%%not base64%%"}}), "/Statement/0/Condition/BinaryEquals/custom:RequestDigest", "[Ops] BinaryEquals with invalid base64")
bad("bool-not-boolean", C({"Bool": {"aws:SecureTransport": "yes"}}), "/Statement/0/Condition/Bool/aws:SecureTransport", "[Ops] Bool with a non-boolean value")
bad("ifexists-bad-numeric", C({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "1h"}}), "/Statement/0/Condition/NumericLessThanIfExists/aws:MultiFactorAuthAge", "[Ops] value check also applies to ...IfExists operators")
bad("boundary-bad-effect", pol(st(Effect="Allowed")), "/Statement/0/Effect", "[Gram] malformed permissions boundary is rejected", where="boundary")
bad("session-principal", pol(st(Principal="*")), "/Statement/0/Principal", "[Gram] malformed session policy is rejected", where="session")
bad("second-identity-policy-bad", pol(st(Action=[])), "/Statement/0/Action", "[Gram] the second identity policy is malformed (pointer relative to that document)", where="identity2")

# ---- valid-but-unusual documents: must evaluate, not error -------------------
A_ = "Allowed"
case(F, "valid-v2008", A_, [P(allow("connect:DescribeQueue"), v="2008-10-17")], desc="[Ver] Version 2008-10-17 is accepted")
case(F, "valid-no-version", A_, [P(allow("connect:DescribeQueue"), v=None)], desc="[Ver] Version may be omitted")
case(F, "valid-raw-text", A_, ['{"Version":"2012-10-17","Statement":{"Sid":"Q1","Effect":"Allow","Action":"connect:DescribeQueue","Resource":"*"}}'], desc="[Gram] policy passed as raw text, single statement object")
case(F, "valid-ifexists-set-op", A_, [P(allow("connect:DescribeQueue", "*", {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "team*"}}))], ctx={"aws:TagKeys": ["team-x"]}, desc="[Ops] set prefix + IfExists suffix is a valid operator")


if __name__ == "__main__":
    out = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    counts = write_all(out)
    for k, n in counts.items():
        print(f"{k}.jsonl {n}")
    print("total", sum(counts.values()))
