package dev.edgeiam.connect;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectCatalogTest {

    private final ConnectCatalog catalog = ConnectCatalog.defaultCatalog();

    @Test
    void countsMatchTheServiceAuthorizationReference() {
        assertEquals(387, catalog.actions().size());
        assertEquals(45, catalog.resourceTypes().size());
        assertEquals(21, catalog.conditionKeys().size());
        assertEquals(18, catalog.conditionKeys().stream().filter(k -> k.name().startsWith("connect:")).count());
        assertEquals(233, catalog.actions().stream().filter(a -> a.accessLevel().equals("Write")).count());
        assertEquals(81, catalog.actions().stream().filter(a -> a.accessLevel().equals("Read")).count());
        assertEquals(71, catalog.actions().stream().filter(a -> a.accessLevel().equals("List")).count());
        assertEquals(2, catalog.actions().stream().filter(a -> a.accessLevel().equals("Tagging, Write")).count());
        assertEquals(51, catalog.actions().stream().filter(a -> !a.dependentActions().isEmpty()).count());
        assertEquals(25, catalog.actions().stream().filter(a -> !a.dependentActionsKnown()).count());
        assertEquals(10, catalog.actions().stream()
                .filter(a -> a.apiOperation().isEmpty() || !a.apiOperation().get().startsWith("connect:")).count());
    }

    @Test
    void defaultCatalogIsLoadedOnce() {
        assertSame(catalog, ConnectCatalog.defaultCatalog());
    }

    @Test
    void actionDetails() {
        ConnectAction a = catalog.action("connect:ActivateEvaluationForm").orElseThrow();
        assertEquals("Write", a.accessLevel());
        assertEquals(List.of(new ActionResourceType("evaluation-form", true)), a.resourceTypes());
        assertEquals(List.of("connect:InstanceId"), a.conditionKeys());
        assertEquals("connect:ActivateEvaluationForm", a.iamAction());

        ConnectAction emergency = catalog.action("AdminGetEmergencyAccessToken").orElseThrow();
        assertEquals(List.of("connect:DescribeInstance", "connect:ListInstances", "ds:DescribeDirectories"),
                emergency.dependentActions());
        assertTrue(emergency.apiOperation().isEmpty());

        assertTrue(catalog.action("CreateInstance").orElseThrow().supportsOnlyAllResources());
        assertEquals(List.of("metric", "qualified-metric"),
                catalog.action("DescribeMetric").orElseThrow().requiredResourceTypeNames());
    }

    @TestFactory
    Stream<DynamicTest> actionLookupIsCaseInsensitive() {
        return catalog.actions().stream().map(a -> DynamicTest.dynamicTest(a.name(), () -> {
            assertSame(a, catalog.action("CONNECT:" + a.name().toUpperCase(Locale.ROOT)).orElseThrow());
            assertSame(a, catalog.action(a.name().toLowerCase(Locale.ROOT)).orElseThrow());
            assertSame(a, catalog.action("connect:" + a.name()).orElseThrow());
        }));
    }

    @Test
    void unknownActionsAndOtherServices() {
        assertTrue(catalog.action("connect:DoesNotExist").isEmpty());
        assertTrue(catalog.action("s3:DescribeUser").isEmpty());
        assertTrue(catalog.action(null).isEmpty());
        assertTrue(catalog.action("connect:CreateTestCase").isEmpty(), "presumed route action is not in the SAR data");
    }

    @Test
    void resourceTypesAndConditionKeys() {
        ResourceType queue = catalog.resourceType("queue").orElseThrow();
        assertEquals("arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/queue/${QueueId}", queue.arn());
        assertEquals(List.of("aws:ResourceTag/${TagKey}"), queue.conditionKeys());
        assertEquals("wisdom", catalog.resourceType("ai-agent").orElseThrow().arnService());
        assertEquals("aws", catalog.resourceType("aws-managed-view").orElseThrow().arnTemplate().accountLiteral());
        assertTrue(catalog.resourceType("Queue").isEmpty());

        ConditionKey flowType = catalog.conditionKey("CONNECT:flowtype").orElseThrow();
        assertEquals("connect:FlowType", flowType.name());
        assertEquals("ArrayOfString", flowType.type());
        assertTrue(flowType.multivalued());
        assertEquals("ARN", catalog.conditionKey("connect:UserArn").orElseThrow().type());
        assertEquals("aws:ResourceTag/${TagKey}", catalog.conditionKey("aws:resourcetag/Dept").orElseThrow().name());
        assertEquals("connect:SearchTag/${TagKey}", catalog.conditionKey("connect:SearchTag/team").orElseThrow().name());
        assertFalse(catalog.conditionKey("connect:NoSuchKey").isPresent());
        assertFalse(catalog.conditionKey("aws:ResourceTag/").isPresent());
    }

    @Test
    void actionPatternExpansion() {
        List<String> describe = catalog.expandActionPattern("connect:Describe*");
        assertEquals(describe.stream().sorted().toList(), describe);
        assertTrue(describe.contains("connect:DescribeUser"));
        assertTrue(describe.stream().allMatch(a -> a.startsWith("connect:Describe")));
        assertEquals(catalog.actions().stream().filter(a -> a.name().startsWith("Describe")).count(), describe.size());

        assertEquals(describe, catalog.expandActionPattern("CONNECT:describe*"));
        assertEquals(387, catalog.expandActionPattern("connect:*").size());
        assertEquals(387, catalog.expandActionPattern("*").size());
        assertEquals(387, catalog.expandActionPattern("conn?ct:*").size());
        assertEquals(List.of("connect:DescribeUser"), catalog.expandActionPattern("connect:describeuser"));
        assertEquals(List.of("connect:TagResource"), catalog.expandActionPattern("connect:T?gResource"));
        assertTrue(catalog.expandActionPattern("connect:*Hierarch?Group").contains("connect:DescribeUserHierarchyGroup"));
        assertEquals(List.of(), catalog.expandActionPattern("s3:*"));
        assertEquals(List.of(), catalog.expandActionPattern("connect:Nope*"));
        assertEquals(List.of(), catalog.expandActionPattern("Describe*"));
    }

    @Test
    void globMatcher() {
        assertTrue(new ActionGlob("a*b*c").matches("aXXbYYc"));
        assertTrue(new ActionGlob("a*").matches("a"));
        assertFalse(new ActionGlob("a?").matches("a"));
        assertTrue(new ActionGlob("*a*").matches("bab"));
        assertFalse(new ActionGlob("a*c").matches("abcd"));
        assertThrows(NullPointerException.class, () -> new ActionGlob(null));
        // names fold A-Z only, as IAM does (request/IamNames): U+212A KELVIN SIGN is not 'k'
        assertTrue(new ActionGlob("connect:starttask*").matches("connect:StartTaskContact"));
        assertFalse(new ActionGlob("connect:StartTas\u212A*").matches("connect:StartTaskContact"));
    }
}
