package dev.edgeiam.connect;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

class RouteTableTest {

    private static final String ACCOUNT = "111122223333";
    private static final ArnContext CTX = ArnContext.of("us-east-1", ACCOUNT);
    private static final String P = "arn:aws:connect:us-east-1:111122223333:";

    private final ConnectCatalog catalog = ConnectCatalog.defaultCatalog();
    private final RouteTable table = RouteTable.defaultTable();

    @Test
    void routeCounts() {
        assertEquals(397, table.routes().size());
        assertEquals(20, table.routesWithoutIamAction().size());
        assertTrue(table.routesWithoutIamAction().stream().allMatch(r -> catalog.action(r.presumedIamAction()).isEmpty()));
        assertTrue(table.routesWithoutIamAction().stream().map(RouteDefinition::operation).toList()
                .containsAll(List.of("UpdateUserConfig", "CreateTestCase", "AssociateHoursOfOperations")));
        assertEquals(Map.of("POST", 165L, "PUT", 70L, "DELETE", 49L, "GET", 113L),
                table.routes().stream().collect(Collectors.groupingBy(RouteDefinition::method, Collectors.counting())));
    }

    @Test
    void onlyStartOutboundVoiceContactCarriesTheOlderReferencesResourceType() {
        // connect-api-routes.json sourceDiscrepancy.onlyInOlderSnapshot: contact* for this action alone
        List<RouteDefinition> withOlder = table.routes().stream().filter(r -> !r.olderReferenceResources().isEmpty())
                .toList();
        assertEquals(List.of("StartOutboundVoiceContact"), withOlder.stream().map(RouteDefinition::operation).toList());
        RouteResource contact = withOlder.get(0).olderReferenceResources().get(0);
        assertEquals("contact", contact.type());
        assertTrue(contact.required());
        assertEquals(VariableSource.parse("body:InstanceId"), contact.variables().get("InstanceId"));
        assertEquals(VariableSource.Kind.NOT_IN_REQUEST, contact.variables().get("ContactId").kind());
        assertEquals(VariableSource.Kind.CONTEXT, contact.variables().get("Account").kind());
        assertTrue(withOlder.get(0).resources().isEmpty(), "the current reference lists no resource type");
    }

    /** Sample concrete value for a label: a URL-encoded ARN of one of the action's types for resourceArn. */
    private String sample(RouteDefinition route, String label) {
        if (label.equals("resourceArn")) {
            RouteResource first = route.resources().get(0);
            Map<String, String> parts = new LinkedHashMap<>();
            first.template().resourceVariables().forEach(v -> parts.put(v, "s-" + v.toLowerCase()));
            return catalog.arns().build(first.type(), "aws", "us-east-1", ACCOUNT, parts).arn();
        }
        return "s-" + label.toLowerCase();
    }

