#!/usr/bin/env python3
"""Generates corpus/cross-account.jsonl: same/cross account x resource policy (none, naming the caller in each
principal form, naming someone else) x caller form (IAM user, IAM role, role session, federated-user session)
x boundary/session policy (none, present and not allowing, present and allowing) x identity allow (yes/no)
x explicit Deny (none, in the identity policy, in the resource policy), plus RCP, ARN-case and input-validation
cases. Expected decisions follow the IAM User Guide sentences quoted in each case's description (see SENTENCES);
they are computed here by this script's own reading, not by the engine.

Run from the repository root: python3 src/test/resources/corpus/generate/gen_cross_account.py
"""
import itertools
import json

A = "111122223333"   # the caller's account
B = "444455556666"   # another account
ACTION = "s3:GetObject"
RESOURCE = "arn:aws:s3:::bucket/key"           # names no account: ResourceOwner (or the caller's) owns it
SQS = "arn:aws:sqs:us-east-1:{acct}:queue"     # names its account

SENTENCES = {
    "deny": "[Eval] An explicit deny in any of these policies overrides the allow "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)",
    "xacct": "[XAcct] the requesting principal must be allowed by its identity-based policy and the resource-based "
             "policy must allow the principal in the other account; without a resource-based policy the request is "
             "implicitly denied (https://docs.aws.amazon.com/IAM/latest/UserGuide/"
             "reference_policies_evaluation-logic-cross-account.html)",
    "direct": "[Eval] If a resource-based policy grants permission directly to the IAM user or the session principal "
              "that is making the request, then an implicit deny in an identity-based policy, a permissions boundary, "
              "or a session policy does not impact the final decision "
              "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)",
    "role": "[Boundaries] Resource-based policies that grant permissions to an IAM role ARN are limited by an implicit "
            "deny in a permissions boundary or session policy "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)",
    "star": "[Eval] Permissions boundaries and session policies do not limit permissions granted using the "
            "aws:PrincipalArn condition key with a wildcard(*) in the Principal element "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)",
    "account": "[Principal] When you use an AWS account identifier as the principal in a policy, you delegate "
               "authority to the account: the identity policies must allow "
               "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)",
    "other": "[Principal] a resource-based policy grants only to the principals it names "
             "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)",
    "none": "[Eval] without a resource-based policy: identity AND boundary AND session policy "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)",
    "federated": "[STSAPI] GetFederationToken: if you do not pass any session policies, then the resulting federated "
                 "user session has no permissions (except what a resource-based policy grants to its ARN)",
}


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action=ACTION, resource=RESOURCE):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


CALLERS = {
    "user": f"arn:aws:iam::{A}:user/alice",
    "role": f"arn:aws:iam::{A}:role/app",
    "session": f"arn:aws:sts::{A}:assumed-role/app/s1",
    "federated": f"arn:aws:sts::{A}:federated-user/fed",
}


def named(caller_form, naming):
    """The Principal element for `naming`, or None when it does not apply to this caller form."""
    if naming == "direct":
        return {"AWS": CALLERS[caller_form]}
    if naming == "role":
        return {"AWS": f"arn:aws:iam::{A}:role/app"} if caller_form == "session" else None
    if naming == "account":
        return {"AWS": A}
    if naming == "star":
        return "*"
    if naming == "other":
        return {"AWS": f"arn:aws:iam::{A}:user/someone-else"}
    raise ValueError(naming)


def expected(c):
    """Returns (expect, reason, sentence key)."""
    if c["deny"] != "none":
        return "ExplicitlyDenied", "explicit-deny", "deny"
    form, naming, cross = c["caller"], c["rp"], c["cross"]
    is_session = form in ("session", "federated")
    boundary_ok = c["cap"] != "boundary-blocks"
    if form == "federated":
        session_reason = None if c["cap"] == "session-allows" else (
            "session-implicit-deny" if c["cap"] == "session-blocks" else "federated-user-without-session-policy")
    else:
        session_reason = "session-implicit-deny" if c["cap"] == "session-blocks" else None
    def requester():
        if not c["identity"]:
            return "no-identity-allow"
        if not boundary_ok:
            return "boundary-implicit-deny"
        return session_reason
    if cross:
        if naming == "none":
            return "ImplicitlyDenied", "cross-account-no-resource-policy", "xacct"
        r = requester()
        if r:
            return "ImplicitlyDenied", r, "xacct"
        if naming == "other":
            return "ImplicitlyDenied", "no-resource-policy-allow", "xacct"
        return "Allowed", "allowed", "xacct"
    # same account
    stands_alone = naming == "star" or (naming == "direct" and form != "role")   # a role ARN grant is capped
    if stands_alone:
        return "Allowed", "allowed", "star" if naming == "star" else "direct"
    capped = naming == "role" or (naming == "direct" and form == "role")
    key = "role" if capped else ("account" if naming == "account" else ("other" if naming == "other" else "none"))
    if not c["identity"] and not capped:
        return "ImplicitlyDenied", "no-identity-allow", key
    if not boundary_ok:
        return "ImplicitlyDenied", "boundary-implicit-deny", key
    if session_reason:
        return "ImplicitlyDenied", session_reason, "federated" if session_reason.startswith("federated") else key
    return "Allowed", "allowed", key


