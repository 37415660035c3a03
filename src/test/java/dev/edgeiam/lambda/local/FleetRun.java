package dev.edgeiam.lambda.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Tag;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fleet-level measurement of the {@code s3} policy source (not a test; run by hand, see BENCHMARKS.md "Fleet"):
 * {@code --instances} (default 8) packaged-function processes ({@link LocalLambdaRuntime}) with
 * {@code AUTHORIZER_POLICY_SOURCE=s3} and one refresher process (the same {@code function.zip},
 * {@code QUARKUS_LAMBDA_HANDLER=refresher}) against one {@code moto_server} (IAM, S3, Organizations). Each process
 * reaches moto through its own counting loopback proxy, so every AWS request is attributed to one process and one
 * service; API Gateway's {@code FlushStageAuthorizersCache} (not in moto 5.2.1) is answered by a loopback endpoint
 * that counts the flushes.
 *
 * <p>The account is the bundled sample account, created in moto's IAM. Traffic is the sample authorizer events
 * (REST REQUEST and TOKEN, HTTP API 2.0 for carol, a web-identity session of {@code ConnectAgentWebRole}; REST REQUEST
 * for another agent's record) plus {@code SimulatePrincipalPolicy} for the IAM user carol, round-robin over the
 * instances. Every {@code --change-every} seconds an inline {@code Deny connect:*} policy is put on (or deleted from)
 * {@code ConnectAgentWebRole}, and the refresher is sent the CloudTrail event EventBridge would deliver. Reported:
 * <ul>
 * <li>IAM and Organizations calls per change (counted at the refresher's proxy; the instances' proxies must see none);</li>
 * <li>S3 requests per instance per minute while nothing changes, with traffic and without;</li>
 * <li>per change: IAM call → view written, and → every instance deciding with the new policy;</li>
 * <li>every decision checked against the policy in force: a decision that matches the policy at no time within
 * [sent − bound, answered] is a violation, bound = max-stale + the longest IAM call → view written.</li>
 * </ul>
 * Run from the repository root after {@code ./mvnw -B package -DskipTests}, with the test class path:
 * <pre>
 * ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.edgeiam.lambda.local.FleetRun \
 *      [--instances 8] [--changes 4] [--change-every 75] [--idle 60] [--rate 20] [--revalidate 10] [--max-stale 60]
 * </pre>
 */
public final class FleetRun {

    static final String ACCOUNT = "111122223333";
    static final String BUCKET = "edgeiam-fleet-view";
    static final String KEY = "account-view.json";
    static final String ROLE = "ConnectAgentWebRole";
    static final String REVOKE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"FleetRunRevoke\","
            + "\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[0-9]+/([^/]+)/([^/]+)/aws4_request");

    /** One authorizer decision as the driver saw it. */
    record Decision(int instance, int event, long sentNanos, long answeredNanos, String decision, String requestId) {
    }

    /** One IAM change: when the IAM call returned, whether the role is revoked after it. */
    record Change(long atNanos, boolean revoked) {
    }

    public static void main(String[] args) throws Exception {
        int instances = 8;
        int changes = 4;
        int changeEvery = 75;
        int idle = 60;
        int rate = 20;
        int revalidate = 10;
        int maxStale = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--instances" -> instances = Integer.parseInt(args[++i]);
                case "--changes" -> changes = Integer.parseInt(args[++i]);
                case "--change-every" -> changeEvery = Integer.parseInt(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--revalidate" -> revalidate = Integer.parseInt(args[++i]);
                case "--max-stale" -> maxStale = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        new FleetRun(instances, changes, changeEvery, idle, rate, revalidate, maxStale).run();
    }

    private final int instances;
    private final int changes;
    private final int changeEvery;
    private final int idle;
    private final int rate;
    private final int revalidate;
    private final int maxStale;
    private final long t0 = System.nanoTime();
    private final List<Decision> decisions = new CopyOnWriteArrayList<>();
    private final List<Change> timeline = new CopyOnWriteArrayList<>();
    private final Map<String, String> viewByRequest = new ConcurrentHashMap<>();
    private final List<Long> putTimes = new CopyOnWriteArrayList<>();
    private final AtomicInteger flushes = new AtomicInteger();

    FleetRun(int instances, int changes, int changeEvery, int idle, int rate, int revalidate, int maxStale) {
        this.instances = instances;
        this.changes = changes;
        this.changeEvery = changeEvery;
        this.idle = idle;
        this.rate = rate;
        this.revalidate = revalidate;
        this.maxStale = maxStale;
    }

    double seconds(long nanos) {
        return (nanos - t0) / 1e9;
    }

    void run() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        Path functionZip = repo.resolve("target/function.zip");
        Path ricDir = repo.resolve("target/lambda-ric");
        Files.createDirectories(repo.resolve("target/fleet"));
        System.out.println("load average at start: " + LoadRun.loadAverage());
        try (MotoServer moto = MotoServer.start();
             FlushRecorder apiGateway = new FlushRecorder(flushes)) {
            AwsCredentialsProvider credentials = accountCredentials(moto);
            AwsSessionCredentials c = (AwsSessionCredentials) credentials.resolveCredentials();
            try (IamClient iam = iam(moto, credentials)) {
                SampleAccount.create(iam, Path.of("src/main/resources/snapshot/sample-account.json"));
            }
            try (var s3 = s3(moto, credentials)) {
                s3.createBucket(r -> r.bucket(BUCKET));
                s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
            }
            Map<String, String> common = new HashMap<>();
            common.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
            common.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
            common.put("AWS_SESSION_TOKEN", c.sessionToken());
            common.put("AWS_REGION", "us-east-1");
            common.put("AUTHORIZER_SNAPSHOT_BUCKET", BUCKET);
            common.put("AUTHORIZER_SNAPSHOT_KEY", KEY);
            common.put("AUTHORIZER_SNAPSHOT_PATH_STYLE", "true");
            common.put("AUTHORIZER_SNAPSHOT_REVALIDATE", "PT" + revalidate + "S");
            common.put("AUTHORIZER_SNAPSHOT_MAX_STALE", "PT" + maxStale + "S");
            common.put("AUTHORIZER_CONNECT_ACCOUNT", ACCOUNT);
            common.put("AUTHORIZER_JWKS_URL", "file:" + repo.resolve("src/test/resources/dev-keys/jwks.json"));
            common.put("AUTHORIZER_ISSUER", "https://issuer.dev.edgeiam.test");
            common.put("AUTHORIZER_AUDIENCE", "connect-authorizer-dev");

            List<CountingProxy> proxies = new ArrayList<>();
            List<LocalLambdaRuntime> runtimes = new ArrayList<>();
            CountingProxy refresherProxy = new CountingProxy(moto.endpoint(), putTimes);
            Map<String, String> refresherEnv = new HashMap<>(common);
            refresherEnv.put("QUARKUS_LAMBDA_HANDLER", "refresher");
            refresherEnv.put("AWS_ENDPOINT_URL", refresherProxy.uri().toString());
            refresherEnv.put("AWS_ENDPOINT_URL_API_GATEWAY", apiGateway.uri().toString());
            refresherEnv.put("AUTHORIZER_REFRESHER_FLUSH_STAGES", "k7p2q9x4zd/prod");
            long started = System.nanoTime();
            try (OutputStream refresherLog = Files.newOutputStream(repo.resolve("target/fleet/refresher.log"));
                 LocalLambdaRuntime refresher = LocalLambdaRuntime.start(functionZip, ricDir, refresherLog,
                         refresherEnv)) {
                JsonNode first = JSON.readTree(refresher.invoke(
                        Files.readAllBytes(Path.of("events/scheduled-refresh.json")), Duration.ofSeconds(120)).body());
                System.out.println("refresher, scheduled refresh: " + first);
                Map<String, Integer> scheduled = refresherProxy.take();
                System.out.println("  AWS calls of the scheduled refresh: " + scheduled);
                for (int i = 0; i < instances; i++) {
                    CountingProxy proxy = new CountingProxy(moto.endpoint(), null);
                    proxies.add(proxy);
                    Map<String, String> env = new HashMap<>(common);
                    env.put("AUTHORIZER_POLICY_SOURCE", "s3");
                    env.put("AWS_ENDPOINT_URL", proxy.uri().toString());
                    runtimes.add(LocalLambdaRuntime.start(functionZip, ricDir, new ViewVersions(viewByRequest), env));
                }
                List<byte[]> events = events();
                // Cold start of every instance: its first invocation loads the view.
                for (int i = 0; i < instances; i++) {
                    Invocation cold = runtimes.get(i).invoke(events.get(0), Duration.ofSeconds(120));
                    System.out.println("  instance " + i + " first answer: " + decisionOf(cold));
                }
                System.out.printf(Locale.ROOT, "%d instances and the refresher up in %.1f s; load %s%n", instances,
                        (System.nanoTime() - started) / 1e9, LoadRun.loadAverage());
                Map<Integer, String> baseline = new TreeMap<>();
                for (int e = 0; e < events.size(); e++) {
                    baseline.put(e, decisionOf(runtimes.get(0).invoke(events.get(e), Duration.ofSeconds(30))));
                }
                System.out.println("baseline decisions per event: " + baseline);
                proxies.forEach(CountingProxy::take);

                AtomicBoolean traffic = new AtomicBoolean(true);
                List<Thread> drivers = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    int instance = i;
                    drivers.add(Thread.ofPlatform().daemon().start(() -> drive(instance, runtimes.get(instance),
                            events, traffic)));
                }
                // Idle with traffic: nothing changes; count S3 requests per instance.
                Thread.sleep(idle * 1000L);
                double withTraffic = perInstancePerMinute(proxies, idle);
                System.out.printf(Locale.ROOT, "NO CHANGE, TRAFFIC: S3 requests per instance per minute %.2f "
                        + "(IAM/Organizations calls by instances: %s); decisions so far %d%n", withTraffic,
                        otherCalls(proxies), decisions.size());

                // Changes.
                List<Map<String, Integer>> perChange = new ArrayList<>();
                try (IamClient iam = iam(moto, credentials)) {
                    boolean revoked = false;
                    for (int k = 0; k < changes; k++) {
                        revoked = !revoked;
                        boolean now = revoked;
                        if (now) {
                            iam.putRolePolicy(r -> r.roleName(ROLE).policyName("FleetRunRevoke").policyDocument(REVOKE));
                        } else {
                            iam.deleteRolePolicy(r -> r.roleName(ROLE).policyName("FleetRunRevoke"));
                        }
                        long at = System.nanoTime();
                        timeline.add(new Change(at, now));
                        refresherProxy.take();
                        Invocation answer = refresher.invoke(cloudTrail(now ? "PutRolePolicy" : "DeleteRolePolicy"),
                                Duration.ofSeconds(maxStale + 120L));
                        Map<String, Integer> calls = refresherProxy.take();
                        perChange.add(calls);
                        System.out.printf(Locale.ROOT, "change %d at %.1f s (%s): refresher %s; its AWS calls %s%n",
                                k + 1, seconds(at), now ? "revoke" : "restore", answer.bodyText(), calls);
                        long remaining = changeEvery * 1000L - (System.nanoTime() - at) / 1_000_000;
                        if (remaining > 0) {
                            Thread.sleep(remaining);
                        }
                    }
                }
                traffic.set(false);
                for (Thread t : drivers) {
                    t.join(30_000);
                }
                proxies.forEach(CountingProxy::take);
                // Idle without traffic: a frozen or unused instance makes no request.
                Thread.sleep(Math.min(idle, 30) * 1000L);
                System.out.printf(Locale.ROOT, "NO CHANGE, NO TRAFFIC: S3 requests per instance per minute %.2f%n",
                        perInstancePerMinute(proxies, Math.min(idle, 30)));
                report(baseline, perChange);
            } finally {
                for (LocalLambdaRuntime r : runtimes) {
                    r.close();
                }
                proxies.forEach(CountingProxy::close);
                refresherProxy.close();
            }
        }
        System.out.println("load average at end: " + LoadRun.loadAverage());
    }

    /** One instance's traffic: the events round-robin at {@code rate} per second. */
    void drive(int instance, LocalLambdaRuntime runtime, List<byte[]> events, AtomicBoolean traffic) {
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int n = instance;
        while (traffic.get()) {
            int e = n++ % events.size();
            long sent = System.nanoTime();
            try {
                Invocation answer = runtime.invoke(events.get(e), Duration.ofSeconds(30));
                decisions.add(new Decision(instance, e, sent, System.nanoTime(), decisionOf(answer),
                        answer.requestId()));
            } catch (Exception ex) {
                decisions.add(new Decision(instance, e, sent, System.nanoTime(), "ERROR " + ex.getMessage(), ""));
            }
            next += interval;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException ie) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** The expected decision of event {@code e} when the role is revoked or not. */
    static String expected(Map<Integer, String> baseline, int e, boolean revoked) {
        return revoked && e < 3 ? "Deny" : baseline.get(e);
    }

    boolean revokedAt(long nanos) {
        boolean revoked = false;
        for (Change c : timeline) {
            if (c.atNanos() <= nanos) {
                revoked = c.revoked();
            }
        }
        return revoked;
    }

    void report(Map<Integer, String> baseline, List<Map<String, Integer>> perChange) {
        // IAM call -> view written: the refresher's PutObject after each change.
        long longestWrite = 0;
        List<Long> writes = new ArrayList<>();
        for (Change c : timeline) {
            long put = putTimes.stream().filter(t -> t >= c.atNanos()).min(Long::compare).orElse(-1L);
            writes.add(put);
            longestWrite = Math.max(longestWrite, put < 0 ? 0 : put - c.atNanos());
        }
        long bound = maxStale * 1_000_000_000L + longestWrite;
        int violations = 0;
        int staleWithinBound = 0;
        int errors = 0;
        List<String> firstViolations = new ArrayList<>();
        Set<String> versions = new java.util.TreeSet<>();
        for (Decision d : decisions) {
            if (d.decision().startsWith("ERROR")) {
                errors++;
                continue;
            }
            String view = viewByRequest.get(d.requestId());
            if (view != null) {
                versions.add(view);
            }
            boolean matchesNow = false;
            boolean matchesInBound = false;
            for (long t : checkpoints(d.sentNanos() - bound, d.answeredNanos())) {
                boolean ok = expected(baseline, d.event(), revokedAt(t)).equals(d.decision());
                if (ok && t >= d.sentNanos()) {
                    matchesNow = true;
                }
                matchesInBound |= ok;
            }
            if (!matchesInBound) {
                violations++;
                if (firstViolations.size() < 5) {
                    firstViolations.add(d + " view " + view);
                }
            } else if (!matchesNow) {
                staleWithinBound++;
            }
        }
        System.out.printf(Locale.ROOT, "DECISIONS: %d checked, %d errors, %d matched the policy in force while"
                        + " in flight, %d matched it only within the bound (max-stale %d s + IAM→view %.2f s),"
                        + " %d VIOLATIONS; view versions seen in decision logs: %d%n", decisions.size(), errors,
                decisions.size() - errors - violations - staleWithinBound, staleWithinBound, maxStale,
                longestWrite / 1e9, violations, versions.size());
        firstViolations.forEach(v -> System.out.println("  violation: " + v));
        for (int k = 0; k < timeline.size(); k++) {
            Change c = timeline.get(k);
            long end = k + 1 < timeline.size() ? timeline.get(k + 1).atNanos() : Long.MAX_VALUE;
            double[] perInstance = new double[instances];
            for (int i = 0; i < instances; i++) {
                long lastOld = c.atNanos();
                for (Decision d : decisions) {
                    if (d.instance() == i && d.event() < 3 && d.sentNanos() >= c.atNanos() && d.sentNanos() < end
                            && !d.decision().equals(expected(baseline, d.event(), c.revoked()))) {
                        lastOld = Math.max(lastOld, d.answeredNanos());
                    }
                }
                perInstance[i] = (lastOld - c.atNanos()) / 1e9;
            }
            double[] sorted = perInstance.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "CHANGE %d (%s): IAM call -> view written %.2f s; -> every instance"
                            + " deciding with it %.2f s (median instance %.2f s); IAM+Organizations calls %s%n",
                    k + 1, c.revoked() ? "revoke" : "restore",
                    writes.get(k) < 0 ? -1 : (writes.get(k) - c.atNanos()) / 1e9, sorted[sorted.length - 1],
                    sorted[sorted.length / 2], iamAndOrganizations(perChange.get(k)));
        }
        System.out.println("API Gateway flushes: " + flushes.get() + " (two per written view)");
    }

    /** Instants to test a decision against: the window's ends and every change inside it. */
    List<Long> checkpoints(long from, long to) {
        List<Long> out = new ArrayList<>(List.of(from, to));
        for (Change c : timeline) {
            if (c.atNanos() > from && c.atNanos() < to) {
                out.add(c.atNanos());
            }
        }
        return out;
    }

    static Map<String, Integer> iamAndOrganizations(Map<String, Integer> calls) {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((k, v) -> {
            if (k.startsWith("iam") || k.startsWith("organizations")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static double perInstancePerMinute(List<CountingProxy> proxies, int seconds) {
        int s3 = 0;
        for (CountingProxy p : proxies) {
            s3 += p.take().entrySet().stream().filter(e -> e.getKey().startsWith("s3")).mapToInt(Map.Entry::getValue)
                    .sum();
        }
        return s3 / (double) proxies.size() / (seconds / 60.0);
    }

    static Map<String, Integer> otherCalls(List<CountingProxy> proxies) {
        Map<String, Integer> out = new TreeMap<>();
        for (CountingProxy p : proxies) {
            p.peek().forEach((k, v) -> {
                if (!k.startsWith("s3")) {
                    out.merge(k, v, Integer::sum);
                }
            });
        }
        return out;
    }

    static String decisionOf(Invocation answer) {
        try {
            JsonNode body = JSON.readTree(answer.body());
            if (body.has("EvaluationResults")) {
                return body.get("EvaluationResults").get(0).get("EvalDecision").asText();
            }
            if (body.has("context")) {
                return body.get("context").get("decision").asText();
            }
            return "OTHER " + answer.bodyText();
        } catch (IOException e) {
            return "UNREADABLE";
        }
    }

    static List<byte[]> events() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("rest-request", "rest-token", "http-v2-request", "rest-request-other-agent")) {
            out.add(Files.readAllBytes(Path.of("events", name + ".json")));
        }
        out.add(("{\"SimulatePrincipalPolicy\":{\"PolicySourceArn\":\"arn:aws:iam::" + ACCOUNT + ":user/carol\","
                + "\"ActionNames\":[\"connect:DescribeUser\"],\"ResourceArns\":[\"arn:aws:connect:us-east-1:"
                + ACCOUNT + ":instance/a1b2c3d4-5678-90ab-cdef-example11111/agent/carol\"]}}")
                .getBytes(StandardCharsets.UTF_8));
        return out;
    }

    static byte[] cloudTrail(String eventName) {
        return ("{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\","
                + "\"account\":\"" + ACCOUNT + "\",\"region\":\"us-east-1\",\"detail\":{\"eventSource\":"
                + "\"iam.amazonaws.com\",\"eventName\":\"" + eventName + "\",\"requestParameters\":{\"roleName\":\""
                + ROLE + "\",\"policyName\":\"FleetRunRevoke\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    // ---- AWS clients on moto, as the sample account --------------------------------------------------------------

    static AwsCredentialsProvider accountCredentials(MotoServer moto) {
        return moto.accountCredentials(ACCOUNT);
    }

    static IamClient iam(MotoServer moto, AwsCredentialsProvider credentials) {
        return moto.iam(credentials);
    }

    static software.amazon.awssdk.services.s3.S3Client s3(MotoServer moto, AwsCredentialsProvider credentials) {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(moto.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build();
    }

    // ---- the sample account in moto's IAM ------------------------------------------------------------------------

    /** Creates the users, groups, roles and managed policies of a GetAccountAuthorizationDetails file through IAM. */
    static final class SampleAccount {
        static void create(IamClient iam, Path file) throws IOException {
            // the development issuer's IAM OIDC identity provider, as an account whose roles trust it has (STS needs
            // it for AssumeRoleWithWebIdentity; the authorizer checks the view's OpenIDConnectProviderList, R13.1)
            iam.createOpenIDConnectProvider(r -> r.url(dev.edgeiam.identity.DevTokens.ISSUER)
                    .clientIDList(dev.edgeiam.identity.DevTokens.AUDIENCE)
                    .thumbprintList("0123456789abcdef0123456789abcdef01234567"));
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            for (JsonNode p : root.get("Policies")) {
                JsonNode doc = p.get("PolicyVersionList").get(0).get("Document");
                iam.createPolicy(r -> r.policyName(p.get("PolicyName").asText()).path(p.get("Path").asText())
                        .policyDocument(doc.toString()));
            }
            for (JsonNode g : root.get("GroupDetailList")) {
                String name = g.get("GroupName").asText();
                iam.createGroup(r -> r.groupName(name).path(g.path("Path").asText("/")));
                for (JsonNode i : g.path("GroupPolicyList")) {
                    iam.putGroupPolicy(r -> r.groupName(name).policyName(i.get("PolicyName").asText())
                            .policyDocument(i.get("PolicyDocument").toString()));
                }
                for (JsonNode a : g.path("AttachedManagedPolicies")) {
                    iam.attachGroupPolicy(r -> r.groupName(name).policyArn(a.get("PolicyArn").asText()));
                }
            }
            for (JsonNode u : root.get("UserDetailList")) {
                String name = u.get("UserName").asText();
                iam.createUser(r -> {
                    // moto 5.2.1 answers PutUserPermissionsBoundary with 500; CreateUser takes the boundary.
                    r.userName(name).path(u.get("Path").asText()).tags(tags(u));
                    if (u.hasNonNull("PermissionsBoundary")) {
                        r.permissionsBoundary(u.get("PermissionsBoundary").get("PermissionsBoundaryArn").asText());
                    }
                });
                for (JsonNode i : u.path("UserPolicyList")) {
                    iam.putUserPolicy(r -> r.userName(name).policyName(i.get("PolicyName").asText())
                            .policyDocument(i.get("PolicyDocument").toString()));
                }
                for (JsonNode a : u.path("AttachedManagedPolicies")) {
                    iam.attachUserPolicy(r -> r.userName(name).policyArn(a.get("PolicyArn").asText()));
                }
                for (JsonNode g : u.path("GroupList")) {
                    iam.addUserToGroup(r -> r.userName(name).groupName(g.asText()));
                }
            }
            for (JsonNode ro : root.get("RoleDetailList")) {
                String name = ro.get("RoleName").asText();
                iam.createRole(r -> {
                    r.roleName(name).path(ro.get("Path").asText())
                            .assumeRolePolicyDocument(ro.get("AssumeRolePolicyDocument").toString()).tags(tags(ro));
                    if (ro.hasNonNull("PermissionsBoundary")) {
                        r.permissionsBoundary(ro.get("PermissionsBoundary").get("PermissionsBoundaryArn").asText());
                    }
                });
                for (JsonNode i : ro.path("RolePolicyList")) {
                    iam.putRolePolicy(r -> r.roleName(name).policyName(i.get("PolicyName").asText())
                            .policyDocument(i.get("PolicyDocument").toString()));
                }
                for (JsonNode a : ro.path("AttachedManagedPolicies")) {
                    iam.attachRolePolicy(r -> r.roleName(name).policyArn(a.get("PolicyArn").asText()));
                }
            }
        }

        private static List<Tag> tags(JsonNode entity) {
            List<Tag> out = new ArrayList<>();
            for (JsonNode t : entity.path("Tags")) {
                out.add(Tag.builder().key(t.get("Key").asText()).value(t.get("Value").asText()).build());
            }
            return out;
        }
    }

    // ---- loopback pieces -----------------------------------------------------------------------------------------

    /** Reads the runtime's output for decision log lines and remembers requestId → viewVersion. */
    static final class ViewVersions extends OutputStream {
        private static final Pattern LINE = Pattern.compile("\"requestId\":\"([^\"]+)\".*\"viewVersion\":(\"[^\"]*\"|null)");
        private final Map<String, String> out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        ViewVersions(Map<String, String> out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                Matcher m = LINE.matcher(line.toString(StandardCharsets.UTF_8));
                if (m.find()) {
                    out.put(m.group(1), m.group(2).replace("\"", ""));
                }
                line.reset();
            } else if (line.size() < 8192) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    /**
     * A loopback forwarder to moto that counts requests by SigV4 credential scope ({@code service}) and, for S3, by
     * method; optionally records when a PutObject was forwarded.
     */
    static final class CountingProxy implements AutoCloseable {
        private final HttpServer server;
        private final URI target;
        private final List<Long> putTimes;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect",
                "upgrade", "transfer-encoding");

        CountingProxy(URI target, List<Long> putTimes) throws IOException {
            this.target = target;
            this.putTimes = putTimes;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "counting-proxy");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", this::forward);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private void forward(HttpExchange ex) throws IOException {
            try (ex) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                Matcher m = SCOPE.matcher(auth == null ? "" : auth);
                String service = m.find() ? m.group(2) : "unsigned";
                String key = service.equals("s3") ? "s3 " + ex.getRequestMethod() : service;
                byte[] body = ex.getRequestBody().readAllBytes();
                if (service.equals("iam") || service.equals("organizations") || service.equals("sts")) {
                    String form = new String(body, StandardCharsets.UTF_8);
                    Matcher a = Pattern.compile("Action=([A-Za-z]+)").matcher(form);
                    key = service + (a.find() ? ":" + a.group(1) : "");
                    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
                    if (target != null) {
                        key = service + ":" + target.substring(target.indexOf('.') + 1);
                    }
                }
                counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                ex.getRequestHeaders().forEach((name, values) -> {
                    if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                        values.forEach(v -> request.header(name, v));
                    }
                });
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (putTimes != null && key.equals("s3 PUT") && response.statusCode() == 200) {
                    putTimes.add(System.nanoTime());
                }
                response.headers().map().forEach((name, values) -> {
                    if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        ex.getResponseHeaders().put(name, values);
                    }
                });
                byte[] out = response.body();
                boolean noBody = response.statusCode() == 304 || response.statusCode() == 204
                        || ex.getRequestMethod().equals("HEAD") || out.length == 0;
                ex.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
                if (!noBody) {
                    ex.getResponseBody().write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Counts since the last take, and reset. */
        Map<String, Integer> take() {
            Map<String, Integer> out = new TreeMap<>();
            counts.forEach((k, v) -> {
                int n = v.getAndSet(0);
                if (n > 0) {
                    out.put(k, n);
                }
            });
            return out;
        }

        Map<String, Integer> peek() {
            Map<String, Integer> out = new TreeMap<>();
            counts.forEach((k, v) -> {
                if (v.get() > 0) {
                    out.put(k, v.get());
                }
            });
            return out;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** API Gateway's FlushStageAuthorizersCache (not in moto 5.2.1): answers 202 and counts. */
    static final class FlushRecorder implements AutoCloseable {
        private final HttpServer server;

        FlushRecorder(AtomicInteger flushes) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                try (ex) {
                    ex.getRequestBody().readAllBytes();
                    if (ex.getRequestMethod().equals("DELETE") && ex.getRequestURI().getPath().endsWith(
                            "/cache/authorizers")) {
                        flushes.incrementAndGet();
                        ex.sendResponseHeaders(202, -1);
                    } else {
                        ex.sendResponseHeaders(404, -1);
                    }
                }
            });
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
