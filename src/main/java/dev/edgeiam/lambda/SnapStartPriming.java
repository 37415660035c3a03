package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.instance.InstanceRandom;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda SnapStart hooks for the JVM packaging (registered with CRaC's global context at start-up; the Lambda
 * runtime calls them: https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html).
 *
 * <p><b>Before the snapshot</b> ({@link #prime()}): real events go through the real dispatcher — so JSON reading,
 * the event reader, the engine and the response writers are loaded and warmed in the snapshot: a
 * {@code SimulatePrincipalPolicy} for each principal of an account snapshot held in memory (loading and compiling it
 * into the principal cache, up to {@code authorizer.snapstart.max-principals}), a {@code SimulateCustomPolicy}, a
 * {@code ValidatePolicy}, and an authorizer event of each format with a malformed credential (the 401 path; a
 * well-formed token would need the issuer's keys, fetched over the network), and then the whole authorizer path on a
 * throwaway copy ({@link AuthorizerPathPriming}). Nothing calls AWS: principals are primed only from a file or the
 * bundled snapshot, never from live IAM or S3 (credentials and connections must not be snapshotted; the {@code s3}
 * source holds its reads during a SnapStart init, so the live events above are denied by it, not decided). Priming
 * events go to the dispatcher, not the handler, so they are not logged as invocations.
 *
 * <p><b>After a restore</b> ({@link #forgetInstanceState()}): what must be unique or fresh per instance is dropped
 * — cached principals and roles (the account may have changed since the snapshot was taken), verified credentials,
 * remembered STS answers for presigned URLs (an access key may have been deactivated since), Amazon Connect resource
 * tags with their client (tags may have changed; connections must not be reused from a snapshot), any account view
 * read from S3 (which is read again at once; its reads were held since the init), and the instance's random source
 * ({@link InstanceRandom}: unseen-resource probes, X-Ray ids, retry jitter; "Handling uniqueness with Lambda
 * SnapStart", https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html). The function keeps answering
 * either way: a hook never throws.
 */
@Singleton
public class SnapStartPriming implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** Outcomes of the authorizer-path priming are reported under this prefix, e.g. {@code AuthorizerPath:REQUEST:Allow}. */
    static final String AUTHORIZER_PATH = "AuthorizerPath:";
    /** Each priming event is sent this many times: the first answers cold, the others through the caches. */
    private static final int AUTHORIZER_PATH_ROUNDS = 3;
    private static final String[] ACTIONS = {"connect:DescribeUser", "connect:ListQueues", "connect:UpdateContact",
            "connect:DescribeContact", "connect:ListUsers"};

    /** What priming did. */
    public record Report(int events, int principals, Map<String, Integer> outcomes) {
    }

    // Providers: registering the hooks at start-up must not build the services (that happens on first use, or
    // when priming runs): a cold start without SnapStart stays as lazy as before.
    private final Provider<EventDispatcher> dispatcher;
    private final Provider<LambdaBeans.AuthorizerServices> services;
    private final AuthorizerConfig config;

    public SnapStartPriming(Provider<EventDispatcher> dispatcher, Provider<LambdaBeans.AuthorizerServices> services,
                            AuthorizerConfig config) {
        this.dispatcher = dispatcher;
        this.services = services;
        this.config = config;
    }

    /**
     * Registers both hooks, whatever {@code authorizer.snapstart.priming} says: the restore hook must run in every
     * restored instance (it also starts the {@code s3} source's reads, held during a SnapStart init). Not in an init
     * that Lambda says is never snapshotted ({@link InitializationType#neverSnapshotted}): there neither hook can run,
     * and registering costs a cold start ~20 ms (CRaC's context builds a proxy class for the hooks; BENCHMARKS.md,
     * "Seventh pass").
     */
    void register(@Observes StartupEvent started) {
        registerUnlessNeverSnapshotted(System.getenv());
    }

    /** {@link #register}, with the environment given; returns whether the hooks were registered. */
    boolean registerUnlessNeverSnapshotted(Map<String, String> env) {
        if (InitializationType.neverSnapshotted(env)) {
            return false;
        }
        Core.getGlobalContext().register(this);
        return true;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        if (!config.snapstart().priming()) {
            LOG.info("SnapStart priming is off (authorizer.snapstart.priming=false)");
            return;
        }
        try {
            Report r = prime();
            LOG.infof("SnapStart priming: %d events (%d principals): %s", r.events(), r.principals(), r.outcomes());
        } catch (RuntimeException e) {
            LOG.errorf("SnapStart priming stopped: %s", e.getClass().getName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        forgetInstanceState();
    }

    /** Runs the priming events through the dispatcher (see the class comment). */
    public Report prime() {
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        RefreshHandler refresh = services.get().refresh();
        List<String> principals = refresh == null || config.snapshot().live() ? List.of()
                : refresh.snapshotPrincipals(config.snapstart().maxPrincipals());
        String resource = "arn:" + config.connect().partition() + ":connect:" + config.connect().region() + ":"
                + config.connect().account() + ":instance/edgeiam-priming/agent/edgeiam-priming";
        List<ObjectNode> events = new ArrayList<>();
        for (String arn : principals) {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            ObjectNode body = e.putObject("SimulatePrincipalPolicy");
            body.put("PolicySourceArn", arn);
            for (String action : ACTIONS) {
                body.withArray("ActionNames").add(action);
            }
            body.putArray("ResourceArns").add(resource);
            events.add(e);
        }
        events.add(custom(resource));
        ObjectNode validate = JsonNodeFactory.instance.objectNode();
        validate.putObject("ValidatePolicy").put("policyDocument", POLICY).put("policyType", "IDENTITY_POLICY");
        events.add(validate);
        events.addAll(malformedCredentialEvents());
        for (ObjectNode e : events) {
            EventDispatcher.Dispatch d = dispatcher.get().dispatch(e.toString().getBytes(StandardCharsets.UTF_8));
            outcomes.merge(d.kind().label() + ":" + d.outcome(), 1, Integer::sum);
        }
        List<String> path = authorizerPath();
        for (String answer : path) {
            outcomes.merge(AUTHORIZER_PATH + answer, 1, Integer::sum);
        }
        return new Report(events.size() + path.size(), principals.size(), outcomes);
    }

    /**
     * The authorizer's whole decision path with a verified token, on a throwaway copy that shares nothing with the
     * live function ({@link AuthorizerPathPriming}); a failure is one outcome, never an exception.
     */
    private List<String> authorizerPath() {
        try {
            return AuthorizerPathPriming.run(LambdaBeans.AuthorizerServices.gatewaySettings(config),
                    LambdaBeans.AuthorizerServices.routes(config), config.event().limits(), Clock.systemUTC(),
                    AUTHORIZER_PATH_ROUNDS).answers();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.errorf("SnapStart priming of the authorizer path stopped: %s", e.getClass().getName());
            return List.of("failed:" + e.getClass().getSimpleName());
        }
    }

    /** Drops per-instance state after a restore (see the class comment). */
    public void forgetInstanceState() {
        services.get().forgetInstanceCaches();
        InstanceRandom.forget();
    }

    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"connect:DescribeUser\",\"connect:ListQueues\"],\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"${aws:username}\"}}}]}";

    private static ObjectNode custom(String resource) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        ObjectNode body = e.putObject("SimulateCustomPolicy");
        body.putArray("PolicyInputList").add(POLICY);
        for (String action : ACTIONS) {
            body.withArray("ActionNames").add(action);
        }
        body.putArray("ResourceArns").add(resource);
        body.put("CallerArn", "arn:aws:iam::123456789012:user/edgeiam-priming");
        return e;
    }

    /** A REST TOKEN, REST REQUEST and HTTP API event each carrying a credential that is not a token. */
    private static List<ObjectNode> malformedCredentialEvents() {
        String methodArn = "arn:aws:execute-api:us-east-1:123456789012:edgeiampriming/prod/GET/users/i/u";
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode token = f.objectNode().put("type", "TOKEN").put("authorizationToken", "Bearer edgeiam-priming")
                .put("methodArn", methodArn);
        ObjectNode rest = f.objectNode().put("type", "REQUEST").put("methodArn", methodArn).put("httpMethod", "GET")
                .put("path", "/users/i/u").put("resource", "/users/{InstanceId}/{UserId}");
        rest.putObject("headers").put("Authorization", "Bearer edgeiam-priming");
        rest.putObject("pathParameters").put("InstanceId", "i").put("UserId", "u");
        rest.putObject("requestContext").put("requestTimeEpoch", 0).putObject("identity")
                .put("sourceIp", "192.0.2.1");
        ObjectNode http = f.objectNode().put("version", "2.0").put("type", "REQUEST").put("routeArn", methodArn)
                .put("routeKey", "GET /users/{InstanceId}/{UserId}").put("rawPath", "/users/i/u")
                .put("rawQueryString", "");
        http.putArray("identitySource").add("Bearer edgeiam-priming");
        http.putObject("headers").put("authorization", "Bearer edgeiam-priming");
        ObjectNode ctx = http.putObject("requestContext").put("routeKey", "GET /users/{InstanceId}/{UserId}");
        ctx.putObject("http").put("method", "GET").put("path", "/users/i/u").put("sourceIp", "192.0.2.1");
        return List.of(token, rest, http);
    }
}
