from common import *

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