    @TestFactory
    Stream<DynamicTest> everyRouteMapsToItsCatalogAction() {
        return table.routes().stream().map(route -> dynamicTest(route.route(), () -> {
            Map<String, String> labels = new HashMap<>();
            StringBuilder path = new StringBuilder();
            for (String seg : route.path().segments()) {
                String value = PathTemplate.isLabel(seg) ? sample(route, PathTemplate.labelName(seg)) : seg;
                if (PathTemplate.isLabel(seg)) {
                    labels.put(PathTemplate.labelName(seg), value);
                }
                path.append('/').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            Map<String, String> query = new HashMap<>();
            route.queryParameters().keySet().forEach(q -> query.put(q, "q-" + q.toLowerCase()));

            RouteMatch m = table.match(route.method(), path.toString(), query, CTX).orElseThrow();
            assertEquals(route.operation(), m.operation(), "path " + path);
            assertEquals(m, table.matchTemplate(route.method(), route.path().template(), labels, query, CTX)
                    .orElseThrow(), "template form must give the same match");
            assertTrue(table.matchTemplate(route.method().toLowerCase(), route.path().template(), labels, query, CTX)
                    .isEmpty(), "the method token is case-sensitive (RFC 9110): a lower-case method matches nothing");
            assertFalse(m.custom());
            if (route.iamAction().isEmpty()) {
                assertTrue(m.iamAction().isEmpty());
                assertTrue(m.resources().isEmpty() && m.notVisible().isEmpty());
                return;
            }
            ConnectAction action = catalog.action(m.iamAction().orElseThrow()).orElseThrow();
            assertEquals("connect:" + route.operation(), action.iamAction());
            assertEquals(List.of(), m.problems());
            if (action.supportsOnlyAllResources()) {
                assertEquals(List.of("*"), m.resourceArns());
                // the older reference's types, whose variables are in the body here (olderReferenceResources)
                assertEquals(route.olderReferenceResources().stream().map(RouteResource::type).toList(),
                        m.notVisible().stream().map(NotVisibleResource::resourceType).toList());
                return;
            }
            Set<String> covered = new HashSet<>();
            for (TargetResource t : m.resources()) {
                assertEquals(t.resourceType(), catalog.resourceTypeFor(action.name(), t.arn()).orElseThrow(), t.arn());
                assertEquals(action.resourceType(t.resourceType()).orElseThrow().required(), t.required());
                assertTrue(t.arn().startsWith("arn:aws:"), t.arn());
                covered.add(t.resourceType());
            }
            for (NotVisibleResource n : m.notVisible()) {
                assertEquals(action.resourceType(n.resourceType()).orElseThrow().required(), n.required());
                assertTrue(n.arnPattern().contains("*"), n.arnPattern());
                assertFalse(n.unseenVariables().isEmpty());
                covered.add(n.resourceType());
            }
            // every required type is covered, or an alternative sharing its identifier value was chosen
            for (String required : action.requiredResourceTypeNames()) {
                RouteResource rr = route.resources().stream().filter(r -> r.type().equals(required)).findFirst().orElseThrow();
                boolean alternativeChosen = route.resources().stream().anyMatch(o -> covered.contains(o.type())
                        && o.groupingSource() != null && rr.groupingSource() != null
                        && o.groupingSource().name().equals(rr.groupingSource().name()));
                assertTrue(covered.contains(required) || alternativeChosen, required + " not covered: " + m);
            }
        }));
    }

    @Test
    void rawPathExample() {
        RouteMatch m = table.match("GET", "/users/inst-1/u-9", Map.of(), CTX).orElseThrow();
        assertEquals("DescribeUser", m.operation());
        assertEquals("GET /users/{InstanceId}/{UserId}", m.route());
        assertEquals("connect:DescribeUser", m.iamAction().orElseThrow());
        assertEquals(Map.of("InstanceId", "inst-1", "UserId", "u-9"), m.pathParameters());
        assertEquals(List.of(P + "instance/inst-1/agent/u-9"), m.resourceArns());
        assertTrue(m.fullyResolved());
    }

    @Test
    void templateWithOperatorLabelNames() {
        RouteMatch m = table.matchTemplate("GET", "/users/{instance}/{user}", Map.of("instance", "inst-1", "user", "u-9"),
                Map.of(), CTX).orElseThrow();
        assertEquals(List.of(P + "instance/inst-1/agent/u-9"), m.resourceArns());
        RouteMatch greedy = table.matchTemplate("GET", "/{proxy+}", Map.of("proxy", "users/inst-1/u-9"), Map.of(), CTX)
                .orElseThrow();
        assertEquals("DescribeUser", greedy.operation());
        assertThrows(IllegalArgumentException.class,
                () -> table.matchTemplate("GET", "/users/{InstanceId}/{UserId}", Map.of("InstanceId", "i"), Map.of(), CTX));
    }

    @Test
    void bodyOnlyIdentifiersAreNotVisible() {
        RouteMatch m = table.match("PUT", "/users/inst-1", Map.of(), CTX).orElseThrow();
        assertEquals("connect:CreateUser", m.iamAction().orElseThrow());
        assertEquals(List.of(), m.resources());
        NotVisibleResource rp = m.notVisible().stream().filter(n -> n.resourceType().equals("routing-profile"))
                .findFirst().orElseThrow();
        assertEquals(P + "instance/inst-1/routing-profile/*", rp.arnPattern());
        assertTrue(rp.required());
        assertEquals(List.of("RoutingProfileId"), rp.unseenVariables());
        NotVisibleResource user = m.notVisible().stream().filter(n -> n.resourceType().equals("user")).findFirst().orElseThrow();
        assertEquals(P + "instance/inst-1/agent/*", user.arnPattern());
        assertFalse(m.notVisible().stream().filter(n -> n.resourceType().equals("hierarchy-group")).findFirst().orElseThrow().required());
        assertFalse(m.fullyResolved());

        RouteMatch transfer = table.match("POST", "/contact/transfer", Map.of(), CTX).orElseThrow();
        assertTrue(transfer.notVisible().stream().anyMatch(n -> n.arnPattern().equals(P + "instance/*/contact/*")));
        assertTrue(transfer.notVisible().stream().anyMatch(n -> n.arnPattern().equals(P + "instance/*")));

        RouteMatch mixed = table.match("POST", "/contacts/inst-1/c-1/associate-user", Map.of(), CTX).orElseThrow();
        assertEquals(List.of(P + "instance/inst-1/contact/c-1", P + "instance/inst-1"), mixed.resourceArns());
        assertEquals(List.of(P + "instance/inst-1/agent/*"), mixed.notVisible().stream().map(NotVisibleResource::arnPattern).toList());
    }

    @Test
    void queryStringIdentifiers() {
        RouteMatch m = table.match("DELETE", "/traffic-distribution-group/tdg-1/user",
                Map.of("InstanceId", "inst-1", "UserId", "u-2"), CTX).orElseThrow();
        assertEquals("connect:DisassociateTrafficDistributionGroupUser", m.iamAction().orElseThrow());
        assertEquals(Set.of(P + "instance/inst-1", P + "traffic-distribution-group/tdg-1", P + "instance/inst-1/agent/u-2"),
                Set.copyOf(m.resourceArns()));

        RouteMatch missing = table.match("DELETE", "/traffic-distribution-group/tdg-1/user", Map.of("InstanceId", "inst-1"), CTX)
                .orElseThrow();
        assertEquals(List.of(P + "instance/inst-1/agent/*"),
                missing.notVisible().stream().map(NotVisibleResource::arnPattern).toList());

        RouteMatch contact = table.match("GET", "/contact/associated/inst-1", Map.of("contactId", "c-7"), CTX).orElseThrow();
        assertEquals(List.of(P + "instance/inst-1/contact/c-7"), contact.resourceArns());
    }

    @Test
    void identifiersGivenAsArns() {
        String instanceArn = P + "instance/inst-1";
        RouteMatch m = table.match("GET", "/users/" + URLEncoder.encode(instanceArn, StandardCharsets.UTF_8) + "/u-9",
                Map.of(), CTX).orElseThrow();
        assertEquals(List.of(P + "instance/inst-1/agent/u-9"), m.resourceArns());
        // an ARN naming another Region or account is not moved there, nor back here: it is refused
        for (String foreign : List.of("arn:aws:connect:us-west-2:111122223333:instance/inst-1",
                "arn:aws:connect:us-east-1:444455556666:instance/inst-1", "arn:aws-cn:connect:us-east-1:111122223333:instance/inst-1")) {
            RouteMatch f = table.match("GET", "/users/" + URLEncoder.encode(foreign, StandardCharsets.UTF_8) + "/u-9",
                    Map.of(), CTX).orElseThrow();
            assertTrue(f.resourceArns().isEmpty(), foreign);
            assertFalse(f.problems().isEmpty(), foreign);
        }
        // an ARN naming another instance than the path's InstanceId is refused, not re-homed
        String otherInstanceUser = P + "instance/inst-2/agent/u-9";
        RouteMatch rehomed = table.match("GET", "/users/inst-1/" + URLEncoder.encode(otherInstanceUser,
                StandardCharsets.UTF_8), Map.of(), CTX).orElseThrow();
        assertTrue(rehomed.resourceArns().isEmpty(), rehomed.toString());
        assertTrue(rehomed.problems().get(0).contains("InstanceId"), rehomed.problems().toString());
        // identifiers with wildcard or control characters name no resource
        for (String bad : List.of("u*", "u%3F", "%2A", "u%09")) {
            RouteMatch w = table.match("GET", "/users/inst-1/" + bad, Map.of(), CTX).orElseThrow();
            assertFalse(w.problems().isEmpty(), bad);
        }

        String queue = P + "instance/inst-1/queue/q-1";
        RouteMatch tag = table.match("POST", "/tags/" + URLEncoder.encode(queue, StandardCharsets.UTF_8), Map.of(), CTX).orElseThrow();
        assertEquals("connect:TagResource", tag.iamAction().orElseThrow());
        assertEquals(List.of(new TargetResource("queue", false, queue)), tag.resources());

        RouteMatch notArn = table.match("POST", "/tags/q-1", Map.of(), CTX).orElseThrow();
        assertTrue(notArn.resources().isEmpty());
        assertEquals(1, notArn.problems().size());
        assertFalse(notArn.fullyResolved());

        RouteMatch badId = table.match("GET", "/users/inst-1/a%3Ab", Map.of(), CTX).orElseThrow();
        assertTrue(badId.problems().get(0).contains("UserId='a:b'"), badId.problems().toString());
    }

    @Test
    void viewsAndMetricsPickTheAlternativeTheValueIdentifies() {
        assertEquals(List.of(new TargetResource("customer-managed-view", true, P + "instance/inst-1/view/v-1")),
                table.match("GET", "/views/inst-1/v-1", Map.of(), CTX).orElseThrow().resources());
        assertEquals(List.of(new TargetResource("qualified-customer-managed-view", true, P + "instance/inst-1/view/v-1:$SAVED")),
                table.match("GET", "/views/inst-1/v-1%3A%24SAVED", Map.of(), CTX).orElseThrow().resources());
        String awsView = "arn:aws:connect:us-east-1:aws:view/standard";
        assertEquals(List.of(new TargetResource("aws-managed-view", true, awsView)),
                table.match("GET", "/views/inst-1/" + URLEncoder.encode(awsView, StandardCharsets.UTF_8), Map.of(), CTX)
                        .orElseThrow().resources());
        assertEquals(List.of(P + "instance/inst-1/metric/m-1"),
                table.match("GET", "/metrics/definitions/inst-1/m-1", Map.of(), CTX).orElseThrow().resourceArns());
        assertEquals(List.of(new TargetResource("qualified-metric", true, P + "instance/inst-1/metric/m-1:$LATEST")),
                table.match("GET", "/metrics/definitions/inst-1/m-1:$LATEST", Map.of(), CTX).orElseThrow().resources());
    }

    @Test
    void allResourcesAndMissingActions() {
        RouteMatch create = table.match("PUT", "/instance", Map.of(), CTX).orElseThrow();
        assertEquals("connect:CreateInstance", create.iamAction().orElseThrow());
        assertEquals(List.of("*"), create.resourceArns());

        RouteMatch config = table.match("POST", "/users/inst-1/u-9/config", Map.of(), CTX).orElseThrow();
        assertEquals("UpdateUserConfig", config.operation());
        assertTrue(config.iamAction().isEmpty());
        assertFalse(config.fullyResolved());
    }

    @Test
    void unknownRoutesAreEmpty() {
        assertTrue(table.match("GET", "/nope", Map.of(), CTX).isEmpty());
        assertTrue(table.match("PATCH", "/users/inst-1/u-9", Map.of(), CTX).isEmpty());
        assertTrue(table.match("GET", "/users/inst-1/u-9/", Map.of(), CTX).isEmpty());
        assertTrue(table.match("GET", "/users/inst-1//u-9", Map.of(), CTX).isEmpty());
        assertTrue(table.match("GET", "/Users/inst-1/u-9", Map.of(), CTX).isEmpty());
        assertTrue(table.match("GET", "users/inst-1/u-9", Map.of(), CTX).isEmpty());
        assertTrue(table.match("GET", "/users/inst-1/%zz", Map.of(), CTX).isEmpty());
        // the method token is case-sensitive (RFC 9110 §9.1): `get` is not GET (red-team pass 5, R5.2)
        assertTrue(table.match("get", "/users/inst-1/u-9", QueryParameters.NONE, CTX).isEmpty());
    }

    @Test
    void customMappingsTakePrecedenceAndPreferLiterals() {
        RouteTable custom = table.withCustomMappings(List.of(
                CustomRouteMapping.of("GET", "/users/{InstanceId}/{UserId}", "connect:ListUsers",
                        "arn:{Partition}:connect:{Region}:{Account}:instance/{InstanceId}"),
                CustomRouteMapping.of("post", "/test-cases/{InstanceId}/{TestCaseId}", "connect:UpdateTestCase",
                        "arn:{Partition}:connect:{Region}:{Account}:instance/{InstanceId}/test-case/{TestCaseId}"),
                CustomRouteMapping.of("GET", "/x/{a}/{b}", "connect:DescribeQueue",
                        "arn:aws:connect:{Region}:{Account}:instance/{a}/queue/{qid}"),
                CustomRouteMapping.of("GET", "/x/{a}/special", "connect:ListQueues", "*")));

        RouteMatch user = custom.match("GET", "/users/inst-1/u-9", Map.of(), CTX).orElseThrow();
        assertTrue(user.custom());
        assertEquals("connect:ListUsers", user.iamAction().orElseThrow());
        assertEquals(List.of(new TargetResource("instance", true, P + "instance/inst-1")), user.resources());

        RouteMatch testCase = custom.match("POST", "/test-cases/inst-1/tc-1", Map.of(), CTX).orElseThrow();
        assertEquals("connect:UpdateTestCase", testCase.iamAction().orElseThrow());
        assertEquals(List.of(new TargetResource("custom", true, P + "instance/inst-1/test-case/tc-1")), testCase.resources());

        RouteMatch literal = custom.match("GET", "/x/a-1/special", Map.of(), CTX).orElseThrow();
        assertEquals("connect:ListQueues", literal.iamAction().orElseThrow());
        assertEquals(List.of("*"), literal.resourceArns());

        RouteMatch label = custom.match("GET", "/x/a-1/other", Map.of("qid", "q-1"), CTX).orElseThrow();
        assertEquals(List.of(new TargetResource("queue", true, P + "instance/a-1/queue/q-1")), label.resources());
        RouteMatch unseen = custom.match("GET", "/x/a-1/other", Map.of(), CTX).orElseThrow();
        assertEquals(List.of(new NotVisibleResource("queue", true, P + "instance/a-1/queue/*", List.of("qid"))), unseen.notVisible());

        assertEquals("DescribeQueue", custom.match("GET", "/queues/i/q", Map.of(), CTX).orElseThrow().operation());
        assertThrows(IllegalArgumentException.class, () -> table.withCustomMappings(List.of(
                CustomRouteMapping.of("GET", "/a", "connect:ListQueues", "*"),
                CustomRouteMapping.of("get", "/a", "connect:ListUsers", "*"))));
        assertThrows(IllegalArgumentException.class, () -> CustomRouteMapping.of("GET", "/a", "connect:List*", "*"));
        assertThrows(IllegalArgumentException.class, () -> CustomRouteMapping.of("GET", "/a", "connect:ListQueues", "queue/1"));
        assertThrows(IllegalArgumentException.class, () -> CustomRouteMapping.of("GET", "/a/x{b}", "connect:ListQueues", "*"));
    }

    @Test
    void noMappingsOnATableWithoutMappingsIsTheSameTableAndNoMappingsRemovesThem() {
        assertTrue(table.customMappings().isEmpty());
        assertTrue(table == table.withCustomMappings(List.of()), "nothing to re-index");
        RouteTable custom = table.withCustomMappings(List.of(
                CustomRouteMapping.of("GET", "/users/{InstanceId}/{UserId}", "connect:ListUsers", "*")));
        assertTrue(custom.match("GET", "/users/inst-1/u-9", Map.of(), CTX).orElseThrow().custom());
        RouteTable cleared = custom.withCustomMappings(List.of());
        assertTrue(cleared != custom && cleared.customMappings().isEmpty());
        RouteMatch generated = cleared.match("GET", "/users/inst-1/u-9", Map.of(), CTX).orElseThrow();
        assertFalse(generated.custom());
        assertEquals("connect:DescribeUser", generated.iamAction().orElseThrow());
    }

    @Test
    void pathTemplatePrecedence() {
        PathTemplate literal = PathTemplate.parse("/a/{x}/b");
        PathTemplate label = PathTemplate.parse("/a/{x}/{y}");
        assertTrue(PathTemplate.mostSpecificFirst(literal, label) < 0);
        assertTrue(PathTemplate.mostSpecificFirst(label, literal) > 0);
        assertEquals(Map.of("x", "1"), literal.match(List.of("a", "1", "b")));
        assertEquals(null, literal.match(List.of("a", "1", "c")));
        assertEquals("a b+c/", RouteTable.percentDecode("a%20b+c%2F"));
        assertEquals(null, RouteTable.percentDecode("%C3"));
    }

    @Test
    void variableSources() {
        assertEquals(new VariableSource(VariableSource.Kind.PATH, "ViewId", VariableSource.Modifier.QUALIFIER_SUFFIX),
                VariableSource.parse("path:ViewId (qualifier suffix after \":\")"));
        assertEquals(new VariableSource(VariableSource.Kind.QUERY, "contactId", VariableSource.Modifier.WHOLE),
                VariableSource.parse("query:contactId"));
        assertFalse(VariableSource.parse("notInRequestTopLevel").visibleToAuthorizer());
        assertThrows(IllegalArgumentException.class, () -> VariableSource.parse("header:X"));
    }
}
