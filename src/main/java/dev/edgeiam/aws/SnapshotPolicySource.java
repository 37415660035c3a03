package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.principal.NamedPolicy;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.Principal;
import dev.edgeiam.principal.PrincipalArn;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.ServiceControlChain;
import dev.edgeiam.principal.UnknownPrincipalException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderRequest;
import software.amazon.awssdk.services.iam.model.GroupDetail;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UserDetail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A whole account's users, groups, roles and managed policies, read once from
 * {@code GetAccountAuthorizationDetails} — live ({@link #fromIam}, every page) or from a file in exactly the
 * format {@code aws iam get-account-authorization-details} prints ({@link #fromFile}, {@link #fromClasspath},
 * {@link #fromJson}). Serves {@link PolicySource#load} from memory without any call; to pick up changes, build a
 * new snapshot.
 *
 * <p>Documents may be JSON objects (the CLI decodes them) or strings, URL-encoded (the raw API) or not.
 * A principal whose attached policy or group is missing from the snapshot fails to load rather than loading
 * without it.
 *
 * <p>The format may be extended with top-level members the CLI never prints: {@value ServiceControlPolicyFormat#MEMBER}
 * (the account's SCP chain, see {@link ServiceControlPolicyFormat}), applied to every principal loaded. Without it,
 * SCPs are not modelled (unless a chain is given with {@link #withServiceControls}). Other unknown top-level
 * members are ignored, as the CLI's own {@code IsTruncated}/{@code Marker} are.
 */
public final class SnapshotPolicySource implements PolicySource {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Inline(String name, String document) {
    }

    record UserEntry(String arn, String name, String path, String id, List<String> groups, List<Inline> inline,
                     List<String> attached, String boundaryArn, Map<String, String> tags) {
    }

    record GroupEntry(String arn, String name, List<Inline> inline, List<String> attached) {
    }

    record RoleEntry(String arn, String name, String path, String id, String trust, List<Inline> inline,
                     List<String> attached, String boundaryArn, Map<String, String> tags) {
    }

    record PolicyEntry(String arn, String name, String versionId, String document) {
    }

    private final Map<String, UserEntry> usersByArn = new LinkedHashMap<>();
    private final Map<String, GroupEntry> groupsByName = new LinkedHashMap<>();
    private final Map<String, RoleEntry> rolesByArn = new LinkedHashMap<>();
    private final Map<String, RoleEntry> rolesByName = new LinkedHashMap<>();
    private final Map<String, PolicyEntry> policiesByArn = new LinkedHashMap<>();
    // Set once while the source is built (fromJson, withServiceControls), before it is shared.
    private volatile ServiceControlChain serviceControls;
    private volatile String viewVersion;
    /** Provider ARN → client IDs; null when the snapshot does not carry {@value #OIDC_PROVIDERS_MEMBER}. */
    private volatile Map<String, Set<String>> openIdConnectProviders;

    /**
     * The account's IAM OIDC identity providers, a member this project adds beside the
     * {@code GetAccountAuthorizationDetails} lists (which hold none): {@code [{"Arn": ..., "ClientIDList": [...]}]},
     * as {@code ListOpenIDConnectProviders} and {@code GetOpenIDConnectProvider} give them.
     */
    public static final String OIDC_PROVIDERS_MEMBER = "OpenIDConnectProviderList";

    private SnapshotPolicySource(Collection<UserEntry> users, Collection<GroupEntry> groups,
                                 Collection<RoleEntry> roles, Collection<PolicyEntry> policies) {
        for (UserEntry u : users) {
            usersByArn.put(u.arn(), u);
        }
        for (GroupEntry g : groups) {
            groupsByName.put(g.name(), g);
        }
        for (RoleEntry r : roles) {
            rolesByArn.put(r.arn(), r);
            rolesByName.put(r.name(), r);
        }
        for (PolicyEntry p : policies) {
            policiesByArn.put(p.arn(), p);
        }
    }

    // ---- construction ----

    /** Reads every page of {@code GetAccountAuthorizationDetails} now. */
    public static SnapshotPolicySource fromIam(IamClient iam) {
        List<UserEntry> users = new ArrayList<>();
        List<GroupEntry> groups = new ArrayList<>();
        List<RoleEntry> roles = new ArrayList<>();
        List<PolicyEntry> policies = new ArrayList<>();
        for (GetAccountAuthorizationDetailsResponse page : iam.getAccountAuthorizationDetailsPaginator()) {
            for (UserDetail u : page.userDetailList()) {
                users.add(new UserEntry(u.arn(), u.userName(), u.path(), u.userId(), List.copyOf(u.groupList()),
                        inline(u.userPolicyList()), attached(u.attachedManagedPolicies()),
                        boundary(u.permissionsBoundary()), tags(u.tags())));
            }
            for (GroupDetail g : page.groupDetailList()) {
                groups.add(new GroupEntry(g.arn(), g.groupName(), inline(g.groupPolicyList()),
                        attached(g.attachedManagedPolicies())));
            }
            for (RoleDetail r : page.roleDetailList()) {
                roles.add(new RoleEntry(r.arn(), r.roleName(), r.path(), r.roleId(),
                        PolicyDocuments.decode(r.assumeRolePolicyDocument()), inline(r.rolePolicyList()),
                        attached(r.attachedManagedPolicies()), boundary(r.permissionsBoundary()), tags(r.tags())));
            }
            for (ManagedPolicyDetail p : page.policies()) {
                PolicyVersion version = defaultVersion(p);
                if (version != null) {
                    policies.add(new PolicyEntry(p.arn(), policyName(p.policyName(), p.arn()), version.versionId(),
                            PolicyDocuments.decode(version.document())));
                }
            }
        }
        SnapshotPolicySource source = new SnapshotPolicySource(users, groups, roles, policies);
        source.openIdConnectProviders = openIdConnectProviders(iam);
        return source;
    }

    /**
     * The version of a managed policy that {@code IsDefaultVersion} marks, else the one {@code DefaultVersionId}
     * names; null when neither is listed.
     */
    private static PolicyVersion defaultVersion(ManagedPolicyDetail p) {
        for (PolicyVersion v : p.policyVersionList()) {
            if (Boolean.TRUE.equals(v.isDefaultVersion())) {
                return v;
            }
        }
        for (PolicyVersion v : p.policyVersionList()) {
            if (v.versionId().equals(p.defaultVersionId())) {
                return v;
            }
        }
        return null;
    }

    /** Every IAM OIDC identity provider of the account with its client IDs (ARN → client IDs). */
    public static Map<String, Set<String>> openIdConnectProviders(IamClient iam) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (OpenIDConnectProviderListEntry p : iam.listOpenIDConnectProviders().openIDConnectProviderList()) {
            GetOpenIdConnectProviderRequest request = GetOpenIdConnectProviderRequest.builder()
                    .openIDConnectProviderArn(p.arn()).build();
            out.put(p.arn(), Set.copyOf(iam.getOpenIDConnectProvider(request).clientIDList()));
        }
        return out;
    }

    /** Reads a file written by {@code aws iam get-account-authorization-details > file.json}. */
    public static SnapshotPolicySource fromFile(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(JSON.readTree(in));
        }
    }

    /** Reads a class-path resource in the CLI format, e.g. {@code "/snapshot/sample-account.json"}. */
    public static SnapshotPolicySource fromClasspath(String resource) {
        try (InputStream in = SnapshotPolicySource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no class-path resource " + resource);
            }
            return fromJson(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * The CLI's JSON: {@code UserDetailList}, {@code GroupDetailList}, {@code RoleDetailList}, {@code Policies}
     * (each with {@code PolicyVersionList} and {@code IsDefaultVersion}).
     *
     * @throws IllegalArgumentException when a required field is missing or has the wrong shape
     */
    public static SnapshotPolicySource fromJson(JsonNode root) {
        return fromJson(root, null);
    }

    /**
     * As {@link #fromJson(JsonNode)}, for an account view: its SCP chain (member
     * {@value ServiceControlPolicyFormat#MEMBER}, compiled now) and its version travel with every principal loaded.
     *
     * @param viewVersion the view's version (S3 object version id), or null
     * @throws IllegalArgumentException when a required field is missing, has the wrong shape, or an SCP does not parse
     */
    public static SnapshotPolicySource fromJson(JsonNode root, String viewVersion) {
        SnapshotPolicySource source = parse(root);
        JsonNode providers = root.get(OIDC_PROVIDERS_MEMBER);
        if (providers != null && !providers.isNull()) {
            Map<String, Set<String>> byArn = new HashMap<>();
            for (JsonNode p : array(root, OIDC_PROVIDERS_MEMBER)) {
                byArn.put(text(p, "Arn"), Set.copyOf(strings(p, "ClientIDList")));
            }
            source.openIdConnectProviders = Map.copyOf(byArn);
        }
        JsonNode scps = root.get(ServiceControlPolicyFormat.MEMBER);
        if (scps != null && !scps.isNull()) {
            source.serviceControls = ServiceControlPolicyFormat.read(scps);
        }
        source.viewVersion = viewVersion;
        return source;
    }

    /**
     * Uses this chain for principals of a snapshot that carries none (SCPs from configuration, for a function without
     * access to AWS Organizations). A snapshot that carries its own chain keeps it.
     */
    public SnapshotPolicySource withServiceControls(ServiceControlChain chain) {
        if (serviceControls == null) {
            serviceControls = chain;
        }
        return this;
    }

    /** The SCP chain principals are loaded with, or null when SCPs are not modelled. */
    public ServiceControlChain serviceControls() {
        return serviceControls;
    }

    private static SnapshotPolicySource parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an account authorization snapshot is a JSON object");
        }
        List<UserEntry> users = new ArrayList<>();
        for (JsonNode u : array(root, "UserDetailList")) {
            users.add(new UserEntry(text(u, "Arn"), text(u, "UserName"), optText(u, "Path"), optText(u, "UserId"),
                    strings(u, "GroupList"), inline(u, "UserPolicyList"), attached(u),
                    boundary(u), tags(u)));
        }
        List<GroupEntry> groups = new ArrayList<>();
        for (JsonNode g : array(root, "GroupDetailList")) {
            groups.add(new GroupEntry(text(g, "Arn"), text(g, "GroupName"), inline(g, "GroupPolicyList"),
                    attached(g)));
        }
        List<RoleEntry> roles = new ArrayList<>();
        for (JsonNode r : array(root, "RoleDetailList")) {
            roles.add(new RoleEntry(text(r, "Arn"), text(r, "RoleName"), optText(r, "Path"), optText(r, "RoleId"),
                    r.hasNonNull("AssumeRolePolicyDocument") ? document(r.get("AssumeRolePolicyDocument")) : null,
                    inline(r, "RolePolicyList"), attached(r), boundary(r), tags(r)));
        }
        List<PolicyEntry> policies = new ArrayList<>();
        for (JsonNode p : array(root, "Policies")) {
            String defaultVersion = optText(p, "DefaultVersionId");
            JsonNode chosen = null;
            for (JsonNode v : array(p, "PolicyVersionList")) {
                if (v.path("IsDefaultVersion").asBoolean(false)
                        || (chosen == null && defaultVersion != null && defaultVersion.equals(optText(v, "VersionId")))) {
                    chosen = v;
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException("managed policy " + text(p, "Arn") + " has no default version");
            }
            policies.add(new PolicyEntry(text(p, "Arn"), policyName(optText(p, "PolicyName"), text(p, "Arn")),
                    optText(chosen, "VersionId"),
                    document(chosen.get("Document"))));
        }
        return new SnapshotPolicySource(users, groups, roles, policies);
    }

    // ---- PolicySource ----

    @Override
    public PrincipalPolicies load(String principalArn) throws PolicySourceException {
        return loadFromSnapshot(principalArn).withView(serviceControls, viewVersion);
    }

    private PrincipalPolicies loadFromSnapshot(String principalArn) throws PolicySourceException {
        PrincipalArn arn = PrincipalArn.parseKnown(principalArn);
        switch (arn.kind()) {
            case FEDERATED_USER:
                return new PrincipalPolicies(Principal.federatedUser(arn.arn(), arn.accountId(), arn.name()),
                        List.of(), null, null);
            case USER: {
                UserEntry u = usersByArn.get(arn.arn());
                if (u == null) {
                    throw new UnknownPrincipalException(arn.arn(), "no such IAM user in the snapshot: " + arn.arn());
                }
                return user(u, arn);
            }
            case ROLE: {
                RoleEntry r = rolesByArn.get(arn.arn());
                if (r == null) {
                    throw new UnknownPrincipalException(arn.arn(), "no such IAM role in the snapshot: " + arn.arn());
                }
                return role(r, arn);
            }
            case ASSUMED_ROLE:
                return roleNamed(arn.partition(), arn.accountId(), arn.name(), arn.arn())
                        .forSession(arn.arn(), arn.sessionName());
            default:
                throw new UnknownPrincipalException(arn.arn(), "unsupported principal " + arn.arn());
        }
    }

    /** The role of that name in the snapshot, at whatever path (the snapshot indexes roles by name). */
    @Override
    public PrincipalPolicies loadRoleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return roleNamed(partition, accountId, roleName, "arn:" + partition + ":iam::" + accountId + ":role/"
                + roleName);
    }

    private PrincipalPolicies roleNamed(String partition, String accountId, String roleName, String asked)
            throws PolicySourceException {
        RoleEntry r = rolesByName.get(roleName);
        PrincipalArn found = r == null ? null : PrincipalArn.parse(r.arn());
        if (found == null || !found.accountId().equals(accountId) || !found.partition().equals(partition)) {
            throw new UnknownPrincipalException(asked, "no IAM role " + roleName + " in the snapshot for "
                    + asked);
        }
        return role(r, found);
    }

    private PrincipalPolicies user(UserEntry u, PrincipalArn arn) throws PolicySourceException {
        List<NamedPolicy> identity = new ArrayList<>();
        java.util.Set<String> groupArns = new java.util.LinkedHashSet<>();
        for (Inline i : u.inline()) {
            identity.add(new NamedPolicy(u.arn(), i.name(), PolicyType.INLINE_USER, null, i.document()));
        }
        for (String p : u.attached()) {
            identity.add(managed(p, IamPolicySource.managedType(p), u.arn()));
        }
        for (String groupName : u.groups()) {
            GroupEntry g = groupsByName.get(groupName);
            if (g == null) {
                throw new PolicySourceException("snapshot lists " + u.arn() + " in group " + groupName
                        + ", which it does not describe");
            }
            groupArns.add(g.arn());
            for (Inline i : g.inline()) {
                identity.add(new NamedPolicy(g.arn(), i.name(), PolicyType.INLINE_GROUP, null, i.document()));
            }
            for (String p : g.attached()) {
                identity.add(managed(p, IamPolicySource.managedType(p), g.arn()));
            }
        }
        NamedPolicy boundary = u.boundaryArn() == null ? null
                : managed(u.boundaryArn(), PolicyType.PERMISSIONS_BOUNDARY, u.arn());
        Principal p = Principal.user(u.arn(), arn.accountId(), u.name(), u.path(), u.id(), u.tags());
        return new PrincipalPolicies(p, dedupe(identity), boundary, null, groupArns);
    }

    private PrincipalPolicies role(RoleEntry r, PrincipalArn arn) throws PolicySourceException {
        List<NamedPolicy> identity = new ArrayList<>();
        for (Inline i : r.inline()) {
            identity.add(new NamedPolicy(r.arn(), i.name(), PolicyType.INLINE_ROLE, null, i.document()));
        }
        for (String p : r.attached()) {
            identity.add(managed(p, IamPolicySource.managedType(p), r.arn()));
        }
        NamedPolicy boundary = r.boundaryArn() == null ? null
                : managed(r.boundaryArn(), PolicyType.PERMISSIONS_BOUNDARY, r.arn());
        NamedPolicy trust = r.trust() == null ? null
                : new NamedPolicy(r.arn(), r.name(), PolicyType.TRUST, null, r.trust());
        Principal p = Principal.role(r.arn(), arn.accountId(), r.name(), r.path(), r.id(), r.tags());
        return new PrincipalPolicies(p, dedupe(identity), boundary, trust);
    }

    private NamedPolicy managed(String policyArn, PolicyType type, String holder) throws PolicySourceException {
        PolicyEntry p = policiesByArn.get(policyArn);
        if (p == null) {
            throw new PolicySourceException("snapshot has no document for managed policy " + policyArn
                    + " (attached to " + holder + ")");
        }
        return new NamedPolicy(p.arn(), p.name(), type, p.versionId(), p.document());
    }

    /** moto 5.2.1 leaves {@code PolicyName} out of {@code Policies}; the ARN ends with it. */
    private static String policyName(String given, String arn) {
        return given != null ? given : arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static List<NamedPolicy> dedupe(List<NamedPolicy> policies) {
        Map<String, NamedPolicy> byId = new LinkedHashMap<>();
        for (NamedPolicy p : policies) {
            byId.putIfAbsent(p.policyId(), p);
        }
        return List.copyOf(byId.values());
    }

    /** The ARNs of every user and role in the snapshot (for tools and tests). */
    /** Whether the snapshot carries the account's OIDC providers ({@value #OIDC_PROVIDERS_MEMBER}). */
    @Override
    public boolean modelsOpenIdConnectProviders() {
        return openIdConnectProviders != null;
    }

    @Override
    public java.util.Optional<Set<String>> openIdConnectProvider(String providerArn) {
        Map<String, Set<String>> providers = openIdConnectProviders;
        return providers == null ? java.util.Optional.empty()
                : java.util.Optional.ofNullable(providers.get(providerArn));
    }

    @Override
    public java.util.Optional<String> managedPolicyText(String policyArn) {
        PolicyEntry p = policiesByArn.get(policyArn);
        return p == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(p.document());
    }

    public List<String> principalArns() {
        List<String> out = new ArrayList<>(usersByArn.keySet());
        out.addAll(rolesByArn.keySet());
        return out;
    }

    // ---- SDK model ----

    private static List<Inline> inline(List<PolicyDetail> details) {
        List<Inline> out = new ArrayList<>(details.size());
        for (PolicyDetail d : details) {
            out.add(new Inline(d.policyName(), PolicyDocuments.decode(d.policyDocument())));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<String> attached(List<AttachedPolicy> policies) {
        List<String> out = new ArrayList<>(policies.size());
        for (AttachedPolicy p : policies) {
            out.add(p.policyArn());
        }
        return Collections.unmodifiableList(out);
    }

    private static String boundary(AttachedPermissionsBoundary b) {
        return b == null ? null : b.permissionsBoundaryArn();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    // ---- CLI JSON ----

    private static Iterable<JsonNode> array(JsonNode node, String field) {
        JsonNode a = node.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        return a;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing string field " + field + " in " + abbreviate(node));
        }
        return v.asText();
    }

    private static String optText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, field)) {
            out.add(v.asText());
        }
        return out;
    }

    private static List<Inline> inline(JsonNode node, String field) {
        List<Inline> out = new ArrayList<>();
        for (JsonNode p : array(node, field)) {
            out.add(new Inline(text(p, "PolicyName"), document(p.get("PolicyDocument"))));
        }
        return out;
    }

    private static List<String> attached(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : array(node, "AttachedManagedPolicies")) {
            out.add(text(p, "PolicyArn"));
        }
        return out;
    }

    private static String boundary(JsonNode node) {
        JsonNode b = node.get("PermissionsBoundary");
        return b == null || b.isNull() ? null : optText(b, "PermissionsBoundaryArn");
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode t : array(node, "Tags")) {
            out.put(text(t, "Key"), t.path("Value").asText(""));
        }
        return out;
    }

    /** The CLI prints documents as objects; the raw API as (URL-encoded) strings. */
    private static String document(JsonNode doc) {
        if (doc == null || doc.isNull()) {
            throw new IllegalArgumentException("missing policy document");
        }
        if (doc.isTextual()) {
            return PolicyDocuments.decode(doc.asText());
        }
        return PolicyDocuments.pretty(doc);
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
