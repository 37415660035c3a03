from common import *

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
