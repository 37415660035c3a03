from common import *
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
