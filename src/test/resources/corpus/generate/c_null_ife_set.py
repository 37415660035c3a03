from common import *

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
