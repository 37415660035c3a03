from common import *

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
