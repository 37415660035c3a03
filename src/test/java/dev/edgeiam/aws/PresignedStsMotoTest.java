package dev.edgeiam.aws;

import dev.edgeiam.principal.MutableClock;

import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.identity.CallerIdentity;
import dev.edgeiam.identity.CallerIdentityClient;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.CredentialKind;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.identity.Presign;
import dev.edgeiam.identity.PresignedStsAuthenticator;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.identity.RoleDirectory;
import dev.edgeiam.identity.RoleInfo;
import dev.edgeiam.identity.Session;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presigned GetCallerIdentity answered by moto_server: an IAM user and an assumed-role session. */
class PresignedStsMotoTest {

    static final String ACCOUNT = "123456789012";
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},
             "Action":"sts:AssumeRole"}]}""";
    static final String READ_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:Describe*","Resource":"*"}]}""";

    static final Set<String> LONG_TERM_UNKNOWN = Set.of("aws:principalorgid", "aws:principalorgpaths");
    static final Set<String> ROLE_SESSION_UNKNOWN = Set.of("aws:principalorgid", "aws:principalorgpaths",
            "aws:tokenissuetime", "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:principaltag/*",
            "aws:sourceidentity", "aws:federatedprovider", "aws:ec2instancesourcevpc",
            "aws:ec2instancesourceprivateipv4", "ec2:roledelivery", "ec2:sourceinstancearn", "glue:roleassumedby",
            "glue:credentialissuingservice", "lambda:sourcefunctionarn", "ssm:sourceinstancearn",
            "identitystore:userid", "aws:chatbotsourcearn");

    static MotoServer moto;
    static IamClient iam;

    private final AtomicInteger stsCalls = new AtomicInteger();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final MutableClock clock = new MutableClock(now);

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        iam = IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopMoto() {
        if (iam != null) {
            iam.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        moto.reset();
    }

    /** The STS client pointed at moto the way the SDK environment would: AWS_ENDPOINT_URL_STS. */
    private CallerIdentityClient stsClient() throws java.io.IOException {
        StsCallerIdentityClient real = StsCallerIdentityClient.create(Duration.ofSeconds(5),
                Map.of("AWS_ENDPOINT_URL_STS", moto.presignedEndpoint().toString())::get);
        return request -> {
            stsCalls.incrementAndGet();
            return real.getCallerIdentity(request);
        };
    }

    /** A role directory backed by IAM (as the principal package's policy source will be). */
    private static RoleDirectory iamRoles() {
        return nameOrArn -> {
            String name = nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1);
            try {
                Role r = iam.getRole(b -> b.roleName(name)).role();
                Map<String, String> tags = iam.listRoleTags(b -> b.roleName(name)).tags().stream()
                        .collect(Collectors.toMap(Tag::key, Tag::value));
                return Optional.of(new RoleInfo(r.arn(), r.roleId(),
                        URLDecoder.decode(r.assumeRolePolicyDocument(), StandardCharsets.UTF_8), tags));
            } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
                return Optional.empty();
            }
        };
    }

    private CallerIdentityResolver resolver(Map<String, String> env) throws java.io.IOException {
        return new CallerIdentityResolver(null, null, null, new PresignedStsAuthenticator(
                IdentitySettings.fromEnvironment(env), stsClient(), iamRoles(), clock));
    }

    private static AccessKey user(String name) {
        iam.createUser(b -> b.userName(name));
        return iam.createAccessKey(b -> b.userName(name)).accessKey();
    }

    private String presign(AccessKey key) {
        return Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", key.accessKeyId(),
                key.secretAccessKey(), null, now, Duration.ofSeconds(300));
    }

    private static Session session(IdentityOutcome outcome) {
        return assertInstanceOf(IdentityOutcome.Caller.class, outcome, outcome.toString()).session();
    }

    private static Reason rejection(IdentityOutcome outcome) {
        return assertInstanceOf(IdentityOutcome.Rejected.class, outcome, outcome.toString()).reason();
    }

    @Test
    void iamUserIsTheCaller() throws Exception {
        AccessKey key = user("alice");
        CallerIdentityResolver resolver = resolver(Map.of());
        String url = presign(key);
        Session s = session(resolver.resolve(url));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/alice", s.principalArn());
        assertEquals(s.principalArn(), s.identityArn());
        assertEquals(SessionKind.NONE, s.kind());
        assertEquals(CredentialKind.PRESIGNED_STS_ACCESS_KEY, s.credential());
        assertTrue(key.accessKeyId().startsWith("AKIA"), key.accessKeyId());
        assertEquals(LONG_TERM_UNKNOWN, s.unknownContextKeys(),
                "a long-term access key: no MFA or issue-time keys at all, the user's own tags");
        assertEquals("User", s.principalType());
        assertEquals("alice", s.username());
        assertEquals(ACCOUNT, s.account());
        assertEquals(iam.getUser(b -> b.userName("alice")).user().userId(), s.userId());
        assertEquals(now.plusSeconds(300), s.expiresAt());

        session(resolver.resolve(url));
        assertEquals(1, stsCalls.get(), "cached until the URL expires");
        clock.advance(Duration.ofSeconds(300));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejection(resolver.resolve(url)));
        assertEquals(1, stsCalls.get());
    }

    @Test
    void assumedRoleSessionFromMotoAssumeRole() throws Exception {
        AccessKey key = user("bob");
        iam.createRole(b -> b.roleName("ConnectAgent").path("/connect/").assumeRolePolicyDocument(TRUST)
                .tags(Tag.builder().key("team").value("blue").build()));
        Credentials creds;
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            creds = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + ACCOUNT + ":role/connect/ConnectAgent")
                    .roleSessionName("agent-session").policy(READ_ONLY)).credentials();
        }
        String url = Presign.getCallerIdentity("https://sts.us-east-1.amazonaws.com", "us-east-1",
                creds.accessKeyId(), creds.secretAccessKey(), creds.sessionToken(), now, Duration.ofSeconds(300));

        Session s = session(resolver(Map.of()).resolve(url));
        assertEquals("arn:aws:sts::" + ACCOUNT + ":assumed-role/ConnectAgent/agent-session", s.principalArn());
        assertEquals(SessionKind.ROLE_SESSION, s.kind());
        assertEquals("AssumedRole", s.principalType());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/connect/ConnectAgent", s.identityArn(),
                "the role directory restores the path the session ARN omits");
        assertEquals("agent-session", s.sessionName());
        assertTrue(s.userId().endsWith(":agent-session"), s.userId());
        assertEquals(CredentialKind.PRESIGNED_STS_TEMPORARY, s.credential());
        assertTrue(creds.accessKeyId().startsWith("ASIA"), creds.accessKeyId());
        // GetCallerIdentity does not tell the session's tags, MFA, issue time, source identity or provider.
        assertEquals(ROLE_SESSION_UNKNOWN, s.unknownContextKeys());
        assertEquals(Map.of(), s.principalTags(), "the role's tags are not the session's principal tags");
        assertEquals(Map.of(), s.withBaseTags(Map.of("team", "blue")).principalTags());
        assertTrue(s.isUnknownContextKey("aws:PrincipalTag/team"));
        assertTrue(s.isUnknownContextKey("AWS:TokenIssueTime"));
        for (ContextValue v : s.contextValues()) {
            assertFalse(s.isUnknownContextKey(v.name()), "no value for an unknown key: " + v.name());
        }
        // the READ_ONLY policy passed to AssumeRole is invisible to GetCallerIdentity
        assertEquals(false, s.sessionPolicy().present());

        Map<String, String> attach = new HashMap<>();
        attach.put("AUTHORIZER_STS_SESSION_POLICY", READ_ONLY);
        assertEquals(READ_ONLY, session(resolver(attach).resolve(url)).sessionPolicy().inline());

        assertEquals(Reason.CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED, rejection(resolver(Map.of(
                "AUTHORIZER_STS_REFUSE_ASSUMED_ROLE", "true")).resolve(url)));
    }

    /**
     * Issue 11's wrong Deny: a session of a role with a path ({@code /ops/}) through the production role directory
     * over the IAM source and over a snapshot of the account. The assumed-role ARN has no path; the role is found by
     * name, and the principal stage can load the ARN the session names.
     */
    @Test
    void sessionOfARoleWithAPathResolvesThroughThePolicySources() throws Exception {
        AccessKey key = user("grace");
        String roleArn = iam.createRole(b -> b.roleName("Operator").path("/ops/").assumeRolePolicyDocument(TRUST))
                .role().arn();
        iam.putRolePolicy(b -> b.roleName("Operator").policyName("Read").policyDocument(READ_ONLY));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/ops/Operator", roleArn);
        Credentials creds;
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            creds = sts.assumeRole(b -> b.roleArn(roleArn).roleSessionName("night")).credentials();
        }
        String url = Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", creds.accessKeyId(),
                creds.secretAccessKey(), creds.sessionToken(), now, Duration.ofSeconds(300));
        try (IamPolicySource live = IamPolicySource.create(iam)) {
            for (PolicySource source : List.of(live, SnapshotPolicySource.fromIam(iam))) {
                PolicySourceDirectory directory = new PolicySourceDirectory(source, ACCOUNT, clock,
                        Duration.ofMinutes(5));
                Session s = session(new CallerIdentityResolver(null, null, null, new PresignedStsAuthenticator(
                        IdentitySettings.fromEnvironment(Map.of()), stsClient(), directory, clock)).resolve(url));
                assertEquals("arn:aws:sts::" + ACCOUNT + ":assumed-role/Operator/night", s.principalArn());
                assertEquals(roleArn, s.identityArn(), source.getClass().getSimpleName());
                CompiledPrincipal p = PrincipalResolver.uncached(source).resolve(s.identityArn());
                assertEquals(roleArn, p.principal().arn());
            }
        }
    }

    @Test
    void configuredTestHostIsCalledDirectly() throws Exception {
        AccessKey key = user("carol");
        java.net.URI host = moto.presignedEndpoint();
        String url = Presign.getCallerIdentity(host.toString(), "us-east-1", key.accessKeyId(),
                key.secretAccessKey(), null, now, Duration.ofSeconds(60));
        StsCallerIdentityClient direct = StsCallerIdentityClient.create(Duration.ofSeconds(5), name -> null);
        CallerIdentityResolver resolver = new CallerIdentityResolver(null, null, null, new PresignedStsAuthenticator(
                IdentitySettings.fromEnvironment(Map.of("AUTHORIZER_STS_ALLOWED_HOSTS", "127.0.0.1:" + host.getPort())),
                direct, null, clock));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/carol", session(resolver.resolve(url)).principalArn());
        // without the setting the same URL's host is foreign
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED, rejection(resolver(Map.of()).resolve(url)));
        assertEquals(0, stsCalls.get());
    }

    @Test
    void callerIdentityRecordMatchesMoto() throws Exception {
        AccessKey key = user("dave");
        CallerIdentity id = stsClient().getCallerIdentity(dev.edgeiam.identity.PresignedGetCallerIdentity.parse(
                presign(key), java.util.Set.of(), now, Duration.ofSeconds(60)));
        assertEquals(ACCOUNT, id.account());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/dave", id.arn());
    }
}
