package dev.edgeiam.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.edgeiam.principal.IamChangeEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of {@code template.yaml} (cfn-lint checks its syntax and resource schemas in CI; this checks what the
 * design needs): the account view bucket is encrypted, versioned and closed to the public; only the refresher can
 * write it or read IAM and Organizations; an authorizer in s3 mode calls no IAM API; the IAM change rule names every
 * call the code acts on; outside us-east-1 the forwarding half exists and is the same template as
 * {@code iam-events-forwarder.yaml}. CloudFormation's short-form tags ({@code !Ref}, {@code !If}, ...) are read as
 * their plain values: {@code !If [Cond, a, b]} is the list {@code [Cond, a, b]}.
 */
class TemplateTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode template() throws IOException {
        return YAML.readTree(Files.readString(Path.of("template.yaml")));
    }

    static JsonNode resource(String name) throws IOException {
        JsonNode r = template().path("Resources").path(name);
        assertFalse(r.isMissingNode(), name);
        return r;
    }

    /** Every statement of a function's inline policies, with {@code !If} branches unwrapped (the true branch). */
    static List<JsonNode> statements(String function) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode policy : resource(function).path("Properties").path("Policies")) {
            for (JsonNode s : policy.path("Statement")) {
                out.add(s.isArray() ? s.get(1) : s);
            }
        }
        return out;
    }

    /** The condition guarding a statement (the {@code !If}'s first element), or "" when unconditional. */
    static String guard(String function, String sid) throws IOException {
        for (JsonNode policy : resource(function).path("Properties").path("Policies")) {
            for (JsonNode s : policy.path("Statement")) {
                if (s.isArray() && s.get(1).path("Sid").asText().equals(sid)) {
                    return s.get(0).asText();
                }
                if (s.path("Sid").asText().equals(sid)) {
                    return "";
                }
            }
        }
        throw new AssertionError("no statement " + sid + " in " + function);
    }

    static Set<String> actions(List<JsonNode> statements) {
        Set<String> out = new TreeSet<>();
        for (JsonNode s : statements) {
            JsonNode a = s.path("Action");
            if (a.isArray()) {
                a.forEach(x -> out.add(x.asText()));
            } else {
                out.add(a.asText());
            }
        }
        return out;
    }

    @Test
    void theAccountViewBucketIsEncryptedVersionedAndPrivate() throws IOException {
        JsonNode p = resource("AccountViewBucket").path("Properties");
        assertEquals("Enabled", p.path("VersioningConfiguration").path("Status").asText());
        JsonNode block = p.path("PublicAccessBlockConfiguration");
        for (String f : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.path(f).asBoolean(), f);
        }
        JsonNode sse = p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm");
        assertEquals("[\"UsesKms\",\"aws:kms\",\"AES256\"]", sse.toString());
        JsonNode tls = resource("AccountViewBucketPolicy").path("Properties").path("PolicyDocument")
                .path("Statement").get(0);
        assertEquals("Deny", tls.path("Effect").asText());
        assertEquals("false", tls.path("Condition").path("Bool").path("aws:SecureTransport").asText());
    }

    @Test
    void onlyTheRefresherWritesTheViewOrReadsIamAndOrganizations() throws IOException {
        Set<String> authorizer = actions(statements("AuthorizerFunction"));
        assertFalse(authorizer.contains("s3:PutObject"));
        assertTrue(authorizer.stream().noneMatch(a -> a.startsWith("organizations:") || a.startsWith("apigateway:")));
        // Its IAM reads exist only for the per-instance sources; in s3 mode an instance reads one object.
        assertEquals("ReadsIamPerInstance", guard("AuthorizerFunction", "ReadIdentityPolicies"));
        assertEquals("UsesS3", guard("AuthorizerFunction", "ReadAccountView"));
        JsonNode read = statements("AuthorizerFunction").stream()
                .filter(s -> s.path("Sid").asText().equals("ReadAccountView")).findFirst().orElseThrow();
        assertEquals("s3:GetObject", read.path("Action").asText());
        assertTrue(read.path("Resource").asText().endsWith("/account-view.json"));

        Set<String> refresher = actions(statements("RefresherFunction"));
        assertTrue(refresher.containsAll(Set.of("iam:GetAccountAuthorizationDetails", "s3:GetObject", "s3:PutObject",
                "organizations:ListParents", "organizations:ListPoliciesForTarget", "organizations:DescribePolicy",
                "organizations:DescribeOrganization", "organizations:ListRoots", "apigateway:DELETE")), refresher.toString());
        assertTrue(refresher.containsAll(Set.of("iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider")),
                "the view lists the OIDC providers: " + refresher);
        assertTrue(refresher.stream().noneMatch(a -> a.endsWith("*") || a.startsWith("iam:Get") && !a.equals(
                "iam:GetAccountAuthorizationDetails") && !a.equals("iam:GetOpenIDConnectProvider")),
                "no wildcards, no other IAM reads: " + refresher);
        assertEquals("ReadsOrganizationsDirectly", guard("RefresherFunction", "ReadScpChain"));
        JsonNode flush = statements("RefresherFunction").stream()
                .filter(s -> s.path("Sid").asText().equals("FlushAuthorizerCaches")).findFirst().orElseThrow();
        for (JsonNode arn : flush.path("Resource")) {
            if (arn.isTextual() && arn.asText().startsWith("arn:")) {
                assertTrue(arn.asText().endsWith("/cache/authorizers"), arn.asText());
            }
        }
        JsonNode env = resource("RefresherFunction").path("Properties").path("Environment").path("Variables");
        assertEquals("refresher", env.path("QUARKUS_LAMBDA_HANDLER").asText());
    }

    @Test
    void theIamChangeRuleNamesEveryCallTheCodeActsOnAndNothingItIgnores() throws IOException {
        JsonNode pattern = resource("IamChangesRule").path("Properties").path("EventPattern");
        assertEquals("[\"aws.iam\"]", pattern.path("source").toString());
        Set<String> names = new TreeSet<>();
        pattern.path("detail").path("eventName").forEach(n -> names.add(n.asText()));
        for (String name : names) {
            assertTrue(IamChangeEvent.from(cloudTrail(name)).isPresent(), name + " is in the rule but ignored");
        }
        // every call the code acts on is delivered (CloudTrail spells them in CamelCase; the code compares lower case)
        Set<String> delivered = new TreeSet<>();
        names.forEach(n -> delivered.add(n.toLowerCase(java.util.Locale.ROOT)));
        for (String call : IamChangeEvent.callsActedOn()) {
            assertTrue(delivered.contains(call), call + " changes decisions but is not in the rule");
        }
        assertTrue(IamChangeEvent.callsActedOn().containsAll(Set.of("updateaccesskey", "deleteaccesskey",
                "deleteopenidconnectprovider", "removeclientidfromopenidconnectprovider", "updategroup")));
    }

    static JsonNode cloudTrail(String eventName) throws IOException {
        return new ObjectMapper().readTree("""
                {"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                 "detail": {"eventSource": "iam.amazonaws.com", "eventName": "%s",
                   "requestParameters": {"userName": "u", "roleName": "r", "groupName": "g",
                     "policyArn": "arn:aws:iam::111122223333:policy/p"}}}""".formatted(eventName));
    }

    @Test
    void outsideUsEast1IamEventsAreForwardedByTheSameTemplateAsTheStandaloneForwarder() throws IOException {
        JsonNode conditions = template().path("Conditions");
        assertEquals("[\"AWS::Region\",\"us-east-1\"]", conditions.path("IsIamEventsRegion").toString());
        JsonNode role = resource("IamEventsForwardingRole");
        assertEquals("NeedsIamEventsForwarding", role.path("Condition").asText());
        assertEquals("events.amazonaws.com", role.path("Properties").path("AssumeRolePolicyDocument")
                .path("Statement").get(0).path("Principal").path("Service").asText());
        JsonNode stackSet = resource("IamEventsForwarderStackSet").path("Properties");
        assertEquals("[\"us-east-1\"]", stackSet.path("StackInstancesGroup").get(0).path("Regions").toString());
        String file = Files.readString(Path.of("iam-events-forwarder.yaml"));
        assertEquals(file.strip(), stackSet.path("TemplateBody").asText().strip(),
                "the inline StackSet template and iam-events-forwarder.yaml must be the same");
        JsonNode forwarder = YAML.readTree(file).path("Resources").path("ForwardIamEvents").path("Properties");
        assertEquals("[\"aws.iam\"]", forwarder.path("EventPattern").path("source").toString());
        assertEquals("ForwardingRoleArn", forwarder.path("Targets").get(0).path("RoleArn").asText());
        assertEquals("TargetEventBusArn", forwarder.path("Targets").get(0).path("Arn").asText());
        assertEquals("NeedsIamEventsForwarding",
                template().path("Outputs").path("IamEventsForwarderDeployCommand").path("Condition").asText());
    }

    /**
     * The function decides for API Gateway's cache as configured in {@code AUTHORIZER_CACHE_*}: those must be what
     * the APIs' authorizers really use — the same TTL parameter, and identity sources that pin no more than the
     * authorizers' own (a declared source the API does not key on would let answers be reused unsafely).
     */
    @Test
    void theFunctionIsToldTheCacheKeyAndTtlTheApisUse() throws IOException {
        JsonNode env = resource("AuthorizerFunction").path("Properties").path("Environment").path("Variables");
        assertEquals("AuthorizerResultTtlInSeconds", env.path("AUTHORIZER_CACHE_RESULT_TTL").asText());
        Set<String> declared = new TreeSet<>(List.of(env.path("AUTHORIZER_CACHE_IDENTITY_SOURCES").asText().split(",")));
        Set<String> used = new TreeSet<>();
        for (String api : List.of("SampleRestApi", "SampleHttpApi")) {
            boolean http = api.equals("SampleHttpApi");
            JsonNode authorizers = resource(api).path("Properties").path("Auth").path("Authorizers");
            for (JsonNode a : (Iterable<JsonNode>) authorizers::elements) {
                JsonNode identity = a.path("Identity");
                assertEquals("AuthorizerResultTtlInSeconds", identity.path("ReauthorizeEvery").asText(), api);
                List<String> headers = new ArrayList<>();
                if (identity.has("Header")) {
                    headers.add(identity.path("Header").asText());
                }
                identity.path("Headers").forEach(h -> headers.add(h.asText()));
                headers.forEach(h -> used.add((http ? "$request.header." : "method.request.header.") + h));
                identity.path("QueryStrings").forEach(q -> used.add((http ? "$request.querystring."
                        : "method.request.querystring.") + q.asText()));
                identity.path("Context").forEach(c -> used.add((http ? "$context." : "context.") + c.asText()));
                assertTrue(!http || !a.path("EnableSimpleResponses").asBoolean(false)
                        || used.contains("$context.routeKey"), "simple responses need $context.routeKey in the key");
            }
        }
        assertTrue(used.containsAll(declared), "declared " + declared + " but the APIs key on " + used);
    }

    // ---------------------------------------------------------------- operations: tracing, alarms, dashboard

    static final List<String> ALARMS = List.of("FunctionErrorsAlarm", "ThrottlesAlarm", "DurationNearTimeoutAlarm",
            "PolicySourceUnavailableAlarm", "AllowRateAnomalyAlarm");

    /** The metric names and dimension names the function really writes (from a metrics line it made). */
    static JsonNode emittedMetricsLine() throws IOException {
        dev.edgeiam.observe.Telemetry t = new dev.edgeiam.observe.Telemetry("EdgeIam/Authorizer", "f",
                () -> dev.edgeiam.observe.Telemetry.Counters.ZERO, () -> 1_000,
                () -> dev.edgeiam.observe.TraceHeader.parse(null), java.time.Clock.systemUTC());
        dev.edgeiam.observe.DecisionLogFields decision = new dev.edgeiam.observe.DecisionLogFields("rest-request",
                null, null, null, "Deny", "policy-source-unavailable", "could-not-decide", "REQUEST", null);
        return new ObjectMapper().readTree(t.finish(t.start("r"), "Authorizer", "ok", 1, null, decision).metrics());
    }

    static Set<String> emitted(String what) throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode directive : emittedMetricsLine().path("_aws").path("CloudWatchMetrics")) {
            if (what.equals("metrics")) {
                directive.path("Metrics").forEach(m -> out.add(m.path("Name").asText()));
            } else {
                directive.path("Dimensions").forEach(set -> set.forEach(d -> out.add(d.asText())));
            }
        }
        return out;
    }

    /** Every {@code Metric} object (Namespace, MetricName, Dimensions) under a node, however deep. */
    static void metrics(JsonNode node, List<JsonNode> out) {
        if (node.has("MetricName") && node.has("Namespace")) {
            out.add(node);
        }
        node.forEach(child -> metrics(child, out));
    }

    /**
     * SnapStart applies to published versions only (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html), and
     * an unqualified ARN invokes $LATEST: so every caller of the authorizer — the API authorizers, their invoke
     * permission, the event rules — invokes the `live` alias, and SnapStart is offered for the JVM packaging only.
     */
    @Test
    void snapStartIsOfferedForTheJvmPackagingAndEveryCallerInvokesTheAlias() throws IOException {
        JsonNode props = resource("AuthorizerFunction").path("Properties");
        assertEquals("live", props.path("AutoPublishAlias").asText());
        JsonNode applyOn = props.path("SnapStart").path("ApplyOn");
        assertEquals(List.of("UsesSnapStart", "PublishedVersions", "None"),
                List.of(applyOn.get(0).asText(), applyOn.get(1).asText(), applyOn.get(2).asText()));
        String condition = template().path("Conditions").path("UsesSnapStart").toString();
        assertTrue(condition.contains("IsNative") && condition.contains("JvmSnapStart"), condition);
        String text = Files.readString(Path.of("template.yaml"));
        assertFalse(text.contains("GetAtt AuthorizerFunction.Arn"), "an unqualified ARN would invoke $LATEST");
        long aliasUses = text.lines().filter(l -> l.contains("AuthorizerFunction.Alias")).count();
        assertTrue(aliasUses >= 7, "authorizers (3), HTTP invoke permission, event rules and permissions (4 lines), "
                + "output: " + aliasUses);
    }

    @Test
    void activeTracingIsOnForEveryFunctionOfTheArtifact() throws IOException {
        assertEquals("Active", template().path("Globals").path("Function").path("Tracing").asText());
        for (String f : List.of("AuthorizerFunction", "RefresherFunction")) {
            assertTrue(resource(f).path("Properties").path("Tracing").isMissingNode(), f + " must not turn it off");
        }
    }

    @Test
    void everyAlarmNotifiesTheOptionalTopicAndWatchesWhatTheFunctionWrites() throws IOException {
        assertEquals("", template().path("Parameters").path("AlarmTopicArn").path("Default").asText());
        assertEquals("MetricsNamespace", resource("AuthorizerFunction").path("Properties").path("Environment")
                .path("Variables").path("AUTHORIZER_METRICS_NAMESPACE").asText());
        assertEquals(dev.edgeiam.observe.Telemetry.DEFAULT_NAMESPACE,
                template().path("Parameters").path("MetricsNamespace").path("Default").asText());
        Set<String> metricNames = emitted("metrics");
        Set<String> dimensionNames = emitted("dimensions");
        for (String name : ALARMS) {
            JsonNode p = resource(name).path("Properties");
            assertEquals("AWS::CloudWatch::Alarm", resource(name).path("Type").asText());
            for (String action : List.of("AlarmActions", "OKActions")) {
                JsonNode a = p.path(action);
                assertEquals("HasAlarmTopic", a.path(0).asText(), name + " " + action);
                assertEquals("AlarmTopicArn", a.path(1).path(0).asText(), name + " " + action);
            }
            assertEquals("notBreaching", p.path("TreatMissingData").asText(), name);
            assertFalse(p.path("AlarmDescription").asText().isBlank(), name);
            assertTrue(p.path("AlarmDescription").asText().contains("First check"), name + ": what to look at first");
            List<JsonNode> used = new ArrayList<>();
            metrics(p, used);
            if (p.has("MetricName")) {
                used.add(p);
            }
            assertFalse(used.isEmpty(), name);
            for (JsonNode m : used) {
                if (m.path("Namespace").asText().equals("MetricsNamespace")) {
                    assertTrue(metricNames.contains(m.path("MetricName").asText()), name + ": " + m);
                    m.path("Dimensions").forEach(d -> assertTrue(dimensionNames.contains(d.path("Name").asText()),
                            name + " dimension " + d));
                } else {
                    assertEquals("AWS/Lambda", m.path("Namespace").asText(), name);
                }
                m.path("Dimensions").forEach(d -> {
                    if (d.path("Name").asText().equals("FunctionName")) {
                        assertEquals("AuthorizerFunction", d.path("Value").asText(), name);
                    }
                });
            }
        }
    }

    @Test
    void theErrorsAlarmDiscountsTheDeliberate401sAndCountsAnsweredInternalErrors() throws IOException {
        JsonNode metrics = resource("FunctionErrorsAlarm").path("Properties").path("Metrics");
        String expression = metrics.path(0).path("Expression").asText();
        assertEquals("FILL(lambdaErrors, 0) - FILL(unauthorized, 0) + FILL(internal, 0)", expression);
        Map<String, String> byId = new java.util.HashMap<>();
        metrics.forEach(m -> byId.put(m.path("Id").asText(), m.path("MetricStat").path("Metric").path("MetricName")
                .asText()));
        assertEquals(Map.of("unexpected", "", "lambdaErrors", "Errors", "unauthorized", "UnauthorizedAnswers",
                "internal", "InternalErrors"), byId);
    }

    @Test
    void theDurationAlarmFiresBeforeApiGatewayGivesUpAndThePolicySourceAlarmWatchesItsReason() throws IOException {
        JsonNode duration = resource("DurationNearTimeoutAlarm").path("Properties");
        assertEquals("p99", duration.path("ExtendedStatistic").asText());
        assertEquals("DurationAlarmMilliseconds", duration.path("Threshold").asText());
        int threshold = template().path("Parameters").path("DurationAlarmMilliseconds").path("Default").asInt();
        assertTrue(threshold > 5_000 && threshold < 10_000, "near, below API Gateway's 10 s: " + threshold);
        JsonNode source = resource("PolicySourceUnavailableAlarm").path("Properties");
        Map<String, String> dims = new java.util.HashMap<>();
        source.path("Dimensions").forEach(d -> dims.put(d.path("Name").asText(), d.path("Value").asText()));
        assertEquals(Map.of("FunctionName", "AuthorizerFunction", "Decision", "Deny",
                "Reason", "policy-source-unavailable"), dims);
        JsonNode anomaly = resource("AllowRateAnomalyAlarm").path("Properties");
        assertEquals("LessThanLowerOrGreaterThanUpperThreshold", anomaly.path("ComparisonOperator").asText());
        assertTrue(anomaly.path("Metrics").path(0).path("Expression").asText().startsWith("ANOMALY_DETECTION_BAND("));
        assertEquals(anomaly.path("Metrics").path(1).path("Expression").asText(),
                resource("AllowRateAnomalyDetector").path("Properties").path("MetricMathAnomalyDetector")
                        .path("MetricDataQueries").path(0).path("Expression").asText(), "the model is of the alarmed rate");
    }

    @Test
    void theDashboardIsValidJsonOverTheMetricsTheFunctionWrites() throws IOException {
        JsonNode body = resource("OperationsDashboard").path("Properties").path("DashboardBody");
        String text = body.path(0).asText().replaceAll("\\$\\{[^}]+}", "X");
        JsonNode dashboard = new ObjectMapper().readTree(text);
        Set<String> metricNames = emitted("metrics");
        Set<String> shown = new TreeSet<>();
        List<String> alarms = new ArrayList<>();
        for (JsonNode widget : dashboard.path("widgets")) {
            for (JsonNode line : widget.path("properties").path("metrics")) {
                if (line.path(0).isTextual()) {
                    String namespace = line.path(0).asText();
                    assertTrue(namespace.equals("X") || namespace.equals("AWS/Lambda"), line.toString());
                    if (namespace.equals("X")) {
                        assertTrue(metricNames.contains(line.path(1).asText()), line.toString());
                        shown.add(line.path(1).asText());
                    }
                }
            }
            widget.path("properties").path("alarms").forEach(a -> alarms.add(a.asText()));
        }
        assertEquals(ALARMS.size(), alarms.size(), "every alarm on the dashboard");
        for (String alarm : ALARMS) {
            assertTrue(body.path(0).asText().contains("${" + alarm + ".Arn}"), alarm);
        }
        Set<String> expected = new TreeSet<>(metricNames);
        expected.removeAll(Set.of("Invocations")); // Lambda's own Invocations metric says as much
        assertEquals(expected, shown, "every metric the function writes is on the dashboard");
        assertEquals("MetricsNamespace", body.path(1).path("Ns").asText());
        assertEquals("AuthorizerFunction", body.path(1).path("Fn").asText());
    }
}
