package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgeiam.simulate.RedteamPass25PrincipalDriver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Red-team pass 25 against the packaged function: SimulateCustomPolicy events whose answer rests on a resource
 * policy's {@code Principal}/{@code NotPrincipal} (the four findings of {@code simulate.RedteamPass25BareAccountIdTest},
 * then {@code -Dredteam25.events} random bodies of {@link RedteamPass25PrincipalDriver}, default 1000). The findings
 * must not be allowed; with {@code -Dredteam25.oldZip} the old package answers the same events and every difference
 * is printed (differences are expected: the change under attack is a behaviour change). Run:
 * {@code ./mvnw -B -o failsafe:integration-test failsafe:verify -Dit.test=RedteamPass25PackagedIT}.
 */
class RedteamPass25PackagedIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALLOW = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    static final String NONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

    static String finding(String identity, String caller, String resource, String effect, String element, String id) {
        String rp = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"" + element
                + "\":{\"AWS\":\"" + id + "\"},\"Action\":\"*\",\"Resource\":\"*\"}]}";
        var body = JSON.createObjectNode();
        body.putArray("PolicyInputList").add(identity);
        body.putArray("ActionNames").add("connect:DescribeUser");
        body.putArray("ResourceArns").add(resource);
        body.put("CallerArn", caller);
        body.put("ResourcePolicy", rp);
        return body.toString();
    }

    static String agent(String partition, String account) {
        return "arn:" + partition + ":connect:us-east-1:" + account
                + ":instance/11111111-2222-3333-4444-555555555555/agent/u-1";
    }

    static final List<String> FINDINGS = List.of(
            finding(ALLOW, "111122223333", agent("aws", "111122223333"), "Deny", "Principal",
                    "arn:aws:iam::111122223333:root"),
            finding(NONE, "111122223333", agent("aws", "111122223333"), "Allow", "NotPrincipal",
                    "arn:aws:iam::111122223333:root"),
            finding(ALLOW, "arn:aws-us-gov:iam::444455556666:user/dev/u-1", agent("aws", "444455556666"), "Deny",
                    "NotPrincipal", "444455556666"),
            finding(ALLOW, "arn:aws-cn:iam::111122223333:user/u-1", agent("aws", "444455556666"), "Allow",
                    "Principal", "111122223333"));

    static String decisions(LocalLambdaRuntime r, String body) throws Exception {
        byte[] event = ("{\"SimulateCustomPolicy\":" + body + "}").getBytes(StandardCharsets.UTF_8);
        RuntimeApiServer.Invocation i = r.invoke(event, Duration.ofSeconds(60));
        if (i.error()) {
            return "error " + i.bodyText();
        }
        JsonNode out = JSON.readTree(i.bodyText());
        if (out.has("errorCode")) {
            return "error " + out.get("errorCode").asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : out.path("EvaluationResults")) {
            sb.append(e.path("EvalDecision").asText()).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void packagedSimulatorPrincipals() throws Exception {
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt25-", ".json"), ALLOW, Map.of());
        Map<String, String> env = Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CONNECT_REGION", RedteamPass11PackagedIT.REGION,
                "AUTHORIZER_CONNECT_ACCOUNT", RedteamPass11PackagedIT.ACCOUNT,
                "AUTHORIZER_JWKS_URL", dev.edgeiam.identity.DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", dev.edgeiam.identity.DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", dev.edgeiam.identity.DevTokens.AUDIENCE);
        Path newZip = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
        Path ric = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));
        String oldZip = System.getProperty("redteam25.oldZip");
        List<String> bodies = new ArrayList<>(FINDINGS);
        bodies.addAll(RedteamPass25PrincipalDriver.bodies(2525L, Integer.getInteger("redteam25.events", 1000)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> allowedFindings = new ArrayList<>();
        int differences = 0;
        try (LocalLambdaRuntime now = LocalLambdaRuntime.start(newZip, ric, log, env);
             LocalLambdaRuntime old = oldZip == null ? null : LocalLambdaRuntime.start(Path.of(oldZip), ric, log, env)) {
            for (int i = 0; i < bodies.size(); i++) {
                String b = decisions(now, bodies.get(i));
                if (i < FINDINGS.size() && b.contains("allowed")) {
                    allowedFindings.add(bodies.get(i) + " -> " + b);
                }
                if (old != null) {
                    String a = decisions(old, bodies.get(i));
                    if (i < FINDINGS.size()) {
                        System.out.println("RedteamPass25PackagedIT finding " + i + " old: " + a + " new: " + b);
                    }
                    if (!a.equals(b)) {
                        differences++;
                    }
                }
            }
        }
        System.out.println("RedteamPass25PackagedIT events=" + bodies.size() + " old/new differences=" + differences
                + " findings allowed=" + allowedFindings.size());
        assertEquals(List.of(), allowedFindings);
    }
}
