package dev.edgeiam.connect;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

class ConnectArnTest {

    private final ConnectCatalog catalog = ConnectCatalog.defaultCatalog();

    @TestFactory
    Stream<DynamicTest> roundTripForEveryResourceType() {
        return catalog.resourceTypes().stream().map(type -> dynamicTest(type.name(), () -> {
            Map<String, String> parts = new LinkedHashMap<>();
            for (String v : type.arnTemplate().resourceVariables()) {
                parts.put(v, "id-" + v.toLowerCase());
            }
            ConnectArn built = catalog.arns().build(type.name(), "aws-us-gov", "us-gov-west-1", "111122223333", parts);
            String text = built.arn();
            assertTrue(text.startsWith("arn:aws-us-gov:" + type.arnService() + ":us-gov-west-1:"), text);
            List<ConnectArn> candidates = catalog.arns().parseCandidates(text);
            ConnectArn parsed = candidates.stream().filter(c -> c.resourceType().equals(type.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(text + " not parsed as " + type.name() + ": " + candidates));
            assertEquals(built, parsed);
            assertEquals(parts, parsed.parts());
            assertEquals(text, parsed.toString());
            if (type.arnTemplate().accountLiteral() == null) {
                assertEquals("111122223333", parsed.account());
            }
        }));
    }

    @Test
    void parsesNamedParts() {
        ConnectArn user = ConnectArn.parse("arn:aws:connect:us-east-1:111122223333:instance/inst-1/agent/u-9");
        assertEquals("user", user.resourceType());
        assertEquals(Map.of("InstanceId", "inst-1", "UserId", "u-9"), user.parts());
        assertEquals("us-east-1", user.part("Region"));
        assertEquals("u-9", user.part("UserId"));

        ConnectArn view = ConnectArn.parse("arn:aws:connect:eu-west-2:aws:view/standard-view");
        assertEquals("aws-managed-view", view.resourceType());
        assertEquals("aws", view.account());

        ConnectArn agent = ConnectArn.parse("arn:aws:wisdom:us-east-1:111122223333:ai-agent/as-1/ag-2:7");
        assertEquals(Map.of("AssistantId", "as-1", "AIAgentId", "ag-2", "Version", "7"), agent.parts());

        assertEquals("phone-number", ConnectArn.parse("arn:aws-cn:connect:cn-north-1:111122223333:phone-number/p-1").resourceType());
    }

    @Test
    void wildcardShapesPreferTheWildcardType() {
        String arn = "arn:aws:connect:us-east-1:111122223333:instance/i-1/queue/*";
        assertEquals("wildcard-queue", ConnectArn.parse(arn).resourceType());
        assertEquals(List.of("wildcard-queue", "queue"),
                catalog.arns().parseCandidates(arn).stream().map(ConnectArn::resourceType).toList());
        assertEquals("queue", catalog.resourceTypeFor("connect:DescribeQueue", arn).orElseThrow());
    }

    @Test
    void resourceTypeForResolvesAmbiguousShapesByAction() {
        String arn = "arn:aws:connect:us-east-1:111122223333:instance/i-1/view/v-1:$SAVED";
        assertEquals(2, catalog.arns().parseCandidates(arn).size());
        assertEquals("qualified-customer-managed-view", catalog.resourceTypeFor("connect:DescribeView", arn).orElseThrow());
        assertEquals("customer-managed-view-version", catalog.resourceTypeFor("connect:DeleteViewVersion", arn).orElseThrow());
        assertEquals("user", catalog.resourceTypeFor("connect:TagResource",
                "arn:aws:connect:us-east-1:111122223333:instance/i/agent/u").orElseThrow());
        assertTrue(catalog.resourceTypeFor("connect:DescribeUser",
                "arn:aws:connect:us-east-1:111122223333:instance/i/queue/q").isEmpty());
        assertTrue(catalog.resourceTypeFor("connect:NoSuchAction",
                "arn:aws:connect:us-east-1:111122223333:instance/i").isEmpty());
    }

    record Bad(String arn, ArnComponent component, String reasonFragment) {}

    @TestFactory
    Stream<DynamicTest> malformedArnsNameTheWrongComponent() {
        String ok = "arn:aws:connect:us-east-1:111122223333:";
        return Stream.of(
                new Bad("", ArnComponent.PREFIX, "ARN is empty"),
                new Bad("urn:aws:connect:us-east-1:111122223333:instance/i", ArnComponent.PREFIX, "must start with 'arn:'"),
                new Bad("arn:aws:connect", ArnComponent.REGION, "only 3 were found"),
                new Bad("arn:aws:connect:us-east-1:111122223333", ArnComponent.RESOURCE, "six colon-separated"),
                new Bad("arn::connect:us-east-1:111122223333:instance/i", ArnComponent.PARTITION, "is empty"),
                new Bad("arn:amazon:connect:us-east-1:111122223333:instance/i", ArnComponent.PARTITION, "'amazon' is not an AWS partition"),
                new Bad("arn:aws:s3:us-east-1:111122223333:instance/i", ArnComponent.SERVICE, "'s3' is not a namespace"),
                new Bad("arn:aws:connect::111122223333:instance/i", ArnComponent.REGION, "regional"),
                new Bad("arn:aws:connect:US-EAST-1:111122223333:instance/i", ArnComponent.REGION, "'US-EAST-1' is not a Region code"),
                new Bad("arn:aws:connect:us-east-1:12345:instance/i", ArnComponent.ACCOUNT, "'12345' is not valid for service connect (expected a 12-digit account ID or 'aws'"),
                new Bad("arn:aws:connect:us-east-1::instance/i", ArnComponent.ACCOUNT, "is empty"),
                new Bad("arn:aws:wisdom:us-east-1:aws:ai-agent/a/b:1", ArnComponent.ACCOUNT, "expected a 12-digit account ID)"),
                new Bad(ok, ArnComponent.RESOURCE, "is empty"),
                new Bad(ok + "bucket/x", ArnComponent.RESOURCE, "unknown 'bucket' at the start of the resource (expected 'instance', 'phone-number', 'traffic-distribution-group')"),
                new Bad(ok + "instance/i-1/queues/q", ArnComponent.RESOURCE, "unknown 'queues' after 'instance/i-1/' (expected 'agent', 'agent-group'"),
                new Bad(ok + "instance//queue/q", ArnComponent.RESOURCE, "InstanceId is empty after 'instance/'"),
                new Bad(ok + "instance/i-1/queue/", ArnComponent.RESOURCE, "QueueId is empty after 'instance/i-1/queue/'"),
                new Bad(ok + "instance/i-1/queue", ArnComponent.RESOURCE, "ends too early after 'instance/i-1/queue' (expected '/*' for wildcard-queue, '/${QueueId}' for queue)"),
                new Bad(ok + "instance/i-1/agent/u/extra", ArnComponent.RESOURCE, "unexpected trailing '/extra' after 'instance/i-1/agent/u' (the ARN of user ends there)"),
                new Bad(ok + "instance:i-1", ArnComponent.RESOURCE, "expected '/' after 'instance' but found ':'"),
                new Bad("arn:aws:connect:us-east-1:aws:instance/i", ArnComponent.RESOURCE, "expected 'view'")
        ).map(bad -> dynamicTest("[" + bad.arn() + "]", () -> {
            MalformedArnException e = assertThrows(MalformedArnException.class, () -> catalog.arns().parse(bad.arn()));
            assertEquals(bad.component(), e.component(), e.getMessage());
            assertTrue(e.reason().contains(bad.reasonFragment()), e.getMessage());
            assertTrue(e.getMessage().startsWith("malformed ARN '" + bad.arn() + "': " + bad.component().name().toLowerCase()), e.getMessage());
        }));
    }

    @Test
    void buildRejectsBadInput() {
        ArnParser arns = catalog.arns();
        assertEquals("unknown Amazon Connect resource type 'queues'", assertThrows(IllegalArgumentException.class,
                () -> arns.build("queues", "aws", "us-east-1", "111122223333", Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> arns.build("queue", "aws", "us-east-1", "111122223333", Map.of("InstanceId", "i")))
                .getMessage().startsWith("missing part QueueId for queue"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> arns.build("instance", "aws", "us-east-1", "111122223333", Map.of("InstanceId", "i", "QueueId", "q")))
                .getMessage().startsWith("unexpected part QueueId for instance"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> arns.build("instance", "aws", "us-east-1", "111122223333", Map.of("InstanceId", "a/b")))
                .getMessage().contains("neither '/' nor ':'"));
        assertEquals(ArnComponent.ACCOUNT, assertThrows(MalformedArnException.class,
                () -> arns.build("instance", "aws", "us-east-1", "1234", Map.of("InstanceId", "i"))).component());
        assertEquals(ArnComponent.REGION, assertThrows(MalformedArnException.class,
                () -> arns.build("instance", "aws", "", "111122223333", Map.of("InstanceId", "i"))).component());
        assertEquals("arn:aws:connect:us-east-1:aws:view/v",
                ConnectArn.build("aws-managed-view", "us-east-1", "111122223333", Map.of("ViewId", "v")).arn());
        assertEquals("arn:aws:connect:us-east-1:111122223333:instance/i/agent/u",
                ConnectArn.build("user", "us-east-1", "111122223333", Map.of("UserId", "u", "InstanceId", "i")).arn());
    }
}
