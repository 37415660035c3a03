package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GroupDetail;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UserDetail;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The refresher's writer: reads the account once — IAM's {@code GetAccountAuthorizationDetails} (every page) and the
 * SCP chain — and writes it as the account view object that every authorizer instance reads ({@link S3AccountView}).
 *
 * <p><b>Single writer.</b> Each attempt reads the current object first (its ETag and content), then IAM, then writes
 * with a conditional PUT: {@code If-Match} on that ETag ({@code If-None-Match: *} when there is none). If another
 * refresher wrote in between, S3 answers {@code 412 Precondition Failed} (or {@code 409} for a concurrent conditional
 * write) and the attempt starts over from a fresh read of the object <i>and of IAM</i>: a refresher whose IAM read
 * may predate the other's write can never overwrite it, so no change is lost however refreshers race. A view equal
 * to the stored one is not written again (instances keep their ETag and re-read nothing).
 *
 * <p><b>SCPs.</b> A scheduled refresh reads the chain from AWS Organizations (or configuration); a refresh for an IAM
 * change keeps the chain of the stored view (IAM calls cannot change SCPs), so it makes no Organizations call. SCP
 * changes are picked up by the schedule: AWS Organizations records them in the management account's CloudTrail,
 * not in the account this stack runs in.
 *
 * <p>The object is written with server-side encryption (SSE-KMS with the given key, else SSE-S3).
 */
