package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteAuthorizerTest {

    static final ArnContext CTX = ArnContext.of("us-east-1", "111122223333");
    static final String BASE = "arn:aws:connect:us-east-1:111122223333:instance/inst-1";
    static final RouteTable ROUTES = RouteTable.defaultTable();
    static final ConnectCatalog CATALOG = ConnectCatalog.defaultCatalog();
    /** Resources have no tags. */
    static final RouteAuthorizer AUTHORIZER = new RouteAuthorizer(CATALOG, arn -> Map.of(), false);

    static CompiledPolicySet identity(String... statements) {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        for (int i = 0; i < statements.length; i++) {
            String text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements[i] + "]}";
            b.identity(CompiledPolicy.compile(PolicyParser.parse(text, PolicyType.MANAGED, "p" + i)));
        }
        return b.build();
    }

    static String allow(String action, String resource) {
        return stmt("Allow", action, resource, null);
    }

    static String stmt(String effect, String action, String resource, String condition) {
        return "{\"Sid\":\"S" + Math.abs((effect + action + resource + condition).hashCode()) + "\",\"Effect\":\""
                + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static Optional<RouteMatch> route(String method, String path) {
        return ROUTES.match(method, path, Map.of(), CTX);
    }

    static RouteAuthorization run(String method, String path, CompiledPolicySet set) {
        return AUTHORIZER.authorize(route(method, path), set, keys());
    }

    static List<ContextValue> keys() {
        return List.of(ContextValue.single("connect:InstanceId", "inst-1"),
                ContextValue.single("aws:RequestedRegion", "us-east-1"));
    }

    // ------------------------------------------------------------------ visible resources

    @Test
    void unmappedRouteIsDenied() {
        RouteAuthorization r = run("GET", "/no/such/route", identity(allow("*", "*")));
        assertFalse(r.allowed());
        assertEquals("unmapped-route", r.reason().label());
        assertNull(r.action());
    }

    @Test
    void routeWithoutIamActionIsDenied() {
        String op = ROUTES.routesWithoutIamAction().get(0).operation();
        var def = ROUTES.route(op).orElseThrow();
        String path = def.path().template().replaceAll("\\{[^}]+}", "x1");
        RouteAuthorization r = AUTHORIZER.authorize(ROUTES.match(def.method(), path, Map.of(), CTX),
                identity(allow("*", "*")), keys());
        assertEquals("unmapped-route", r.reason().label(), r.detail());
    }

    @Test
    void invalidIdentifierIsDenied() {
        // an ARN of the wrong type in place of the user id
        RouteAuthorization r = run("GET", "/users/inst-1/" + "arn%3Aaws%3Aconnect%3Aus-east-1%3A111122223333%3Ainstance%2Finst-1%2Fqueue%2Fq-1",
                identity(allow("*", "*")));
        assertEquals("invalid-resource-identifier", r.reason().label(), r.detail());
    }

    @Test
    void describeUserAllowedOnExactArn() {
        RouteAuthorization r = run("GET", "/users/inst-1/u-9", identity(allow("connect:DescribeUser", BASE + "/agent/u-9")));
        assertTrue(r.allowed(), r.detail());
        assertEquals("connect:DescribeUser", r.action());
        assertEquals(List.of(BASE + "/agent/u-9"), r.resourcesEvaluated());
        assertEquals("p0", r.policyId());
        assertEquals(0, r.statementIndex());
    }

    @Test
    void describeUserOtherUserIsImplicitDeny() {
        RouteAuthorization r = run("GET", "/users/inst-1/u-8", identity(allow("connect:DescribeUser", BASE + "/agent/u-9")));
        assertEquals("no-identity-allow", r.reason().label());
    }

    @Test
    void explicitDenyWins() {
        RouteAuthorization r = run("GET", "/users/inst-1/u-9", identity(allow("connect:*", "*"),
                stmt("Deny", "connect:Describe*", BASE + "/agent/*", null)));
        assertEquals("explicit-deny", r.reason().label());
        assertEquals("p1", r.policyId());
        assertTrue(r.sid().startsWith("S"));
    }

    @Test
    void actionWithOnlyStarResource() {
        RouteAuthorization r = run("GET", "/instance", identity(allow("connect:ListInstances", "*")));
        assertTrue(r.allowed(), r.detail());
        assertEquals(List.of("*"), r.resourcesEvaluated());
        assertFalse(run("GET", "/instance", identity(allow("connect:ListInstances", BASE))).allowed());
    }

    @Test
    void everyVisibleResourceMustBeAllowed() {
        // UpdateUserRoutingProfile: user visible, routing profile hidden; allow on both user and all profiles
        CompiledPolicySet both = identity(allow("connect:UpdateUserRoutingProfile", BASE + "/agent/u-9"),
                allow("connect:UpdateUserRoutingProfile", BASE + "/routing-profile/*"));
        assertTrue(run("POST", "/users/inst-1/u-9/routing-profile", both).allowed());
        CompiledPolicySet onlyProfiles = identity(allow("connect:UpdateUserRoutingProfile", BASE + "/routing-profile/*"));
        RouteAuthorization r = run("POST", "/users/inst-1/u-9/routing-profile", onlyProfiles);
        assertEquals("no-identity-allow", r.reason().label(), r.detail());
    }

    // ------------------------------------------------------------------ resources not visible (body only)

    static final String UURP = "connect:UpdateUserRoutingProfile";
    static final String USER = BASE + "/agent/u-9";

    static RouteAuthorization uurp(String... extra) {
        List<String> statements = new ArrayList<>();
        statements.add(allow(UURP, USER));
        statements.addAll(List.of(extra));
        return run("POST", "/users/inst-1/u-9/routing-profile", identity(statements.toArray(String[]::new)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // whole routing-profile space, no deny
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/*|allowed",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/*|allowed",
            "arn:aws:connect:us-east-1:111122223333:instance/*|allowed",
            "arn:aws:connect:*:111122223333:instance/inst-1/routing-profile/*|allowed",
            "arn:aws:connect:*|allowed",
            "*|allowed",
            "arn:aws:connect:us-east-1:111122223333:instance/*/routing-profile/*|allowed",
            // one specific routing profile, or a subset
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/rp-1|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/rp-*|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/?*|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/*-prod|resource-not-visible",
            // another instance or type
            "arn:aws:connect:us-east-1:111122223333:instance/inst-2/routing-profile/*|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/queue/*|resource-not-visible",
            "arn:aws:connect:us-west-2:111122223333:instance/inst-1/routing-profile/*|resource-not-visible",
    })
    void allowOnHiddenRoutingProfile(String resource, String expected) {
        RouteAuthorization r = uurp(allow(UURP, resource));
        assertEquals(expected, r.reason().label(), r.detail());
        assertTrue(r.resourcesEvaluated().contains(BASE + "/routing-profile/*"));
    }

    @Test
    void variablesInResourceNeverCover() {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/${aws:PrincipalTag/rp}"));
        assertEquals("resource-not-visible", r.reason().label());
        RouteAuthorization r2 = uurp(allow(UURP, BASE + "/${aws:PrincipalTag/kind}*"));
        assertEquals("resource-not-visible", r2.reason().label());
    }

    @Test
    void notResourceAllowNeverCovers() {
        String s = "{\"Effect\":\"Allow\",\"Action\":\"" + UURP + "\",\"NotResource\":\"" + BASE + "/queue/*\"}";
        assertEquals("resource-not-visible", uurp(s).reason().label());
    }

    @ParameterizedTest(name = "deny {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/rp-1|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/*|resource-not-visible",
            "arn:aws:connect:*:*:instance/*/routing-profile/rp-admin|resource-not-visible",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/${aws:username}|resource-not-visible",
            // cannot match any routing profile of inst-1
            "arn:aws:connect:us-east-1:111122223333:instance/inst-2/routing-profile/rp-1|allowed",
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/queue/*|allowed",
            "arn:aws:connect:eu-west-1:*|allowed",
    })
    void denyThatMayMatchTheHiddenProfile(String resource, String expected) {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"), stmt("Deny", UURP, resource, null));
        assertEquals(expected, r.reason().label(), r.detail());
        if (expected.equals("resource-not-visible")) {
            assertEquals("p2", r.policyId());
        }
    }

    @Test
    void denyForAnotherActionDoesNotMatter() {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"),
                stmt("Deny", "connect:DeleteRoutingProfile", BASE + "/routing-profile/rp-1", null));
        assertTrue(r.allowed(), r.detail());
    }

    @Test
    void denyWithDefinitelyFalseConditionDoesNotMatter() {
        // aws:SourceIp is known at the edge (absent here → IpAddress is false): the Deny can never apply
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"), stmt("Deny", UURP,
                BASE + "/routing-profile/rp-1", "{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}"));
        assertTrue(r.allowed(), r.detail());
    }

    @Test
    void denyWithTrueConditionApplies() {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"), stmt("Deny", UURP,
                BASE + "/routing-profile/rp-1", "{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}"));
        assertEquals("resource-not-visible", r.reason().label());
    }

    @Test
    void denyOnRequestTagsMayApplyBecauseTheBodyCanCarryThem() {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"), stmt("Deny", UURP, BASE + "/routing-profile/*",
                "{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"owner\"}}"));
        assertEquals("resource-not-visible", r.reason().label());
    }

    @Test
    void denyOnResourceTagOfHiddenResourceMayApply() {
        RouteAuthorization r = uurp(allow(UURP, BASE + "/routing-profile/*"), stmt("Deny", UURP, "*",
                "{\"StringEquals\":{\"aws:ResourceTag/tier\":\"gold\"}}"));
        assertEquals("resource-not-visible", r.reason().label());
    }

    @Test
    void notResourceDenyMayMatchUnlessItExcludesTheWholeSpace() {
        String excludesProfiles = "{\"Effect\":\"Deny\",\"Action\":\"" + UURP + "\",\"NotResource\":[\"" + BASE
                + "/routing-profile/*\",\"" + BASE + "/agent/*\"]}";
        assertTrue(uurp(allow(UURP, BASE + "/routing-profile/*"), excludesProfiles).allowed());
        String excludesOne = "{\"Effect\":\"Deny\",\"Action\":\"" + UURP + "\",\"NotResource\":[\"" + BASE
                + "/routing-profile/rp-1\",\"" + BASE + "/agent/*\"]}";
        assertEquals("resource-not-visible",
                uurp(allow(UURP, BASE + "/routing-profile/*"), excludesOne).reason().label());
    }

    @ParameterizedTest(name = "allow with condition {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"StringEquals\":{\"aws:ResourceTag/team\":\"a\"}}|resource-not-visible",
            "{\"StringNotEquals\":{\"aws:ResourceTag/team\":\"a\"}}|resource-not-visible",
            "{\"Null\":{\"aws:ResourceTag/team\":\"true\"}}|resource-not-visible",
            "{\"StringEquals\":{\"connect:ResourceTag/team\":\"a\"}}|resource-not-visible",
            "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"${aws:ResourceTag/team}\"}}|resource-not-visible",
            "{\"StringEquals\":{\"aws:ResourceAccount\":\"111122223333\"}}|resource-not-visible",
            "{\"StringEqualsIfExists\":{\"connect:Channel\":\"VOICE\"}}|resource-not-visible",
            // keys known at the edge
            "{\"StringEquals\":{\"connect:InstanceId\":\"inst-1\"}}|allowed",
            "{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}|allowed",
            "{\"StringEquals\":{\"connect:InstanceId\":\"inst-2\"}}|resource-not-visible",
    })
    void conditionsOnTheHiddenResource(String condition, String expected) {
        RouteAuthorization r = uurp(stmt("Allow", UURP, BASE + "/routing-profile/*", condition));
        assertEquals(expected, r.reason().label(), r.detail());
    }

    @Test
    void boundaryMustAlsoCoverTheHiddenSpace() {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        b.identity(compile(allow(UURP, "*")));
        b.boundary(compile(allow(UURP, BASE + "/routing-profile/rp-1"), allow(UURP, USER)));
        RouteAuthorization r = AUTHORIZER.authorize(route("POST", "/users/inst-1/u-9/routing-profile"), b.build(), keys());
        assertEquals("resource-not-visible", r.reason().label());
        assertTrue(r.detail().contains("permissions-boundary"), r.detail());
        CompiledPolicySet.Builder ok = CompiledPolicySet.builder();
        ok.identity(compile(allow(UURP, "*")));
        ok.boundary(compile(allow("connect:*", BASE + "/*")));
        assertTrue(AUTHORIZER.authorize(route("POST", "/users/inst-1/u-9/routing-profile"), ok.build(), keys()).allowed());
    }

    @Test
    void scpDenyOnHiddenSpace() {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        b.identity(compile(allow(UURP, "*")));
        b.serviceControlLevel(List.of(compile(allow("*", "*"), stmt("Deny", "connect:Update*", "arn:aws:connect:*:*:instance/*/routing-profile/rp-locked", null))));
        RouteAuthorization r = AUTHORIZER.authorize(route("POST", "/users/inst-1/u-9/routing-profile"), b.build(), keys());
        assertEquals("resource-not-visible", r.reason().label());
    }

    static CompiledPolicy compile(String... statements) {
        String text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
        return CompiledPolicy.compile(PolicyParser.parse(text, PolicyType.MANAGED, "c" + text.hashCode()));
    }

    // ------------------------------------------------------------------ optional hidden types

    @Test
    void optionalHiddenTypeIsSkippedOnlyWhenNotRequired() {
        // CreateUser: routing-profile and security-profile required and hidden; hierarchy-group optional and hidden
        RouteMatch m = route("PUT", "/users/inst-1").orElseThrow();
        assertTrue(m.notVisible().stream().anyMatch(nv -> nv.resourceType().equals("hierarchy-group") && !nv.required()));
        CompiledPolicySet set = identity(allow("connect:CreateUser", BASE + "/routing-profile/*"),
                allow("connect:CreateUser", BASE + "/security-profile/*"),
                allow("connect:CreateUser", BASE + "/agent/*"));
        RouteAuthorization r = AUTHORIZER.authorize(Optional.of(m), set, keys());
        assertTrue(r.allowed(), r.detail());
        assertFalse(r.resourcesEvaluated().contains(BASE + "/agent-group/*"));
        // strict mode checks the optional type too
        RouteAuthorizer strict = new RouteAuthorizer(CATALOG, ResourceTagSource.UNAVAILABLE, true);
        RouteAuthorization s = strict.authorize(Optional.of(m), set, keys());
        assertEquals("resource-not-visible", s.reason().label());
        assertTrue(s.detail().startsWith("hierarchy-group"), s.detail());
        // a required hidden type is never skipped
        CompiledPolicySet noSecurityProfiles = identity(allow("connect:CreateUser", BASE + "/routing-profile/*"),
                allow("connect:CreateUser", BASE + "/agent/*"));
        assertEquals("resource-not-visible",
                AUTHORIZER.authorize(Optional.of(m), noSecurityProfiles, keys()).reason().label());
    }

    // ------------------------------------------------------------------ resource tags

    @Test
    void tagsAreLookedUpOnlyWhenPoliciesReadThem() {
        AtomicInteger calls = new AtomicInteger();
        ResourceTagSource source = arn -> {
            calls.incrementAndGet();
            return Map.of("team", "blue");
        };
        RouteAuthorizer a = new RouteAuthorizer(CATALOG, source, false);
        CompiledPolicySet plain = identity(allow("connect:DescribeUser", "*"));
        assertTrue(a.authorize(route("GET", "/users/inst-1/u-9"), plain, keys()).allowed());
        assertEquals(0, calls.get());
        CompiledPolicySet tagged = identity(stmt("Allow", "connect:DescribeUser", "*",
                "{\"StringEquals\":{\"aws:ResourceTag/Team\":\"blue\"}}"));
        assertTrue(a.authorize(route("GET", "/users/inst-1/u-9"), tagged, keys()).allowed());
        assertEquals(1, calls.get());
        // a policy for another action that reads tags does not trigger a lookup
        CompiledPolicySet other = identity(allow("connect:DescribeUser", "*"), stmt("Deny", "connect:DeleteUser", "*",
                "{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}"));
        assertTrue(a.authorize(route("GET", "/users/inst-1/u-9"), other, keys()).allowed());
        assertEquals(1, calls.get());
        // a tag read through a policy variable counts
        CompiledPolicySet variable = identity(stmt("Allow", "connect:DescribeUser", BASE + "/agent/${aws:ResourceTag/team}*", null));
        assertFalse(a.authorize(route("GET", "/users/inst-1/u-9"), variable, keys()).allowed());
        assertEquals(2, calls.get());
        CompiledPolicySet connectKey = identity(stmt("Allow", "connect:DescribeUser", "*",
                "{\"StringEquals\":{\"connect:ResourceTag/team\":\"blue\"}}"));
        assertTrue(a.authorize(route("GET", "/users/inst-1/u-9"), connectKey, keys()).allowed());
    }

    @Test
    void failedTagLookupDenies() {
        CompiledPolicySet tagged = identity(allow("connect:DescribeUser", "*"), stmt("Deny", "connect:DescribeUser", "*",
                "{\"StringEquals\":{\"aws:ResourceTag/secret\":\"yes\"}}"));
        RouteAuthorization r = new RouteAuthorizer(CATALOG).authorize(route("GET", "/users/inst-1/u-9"), tagged, keys());
        assertEquals("resource-tags-unavailable", r.reason().label());
        assertFalse(r.allowed());
        RouteAuthorizer failing = new RouteAuthorizer(CATALOG, arn -> {
            throw new ResourceTagsUnavailableException(arn, "throttled", null);
        }, false);
        assertEquals("resource-tags-unavailable",
                failing.authorize(route("GET", "/users/inst-1/u-9"), tagged, keys()).reason().label());
    }

    @Test
    void tagKeysThatDifferOnlyInCaseWithDifferentValuesDeny() {
        // IAM reads aws:ResourceTag/<key> without regard to the key's case, while Connect keeps team and Team apart:
        // with team=blue and Team=red the key has two values and AWS does not say which one a policy sees. Whichever
        // the function picked, a Deny on the other could be skipped; it refuses instead, in every order.
        CompiledPolicySet denyBlue = identity(allow("connect:DescribeUser", "*"), stmt("Deny", "connect:DescribeUser",
                "*", "{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}"));
        CompiledPolicySet denyRed = identity(allow("connect:DescribeUser", "*"), stmt("Deny", "connect:DescribeUser",
                "*", "{\"StringEquals\":{\"connect:ResourceTag/TEAM\":\"red\"}}"));
        List<List<String[]>> orders = List.of(
                List.of(new String[]{"team", "blue"}, new String[]{"Team", "red"}),
                List.of(new String[]{"Team", "red"}, new String[]{"team", "blue"}),
                List.of(new String[]{"team", "red"}, new String[]{"Team", "blue"}),
                List.of(new String[]{"TEAM", "blue"}, new String[]{"cost", "1"}, new String[]{"team", "red"}));
        for (List<String[]> order : orders) {
            Map<String, String> tags = new java.util.LinkedHashMap<>();
            for (String[] kv : order) {
                tags.put(kv[0], kv[1]);
            }
            RouteAuthorizer a = new RouteAuthorizer(CATALOG, arn -> java.util.Collections.unmodifiableMap(tags), false);
            for (CompiledPolicySet set : List.of(denyBlue, denyRed)) {
                RouteAuthorization r = a.authorize(route("GET", "/users/inst-1/u-9"), set, keys());
                assertFalse(r.allowed(), tags.toString());
                assertEquals("resource-tags-unavailable", r.reason().label(), tags.toString());
            }
        }
        // the same value under two spellings is one value: nothing is ambiguous
        RouteAuthorizer same = new RouteAuthorizer(CATALOG, arn -> Map.of("team", "green", "Team", "green"), false);
        assertTrue(same.authorize(route("GET", "/users/inst-1/u-9"), denyBlue, keys()).allowed());
        RouteAuthorizer sameBlue = new RouteAuthorizer(CATALOG, arn -> Map.of("team", "blue", "TEAM", "blue"), false);
        assertEquals("explicit-deny",
                sameBlue.authorize(route("GET", "/users/inst-1/u-9"), denyBlue, keys()).reason().label());
    }

    @Test
    void startOutboundVoiceContactIsAllowedOnlyWhereBothReferencesOfItsResourceAllowIt() {
        // The SAR data lists no resource type for StartOutboundVoiceContact (Resource "*"); the older snapshot of it
        // listed contact*, an ARN under the instance. AWS documents "Deny connect:* on the instance ARN followed by *"
        // as denying every action on that instance: under the contact reading it denies this one too, so an Allow
        // must hold under both readings.
        String route = "/contact/outbound-voice";
        CompiledPolicySet denyInstance = identity(allow("connect:*", "*"), stmt("Deny", "connect:*", BASE + "*", null));
        RouteAuthorization r = run("PUT", route, denyInstance);
        assertFalse(r.allowed(), r.toString());
        assertEquals("resource-not-visible", r.reason().label());
        CompiledPolicySet denyOtherInstance = identity(allow("connect:*", "*"), stmt("Deny", "connect:*",
                "arn:aws:connect:us-east-1:111122223333:instance/other-instance*", null));
        assertEquals("resource-not-visible", run("PUT", route, denyOtherInstance).reason().label(),
                "the instance is in the body: another instance's Deny may be this one's");
        // allowed on "*" and on every contact: both readings allow
        assertTrue(run("PUT", route, identity(allow("connect:*", "*"))).allowed());
        assertTrue(run("PUT", route, identity(allow("connect:StartOutboundVoiceContact", "*"))).allowed());
        // allowed on contacts only: the "*" reading denies
        assertFalse(run("PUT", route, identity(allow("connect:StartOutboundVoiceContact",
                "arn:aws:connect:*:*:instance/*/contact/*"))).allowed());
        RouteMatch m = route("PUT", route).orElseThrow();
        assertEquals(List.of("*"), m.resourceArns());
        assertEquals(List.of("contact"), m.notVisible().stream().map(n -> n.resourceType()).toList());
    }

    @Test
    void tagsOfTheWildcardPhoneNumberResourceAreRefusedWithoutALookUp() {
        // GetFlowAssociation's only resource is the SAR's wildcard-phone-number, arn:...:phone-number/*, a type that
        // lists aws:ResourceTag. No one resource has that ARN, so there are no tags to read for it, and which tags AWS
        // would evaluate is not in the request: a policy that reads them is refused, and Connect is not asked.
        AtomicInteger calls = new AtomicInteger();
        RouteAuthorizer a = new RouteAuthorizer(CATALOG, arn -> {
            calls.incrementAndGet();
            return Map.of();
        }, false);
        CompiledPolicySet denyLocked = identity(allow("connect:GetFlowAssociation", "*"), stmt("Deny",
                "connect:GetFlowAssociation", "*", "{\"StringEquals\":{\"aws:ResourceTag/locked\":\"true\"}}"));
        RouteAuthorization r = a.authorize(route("GET", "/flow-associations/inst-1/res-1/VOICE_PHONE_NUMBER"),
                denyLocked, keys());
        assertFalse(r.allowed());
        assertEquals("resource-tags-unavailable", r.reason().label());
        assertTrue(r.detail().contains("phone-number/*"), r.detail());
        assertTrue(r.detail().contains("names no single resource"), r.detail());
        assertEquals(0, calls.get());
        // without a tag-reading policy the same route is decided as before
        assertTrue(a.authorize(route("GET", "/flow-associations/inst-1/res-1/VOICE_PHONE_NUMBER"),
                identity(allow("connect:GetFlowAssociation", "*")), keys()).allowed());
        assertEquals(0, calls.get());
    }

    @Test
    void untaggableTypesAreNotLookedUp() {
        AtomicInteger calls = new AtomicInteger();
        RouteAuthorizer a = new RouteAuthorizer(CATALOG, arn -> {
            calls.incrementAndGet();
            return Map.of();
        }, false);
        CompiledPolicySet tagged = identity(stmt("Allow", "connect:ListInstances", "*",
                "{\"Null\":{\"aws:ResourceTag/x\":\"true\"}}"));
        assertTrue(a.authorize(route("GET", "/instance"), tagged, keys()).allowed());
        assertEquals(0, calls.get());
    }

    @Test
    void conditionKeysForIsCachedPerAction() {
        CompiledPolicySet set = identity(stmt("Allow", "connect:Describe*", "*", "{\"StringEquals\":{\"aws:SourceIp\":\"1.2.3.4\"}}"),
                stmt("Deny", "*", BASE + "/${aws:PrincipalTag/x}", "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
        var keys = set.conditionKeysFor("connect:DescribeUser");
        assertEquals(java.util.Set.of("aws:sourceip", "aws:securetransport", "aws:principaltag/x"), keys);
        assertTrue(keys == set.conditionKeysFor("CONNECT:describeuser"));
        assertEquals(java.util.Set.of("aws:securetransport", "aws:principaltag/x"), set.conditionKeysFor("connect:ListInstances"));
        assertFalse(set.readsResourceTags("connect:DescribeUser"));
    }
}