def caps_for(form):
    if form in ("session", "federated"):
        return ["none", "boundary-blocks", "session-blocks", "session-allows"]
    return ["none", "boundary-blocks"]


def build(c, n):
    form = c["caller"]
    identity = [policy(allow())] if c["identity"] else [policy(allow("s3:ListBucket", "arn:aws:s3:::bucket"))]
    if c["deny"] == "identity":
        identity[0]["Statement"].append({"Effect": "Deny", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket/*"})
    case = {"id": "", "principal": CALLERS[form], "action": ACTION, "resource": RESOURCE, "context": {},
            "identityPolicies": identity}
    if c["cap"] == "boundary-blocks":
        case["permissionBoundaries"] = [policy(allow("sqs:*", "*"))]
    elif c["cap"] == "session-blocks":
        case["sessionPolicy"] = policy(allow("s3:ListBucket", "arn:aws:s3:::bucket"))
    elif c["cap"] == "session-allows":
        case["sessionPolicy"] = policy(allow("s3:*", "*"))
    if c["cross"]:
        case["resourceOwner"] = f"arn:aws:iam::{B}:root"
    if c["rp"] != "none":
        statements = [{"Sid": "Grant", "Effect": "Allow", "Principal": named(form, c["rp"]), "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::bucket/*"}]
        if c["deny"] == "resource":
            statements.append({"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                               "Resource": "arn:aws:s3:::bucket/*"})
        case["resourcePolicy"] = policy(*statements)
    expect, reason, key = expected(c)
    case["expect"] = expect
    case["expectReason"] = reason
    acct = "cross" if c["cross"] else "same"
    case["id"] = f"xa-{n:04d}-{acct}-{form}-rp-{c['rp']}-{c['cap']}-id-{'allow' if c['identity'] else 'none'}-deny-{c['deny']}"
    case["description"] = SENTENCES[key]
    case["combination"] = {"account": acct, "resourcePolicy": c["rp"], "principal": form, "cap": c["cap"],
                           "identityAllows": c["identity"], "explicitDeny": c["deny"]}
    return case


def grid():
    n = 0
    for cross, form in itertools.product([False, True], CALLERS):
        for rp in ["none", "direct", "role", "account", "star", "other"]:
            if rp == "role" and form != "session":
                continue
            for cap, ident, deny in itertools.product(caps_for(form), [True, False], ["none", "identity", "resource"]):
                if deny == "resource" and rp == "none":
                    continue
                if deny != "none" and (cap != "none" or not ident):
                    continue   # one explicit Deny per side is enough: it wins whatever the rest says
                n += 1
                yield build({"cross": cross, "caller": form, "rp": rp, "cap": cap, "identity": ident, "deny": deny}, n)


def extras():
    """RCPs, accounts named in the ARN, ARN case, and IAM's input validation."""
    out = []
    base = {"principal": CALLERS["user"], "action": ACTION, "context": {}, "identityPolicies": [policy(allow(["s3:*", "sqs:*"], "*"))]}
    def add(id_, description, **fields):
        c = dict(base)
        c.update(fields)
        c["id"] = "xa-extra-" + id_
        c["description"] = description
        out.append(c)
    rcp = "[RCP] RCPs limit permissions that identity-based and resource-based policies can grant to resources in " \
          "accounts within your organization (https://docs.aws.amazon.com/organizations/latest/userguide/" \
          "orgs_manage_policies_rcps.html)"
    add("rcp-allows-same", rcp, resource=RESOURCE, rcps=[policy(allow("*", "*"))], expect="Allowed",
        expectReason="allowed")
    add("rcp-blocks-same", rcp, resource=RESOURCE, rcps=[policy(allow("sqs:*", "*"))], expect="ImplicitlyDenied",
        expectReason="rcp-implicit-deny")
    add("rcp-second-level-blocks", rcp, resource=RESOURCE, rcps=[policy(allow("*", "*")), policy(allow("sqs:*", "*"))],
        expect="ImplicitlyDenied", expectReason="rcp-implicit-deny")
    add("rcp-deny-same", rcp, resource=RESOURCE, rcps=[policy(allow("*", "*"), {"Effect": "Deny", "Action": "s3:*",
        "Resource": "*"})], expect="ExplicitlyDenied", expectReason="explicit-deny")
    grant = policy({"Effect": "Allow", "Principal": {"AWS": A}, "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"})
    add("rcp-blocks-cross-with-grant", rcp, resource=RESOURCE, resourceOwner=f"arn:aws:iam::{B}:root",
        resourcePolicy=grant, rcps=[policy(allow("sqs:*", "*"))], expect="ImplicitlyDenied",
        expectReason="rcp-implicit-deny")
    add("rcp-allows-cross-with-grant", rcp, resource=RESOURCE, resourceOwner=f"arn:aws:iam::{B}:root",
        resourcePolicy=grant, rcps=[policy(allow("*", "*"))], expect="Allowed", expectReason="allowed")
    arn_acct = "[XAcct] the resource's account is the account field of its ARN; ResourceOwner applies only to " \
               "resources whose ARN names no account (IAM API Reference, SimulateCustomPolicy ResourceOwner)"
    add("arn-other-account", arn_acct, action="sqs:SendMessage", resource=SQS.format(acct=B),
        expect="ImplicitlyDenied", expectReason="cross-account-no-resource-policy")
    add("arn-own-account-owner-ignored", arn_acct, action="sqs:SendMessage", resource=SQS.format(acct=A),
        resourceOwner=f"arn:aws:iam::{B}:root", expect="Allowed", expectReason="allowed")
    add("arn-other-account-granted", arn_acct, action="sqs:SendMessage", resource=SQS.format(acct=B),
        resourcePolicy=policy({"Effect": "Allow", "Principal": {"AWS": CALLERS["user"]}, "Action": "sqs:SendMessage",
                               "Resource": SQS.format(acct=B)}), expect="Allowed", expectReason="allowed")
    add("context-account-key-is-not-the-resource-account", arn_acct + "; aws:ResourceAccount is a condition input only",
        action="sqs:SendMessage", resource=SQS.format(acct=B), context={"aws:ResourceAccount": A},
        expect="ImplicitlyDenied", expectReason="cross-account-no-resource-policy")
    path = "[Principal] IAM user and role names are unique within an account whatever their path, so a role ARN " \
           "with a path names the same role as its session ARN (which omits the path)"
    add("role-with-path-names-session", path + "; " + SENTENCES["role"], principal=CALLERS["session"],
        identityPolicies=[policy(allow("s3:ListBucket", "arn:aws:s3:::bucket"))], resource=RESOURCE,
        resourcePolicy=policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:role/team/app"},
                               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}),
        expect="Allowed", expectReason="allowed")
    add("notprincipal-deny-excluding-other", SENTENCES["deny"] + "; NotPrincipal applies to every principal it does "
        "not list", resource=RESOURCE, resourcePolicy=policy({"Effect": "Deny", "NotPrincipal": {"AWS": f"arn:aws:iam::{A}:user/bob"},
        "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"}), expect="ExplicitlyDenied", expectReason="explicit-deny")
    add("notprincipal-deny-excluding-caller", "NotPrincipal does not apply to the principals it lists",
        resource=RESOURCE, resourcePolicy=policy({"Effect": "Deny", "NotPrincipal": {"AWS": CALLERS["user"]},
        "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"}), expect="Allowed", expectReason="allowed")
    acct = "[Principal] an AWS account identifier in a Principal element names the account (its root): every " \
           "principal in it, in the partition the policy is in (https://docs.aws.amazon.com/IAM/latest/UserGuide/" \
           "reference_policies_elements_principal.html)"
    add("deny-names-caller-account", SENTENCES["deny"] + "; " + acct, resource=RESOURCE,
        resourcePolicy=policy({"Effect": "Deny", "Principal": {"AWS": A}, "Action": "s3:*",
                               "Resource": "arn:aws:s3:::bucket/*"}), expect="ExplicitlyDenied",
        expectReason="explicit-deny")
    add("notprincipal-deny-excluding-caller-account", "NotPrincipal does not apply to the principals it lists; " + acct,
        resource=RESOURCE, resourcePolicy=policy({"Effect": "Deny", "NotPrincipal": {"AWS": A}, "Action": "s3:*",
                                                  "Resource": "arn:aws:s3:::bucket/*"}),
        expect="Allowed", expectReason="allowed")
    add("notprincipal-allow-excluding-caller-account", "NotPrincipal does not apply to the principals it lists, so "
        "it grants them nothing; " + acct, resource=RESOURCE, identityPolicies=[policy(allow("sqs:*", "*"))],
        resourcePolicy=policy({"Effect": "Allow", "NotPrincipal": {"AWS": A}, "Action": "s3:*",
                               "Resource": "arn:aws:s3:::bucket/*"}),
        expect="ImplicitlyDenied")
    add("service-principal-does-not-name-a-user", SENTENCES["other"] + "; a service principal is not an IAM user",
        resource=RESOURCE, resourceOwner=f"arn:aws:iam::{B}:root",
        resourcePolicy=policy({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "s3:*",
                               "Resource": "arn:aws:s3:::bucket/*"}),
        expect="ImplicitlyDenied", expectReason="no-resource-policy-allow")
    case_ = "never over-grant: AWS does not say whether ARN partition/service/region compare case-sensitively; a Deny " \
            "applies if it applies under either reading, an Allow grants only if it grants under both " \
            "(issue 12; [ARN] https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)"
    conn = f"arn:aws:connect:us-east-1:{A}:instance/inst-1/agent/u-1"
    add("arn-case-deny-upper-service", case_, action="connect:DescribeUser", resource=conn,
        identityPolicies=[policy(allow("*", "*"), {"Effect": "Deny", "Action": "connect:*",
                                                   "Resource": f"arn:aws:CONNECT:us-east-1:{A}:instance/*"})],
        expect="ExplicitlyDenied", expectReason="explicit-deny")
    add("arn-case-deny-upper-region", case_, action="connect:DescribeUser", resource=conn,
        identityPolicies=[policy(allow("*", "*"), {"Effect": "Deny", "Action": "connect:*",
                                                   "Resource": f"arn:AWS:connect:US-EAST-1:{A}:instance/*"})],
        expect="ExplicitlyDenied", expectReason="explicit-deny")
    add("arn-case-allow-upper-service", case_, action="connect:DescribeUser", resource=conn,
        identityPolicies=[policy(allow("connect:*", f"arn:aws:CONNECT:us-east-1:{A}:instance/*"))],
        expect="ImplicitlyDenied", expectReason="no-identity-allow")
    add("arn-case-allow-notresource-upper", case_, action="connect:DescribeUser", resource=conn,
        identityPolicies=[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:*",
                           "NotResource": f"arn:aws:CONNECT:us-east-1:{A}:instance/*"}]}],
        expect="ImplicitlyDenied", expectReason="no-identity-allow")
    add("arn-case-deny-notresource-upper", case_, action="connect:DescribeUser", resource=conn,
        identityPolicies=[policy(allow("*", "*")), {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
                          "Action": "connect:*", "NotResource": f"arn:aws:CONNECT:us-east-1:{A}:instance/*"}]}],
        expect="ExplicitlyDenied", expectReason="explicit-deny")
    add("arn-case-request-upper-denied", case_, action="connect:DescribeUser",
        resource=f"arn:aws:Connect:us-east-1:{A}:instance/inst-1/agent/u-1",
        identityPolicies=[policy(allow("*", "*"), {"Effect": "Deny", "Action": "connect:*",
                                                   "Resource": f"arn:aws:connect:us-east-1:{A}:instance/*"})],
        expect="ExplicitlyDenied", expectReason="explicit-deny")
    sim = "[Sim] SimulateCustomPolicy: CallerArn is required if you include a ResourcePolicy so that the policy's " \
          "Principal element has a value to use in evaluating the policy"
    c = dict(base, id="xa-extra-resource-policy-needs-caller", description=sim, resource=RESOURCE,
             resourcePolicy=grant, expectError={"errorCode": "InvalidInput", "pointer": "/SimulateCustomPolicy/CallerArn"})
    c["principal"] = None
    out.append(c)
    add("resource-owner-must-be-account-arn", "[Sim] ResourceOwner: the ARN for an account uses the syntax "
        "arn:aws:iam::AWS-account-ID:root", resource=RESOURCE, resourceOwner=B,
        expectError={"errorCode": "InvalidInput", "pointer": "/SimulateCustomPolicy/ResourceOwner"})
    add("resource-policy-needs-principal", "[Gram] a statement of a resource-based policy needs Principal or "
        "NotPrincipal", resource=RESOURCE, resourcePolicy=policy(allow("s3:*", "*")),
        expectError={"errorCode": "MalformedPolicyDocument"})
    return out


if __name__ == "__main__":
    cases = list(grid()) + extras()
    with open("src/test/resources/corpus/cross-account.jsonl", "w") as f:
        for c in cases:
            f.write(json.dumps(c, separators=(",", ":")) + "\n")
    counts = {}
    for c in cases:
        k = c.get("combination")
        key = (k["account"], "rp" if k["resourcePolicy"] != "none" else "no-rp") if k else ("extra",)
        counts[key] = counts.get(key, 0) + 1
    print(len(cases), counts)