public final class AccountViewPublisher {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param bucket      the bucket
     * @param key         the object key
     * @param accountId   the account whose IAM is read (every ARN in the view must be in it)
     * @param kmsKeyId    SSE-KMS key id or ARN, or null for SSE-S3 (AES256)
     * @param maxAttempts how many times a refresh starts over after losing a race (default 5)
     */
    public record Settings(String bucket, String key, String accountId, String kmsKeyId, int maxAttempts) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(accountId, "accountId");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
    }

    /** Why a refresh runs. */
    public enum Trigger { SCHEDULE, IAM_CHANGE }

    /** What a refresh did. */
    public enum Status { WRITTEN, UNCHANGED }

    /**
     * @param status          written, or unchanged (nothing written)
     * @param version         the version in force after the refresh (object version id, or {@code etag:...})
     * @param previousVersion the version before, or null when there was no object
     * @param attempts        how many attempts it took (more than 1 after lost races)
     * @param bytes           the size of the view
     */
    public record Result(Status status, String version, String previousVersion, int attempts, long bytes) {
    }

    /** Thrown when every attempt lost a race (the next refresh will try again). */
    public static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    /** A hook between reading IAM and writing (tests use it to race another refresher deterministically). */
    @FunctionalInterface
    public interface BeforeWrite {
        void run(int attempt);
    }

    private record Current(byte[] body, String etag, String version, JsonNode root) {
    }

    private final IamClient iam;
    private final S3Client s3;
    private final Function<String, ObjectNode> serviceControls;
    private final Settings settings;
    private volatile BeforeWrite beforeWrite = attempt -> { };

    /**
     * @param serviceControls account id → the {@value ServiceControlPolicyFormat#MEMBER} member (from AWS
     *                        Organizations or configuration), or null when SCPs are not modelled
     */
    public AccountViewPublisher(IamClient iam, S3Client s3, Function<String, ObjectNode> serviceControls,
                                Settings settings) {
        this.iam = Objects.requireNonNull(iam, "iam");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.serviceControls = serviceControls;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** For tests: runs between the IAM read and the conditional write of every attempt. */
    public void beforeWrite(BeforeWrite hook) {
        this.beforeWrite = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Reads the account and writes the view if it changed.
     *
     * @throws ConflictException        when every attempt lost a race
     * @throws IllegalStateException    when the account read is not a usable view (e.g. ARNs of another account)
     * @throws software.amazon.awssdk.core.exception.SdkException when IAM, Organizations or S3 fail
     */
    public Result publish(Trigger trigger) {
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Current current = current(); // first: the ETag the write is conditional on must predate the IAM read
            ObjectNode view = authorizationDetails();
            JsonNode chain = null;
            if (trigger == Trigger.IAM_CHANGE && current != null && current.root() != null
                    && current.root().hasNonNull(ServiceControlPolicyFormat.MEMBER)) {
                chain = current.root().get(ServiceControlPolicyFormat.MEMBER);
            } else if (serviceControls != null) {
                chain = serviceControls.apply(settings.accountId());
            }
            if (chain != null) {
                view.set(ServiceControlPolicyFormat.MEMBER, chain);
            }
            try {
                SnapshotPolicySource.fromJson(view); // what every instance will do with it: fail here, not there
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the account read is not a usable view: " + e.getMessage(), e);
            }
            byte[] body = bytes(view);
            String previous = current == null ? null : current.version();
            if (current != null && MessageDigest.isEqual(sha256(body), sha256(current.body()))) {
                return new Result(Status.UNCHANGED, previous, previous, attempt, body.length);
            }
            beforeWrite.run(attempt);
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(settings.key())
                    .contentType("application/json")
                    .metadata(Map.of("edgeiam-trigger", trigger.name(), "edgeiam-account", settings.accountId()));
            if (settings.kmsKeyId() != null) {
                put.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(settings.kmsKeyId());
            } else {
                put.serverSideEncryption(ServerSideEncryption.AES256);
            }
            if (current == null) {
                put.ifNoneMatch("*");
            } else {
                put.ifMatch(current.etag());
            }
            try {
                PutObjectResponse written = s3.putObject(put.build(), RequestBody.fromBytes(body));
                return new Result(Status.WRITTEN, label(written.versionId(), written.eTag()), previous, attempt,
                        body.length);
            } catch (S3Exception e) {
                if (e.statusCode() != 412 && e.statusCode() != 409) {
                    throw e;
                }
                // Another refresher wrote since this attempt read the object: start over from fresh reads.
            }
        }
        throw new ConflictException("the account view changed under every one of " + settings.maxAttempts()
                + " attempts to write it");
    }

    private Current current() {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(r -> r.bucket(settings.bucket())
                    .key(settings.key()));
            byte[] body = object.asByteArray();
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                root = null; // an unusable object is replaced (conditionally) like any other
            }
            return new Current(body, object.response().eTag(),
                    label(object.response().versionId(), object.response().eTag()), root);
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    static String label(String versionId, String etag) {
        return versionId != null && !versionId.equals("null") ? versionId
                : "etag:" + (etag == null ? "" : etag.replace("\"", ""));
    }

    /** Every page of GetAccountAuthorizationDetails, in the CLI's JSON shape, sorted by ARN so equal reads are equal. */
    private ObjectNode authorizationDetails() {
        List<UserDetail> users = new ArrayList<>();
        List<GroupDetail> groups = new ArrayList<>();
        List<RoleDetail> roles = new ArrayList<>();
        List<ManagedPolicyDetail> policies = new ArrayList<>();
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator(r -> { })) {
            users.addAll(page.userDetailList());
            groups.addAll(page.groupDetailList());
            roles.addAll(page.roleDetailList());
            policies.addAll(page.policies());
        }
        users.sort(Comparator.comparing(UserDetail::arn));
        groups.sort(Comparator.comparing(GroupDetail::arn));
        roles.sort(Comparator.comparing(RoleDetail::arn));
        policies.sort(Comparator.comparing(ManagedPolicyDetail::arn));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode u = out.putArray("UserDetailList");
        for (UserDetail d : users) {
            checkAccount(d.arn());
            ObjectNode n = u.addObject();
            n.put("Path", d.path());
            n.put("UserName", d.userName());
            n.put("UserId", d.userId());
            n.put("Arn", d.arn());
            ArrayNode groupList = n.putArray("GroupList");
            d.groupList().forEach(groupList::add);
            inline(n.putArray("UserPolicyList"), d.userPolicyList());
            attached(n.putArray("AttachedManagedPolicies"), d.attachedManagedPolicies());
            boundary(n, d.permissionsBoundary());
            tags(n.putArray("Tags"), d.tags());
        }
        ArrayNode g = out.putArray("GroupDetailList");
        for (GroupDetail d : groups) {
            checkAccount(d.arn());
            ObjectNode n = g.addObject();
            n.put("Path", d.path());
            n.put("GroupName", d.groupName());
            n.put("GroupId", d.groupId());
            n.put("Arn", d.arn());
            inline(n.putArray("GroupPolicyList"), d.groupPolicyList());
            attached(n.putArray("AttachedManagedPolicies"), d.attachedManagedPolicies());
        }
        ArrayNode r = out.putArray("RoleDetailList");
        for (RoleDetail d : roles) {
            checkAccount(d.arn());
            ObjectNode n = r.addObject();
            n.put("Path", d.path());
            n.put("RoleName", d.roleName());
            n.put("RoleId", d.roleId());
            n.put("Arn", d.arn());
            n.put("AssumeRolePolicyDocument", PolicyDocuments.decode(d.assumeRolePolicyDocument()));
            inline(n.putArray("RolePolicyList"), d.rolePolicyList());
            attached(n.putArray("AttachedManagedPolicies"), d.attachedManagedPolicies());
            boundary(n, d.permissionsBoundary());
            tags(n.putArray("Tags"), d.tags());
        }
        ArrayNode p = out.putArray("Policies");
        for (ManagedPolicyDetail d : policies) {
            PolicyVersion version = d.policyVersionList().stream()
                    .filter(v -> Boolean.TRUE.equals(v.isDefaultVersion())).findFirst()
                    .orElseGet(() -> d.policyVersionList().stream()
                            .filter(v -> v.versionId().equals(d.defaultVersionId())).findFirst().orElse(null));
            if (version == null) {
                throw new IllegalStateException("managed policy " + d.arn() + " came without its default version");
            }
            ObjectNode n = p.addObject();
            n.put("PolicyName", d.policyName() != null ? d.policyName() : d.arn().substring(d.arn().lastIndexOf('/') + 1));
            n.put("PolicyId", d.policyId());
            n.put("Arn", d.arn());
            n.put("Path", d.path());
            n.put("DefaultVersionId", version.versionId());
            ObjectNode v = n.putArray("PolicyVersionList").addObject();
            v.put("Document", PolicyDocuments.decode(version.document()));
            v.put("VersionId", version.versionId());
            v.put("IsDefaultVersion", true);
        }
        // the account's OIDC identity providers: web-identity sessions need one (R12.5), and the authorization
        // details hold none
        ArrayNode o = out.putArray(SnapshotPolicySource.OIDC_PROVIDERS_MEMBER);
        SnapshotPolicySource.openIdConnectProviders(iam).forEach((arn, clientIds) -> {
            ObjectNode n = o.addObject();
            n.put("Arn", arn);
            ArrayNode ids = n.putArray("ClientIDList");
            clientIds.stream().sorted().forEach(ids::add);
        });
        return out;
    }

    private void checkAccount(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 5 || !parts[4].equals(settings.accountId())) {
            throw new IllegalStateException("IAM returned " + arn + ", which is not in account "
                    + settings.accountId() + ": the refresher reads the wrong account");
        }
    }

    private static void inline(ArrayNode out, List<PolicyDetail> policies) {
        for (PolicyDetail d : policies) {
            ObjectNode n = out.addObject();
            n.put("PolicyName", d.policyName());
            n.put("PolicyDocument", PolicyDocuments.decode(d.policyDocument()));
        }
    }

    private static void attached(ArrayNode out, List<AttachedPolicy> policies) {
        for (AttachedPolicy a : policies) {
            ObjectNode n = out.addObject();
            n.put("PolicyName", a.policyName());
            n.put("PolicyArn", a.policyArn());
        }
    }

    private static void boundary(ObjectNode out, AttachedPermissionsBoundary b) {
        if (b != null && b.permissionsBoundaryArn() != null) {
            ObjectNode n = out.putObject("PermissionsBoundary");
            n.put("PermissionsBoundaryType", "Policy");
            n.put("PermissionsBoundaryArn", b.permissionsBoundaryArn());
        }
    }

    private static void tags(ArrayNode out, List<Tag> tags) {
        for (Tag t : tags) {
            ObjectNode n = out.addObject();
            n.put("Key", t.key());
            n.put("Value", t.value());
        }
    }

    private static byte[] bytes(JsonNode view) {
        try {
            return JSON.writeValueAsBytes(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
