package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.INSTANCE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.JSON;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.lambda.RedteamPass24Driver;
import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * Red-team pass 24 against the packaged function: the package before the changes under attack
 * ({@code -Dredteam24.oldZip=/path/to/old/target/function.zip}; skipped when not given) and this build's
 * package (own preload list, {@code -XDstringConcat=inline}, the loops) are started side by side with the same
 * environment, account snapshot (random policies of {@link RedteamPass24Driver#policy}) and overlapping custom routes
 * (given as system properties in {@code JAVA_TOOL_OPTIONS}), a fresh pair of processes per scenario, each scenario
 * starting with another kind of first event (REST REQUEST, TOKEN, HTTP API, WebSocket, the simulators, the validator,
 * the action expander — so the classes the new package no longer preloads are initialised on another first path),
 * then random authorizer events. Every answer (body and error flag) must be the same bytes from both packages.
 * Run: {@code ./mvnw -B -o failsafe:integration-test failsafe:verify -Dit.test=RedteamPass24PackagedIT
 * -Dredteam24.oldZip=...} ({@code -Dredteam24.seed}, {@code -Dredteam24.events} per scenario, default 120).
 */
class RedteamPass24PackagedIT {

    static final String OLD_ZIP_PROPERTY = System.getProperty("redteam24.oldZip");
    static final Path NEW_ZIP = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
    static final Path RIC_DIR = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));
    static final int EVENTS = Integer.getInteger("redteam24.events", 120);
    static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();
    static int compared;

    static String custom(int i, String method, String path, String action, String arns) {
        String p = " -Dauthorizer.custom-routes[" + i + "].";
        return p + "method=" + method + p + "path=" + path + p + "action=" + action + p + "arns=" + arns;
    }

    static final String ARN = "arn:{Partition}:connect:{Region}:{Account}:instance/";

    /** Overlapping mappings: a literal beside a label, ANY beside GET, a label-first template, WebSocket. */
    static final String CUSTOM = custom(0, "GET", "/v1/agents/{id}", "connect:DescribeUser", ARN + INSTANCE
            + "/agent/{id}")
            + custom(1, "GET", "/v1/agents/me", "connect:ListUsers", ARN + INSTANCE + "/*")
            + custom(2, "ANY", "/v1/agents/{id}", "connect:UpdateUserIdentityInfo", ARN + INSTANCE + "/agent/{id}")
            + custom(3, "GET", "/v1/{kind}/{id}", "connect:DescribeQueue", ARN + INSTANCE + "/queue/{id}")
            + custom(4, "WEBSOCKET", "/$connect", "connect:DescribeUser", ARN + "{instanceId}/agent/{agentId}")
            + custom(5, "GET", "/v1/queue-report", "connect:DescribeQueue", ARN + INSTANCE + "/queue/{queueId}")
            + custom(6, "ANY", "/{a}/{b}", "connect:DescribeRoutingProfile", ARN + "{a}/routing-profile/{b}")
            + custom(7, "GET", "/users/{I}/me", "connect:DescribeUser", ARN + "{I}/agent/me");

    /** As {@link #CUSTOM} with a duplicate (same method and template): both packages must refuse to start alike. */
    static final String DUPLICATE = CUSTOM + custom(8, "get", "/v1/agents/{id}", "connect:DeleteUser", "*");

    static final Pattern VOLATILE = Pattern.compile(
            "\"(requestId|AWSRequestId|traceId|timestamp|time)\":\"[^\"]*\"");

    static String normal(Invocation i) {
        return i.error() + " " + VOLATILE.matcher(i.bodyText()).replaceAll("\"$1\":\"#\"");
    }

    static byte[] file(String name) throws Exception {
        return Files.readAllBytes(Path.of("events", name));
    }

    /** One scenario: the same events to a fresh old and a fresh new package; the differences found. */
    static List<String> scenario(String name, long seed, String javaOptions, List<byte[]> first) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder statements = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String p = RedteamPass24Driver.policy(r);
            String body = p.substring(p.indexOf('[') + 1, p.lastIndexOf(']'));
            statements.append(i == 0 ? "" : ",").append(body);
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt24-", ".json"), policy, Map.of());
        Map<String, String> env = new HashMap<>(Map.of(
                "AUTHORIZER_JWKS_URL", dev.edgeiam.identity.DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", dev.edgeiam.identity.DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", dev.edgeiam.identity.DevTokens.AUDIENCE,
                "AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", r.nextBoolean() ? "0" : "300",
                "AUTHORIZER_CONNECT_REGION", RedteamPass11PackagedIT.REGION,
                "AUTHORIZER_CONNECT_ACCOUNT", RedteamPass11PackagedIT.ACCOUNT,
                "JAVA_TOOL_OPTIONS", javaOptions));
        String blue = RedteamPass11PackagedIT.token("agent-blue", Map.of("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("blue")))));
        String red = RedteamPass11PackagedIT.token("agent-red", Map.of("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("red")))));
        List<byte[]> events = new ArrayList<>(first);
        RouteTable table = RouteTable.defaultTable();
        long now = System.currentTimeMillis();
        for (int i = 0; i < EVENTS; i++) {
            events.add(RedteamPass24Driver.event(r, table, now, r.nextInt(4) == 0 ? red : blue));
        }
        List<String> differences = new ArrayList<>();
        try (LocalLambdaRuntime old = start(Path.of(OLD_ZIP_PROPERTY), env); LocalLambdaRuntime now2 = start(NEW_ZIP, env)) {
            int allowed = 0;
            for (byte[] e : events) {
                String a = ask(old, e);
                String b = ask(now2, e);
                compared++;
                if (b.contains("\"decision\":\"Allow\"") || b.contains("\"isAuthorized\":true")) {
                    allowed++;
                }
                if (compared % 40 == 1 || Boolean.getBoolean("redteam24.verbose")) {
                    System.out.println("RedteamPass24PackagedIT " + name + " sample: " + b.substring(0,
                            Math.min(b.length(), 700)));
                }
                if (!a.equals(b)) {
                    differences.add(name + ": " + new String(e, StandardCharsets.UTF_8) + "\n old: " + a + "\n new: " + b);
                }
            }
            System.out.println("RedteamPass24PackagedIT " + name + ": events=" + events.size() + " allowed(new)="
                    + allowed + " differences=" + differences.size());
        }
        return differences;
    }

    static LocalLambdaRuntime start(Path zip, Map<String, String> env) throws Exception {
        return LocalLambdaRuntime.start(zip, RIC_DIR, OUTPUT, env);
    }

    static String ask(LocalLambdaRuntime r, byte[] event) {
        try {
            return normal(r.invoke(event, Duration.ofSeconds(60)));
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    @Test
    void oldAndNewPackagesAnswerAlike() throws Exception {
        Assumptions.assumeTrue(OLD_ZIP_PROPERTY != null && Files.exists(Path.of(OLD_ZIP_PROPERTY)),
                "set -Dredteam24.oldZip to the package before the changes");
        List<byte[]> rest = List.of(file("rest-request.json"));
        List<byte[]> token = List.of(file("rest-token.json"));
        List<byte[]> http = List.of(file("http-v2-request.json"));
        List<byte[]> ws = List.of(file("websocket-connect.json"));
        List<byte[]> simulate = List.of(file("simulate-custom-policy.json"), file("simulate-principal-policy.json"));
        List<byte[]> validate = List.of(file("validate-policy.json"), file("expand-actions.json"));
        List<byte[]> other = List.of(file("rest-request-custom-route.json"), file("rest-request-full.json"),
                file("rest-request-other-agent.json"), file("rest-token-missing.json"));
        List<String> differences = new ArrayList<>();
        long seed = Long.getLong("redteam24.seed", 2424L);
        differences.addAll(scenario("rest-first", seed, CUSTOM, rest));
        differences.addAll(scenario("token-first", seed + 1, CUSTOM, token));
        differences.addAll(scenario("http-first", seed + 2, CUSTOM, http));
        differences.addAll(scenario("websocket-first", seed + 3, CUSTOM, ws));
        differences.addAll(scenario("simulate-first", seed + 4, CUSTOM, simulate));
        differences.addAll(scenario("validate-first", seed + 5, CUSTOM, validate));
        differences.addAll(scenario("samples-no-custom", seed + 6, "", other));
        differences.addAll(scenario("duplicate-custom", seed + 7, DUPLICATE, rest));
        System.out.println("RedteamPass24PackagedIT: compared=" + compared + " differences=" + differences.size());
        assertTrue(differences.isEmpty(), String.join("\n", differences.subList(0, Math.min(5, differences.size()))));
    }
}
