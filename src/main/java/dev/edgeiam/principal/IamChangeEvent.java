package dev.edgeiam.principal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An IAM API call recorded by CloudTrail and delivered by EventBridge ({@code "detail-type": "AWS API Call via
 * CloudTrail"}, {@code detail.eventSource} {@code iam.amazonaws.com}), reduced to what it changes for
 * authorization: one user, role or group (known by name, as CloudTrail's {@code requestParameters} give it) or
 * one managed policy (by ARN). Calls that cannot change a decision (reads, failed calls) change nothing.
 *
 * @param eventName the IAM API call, e.g. {@code AttachRolePolicy}
 * @param target    what the call changed
 */
public record IamChangeEvent(String eventName, Target target) {

    /**
     * What a change touches; {@link #affects} tells whether a cached principal or policy source is touched. IAM names
     * are not distinguished by case and a call may name the entity in any case (CloudTrail records it as sent), so
     * names and policy ARNs are compared ignoring case: dropping a same-named principal too is safe, keeping the
     * changed one is not (R12.1).
     */
    public sealed interface Target {
        /** Whether a principal ARN or a policy-source ARN (policy, group, user, role) is affected. */
        boolean affects(String arn);
    }

    /** A user by name: the user itself and anything loaded from it. */
    public record User(String name) implements Target {
        public boolean affects(String arn) {
            return arn.startsWith("arn:") && arn.contains(":user/") && lastSegment(arn).equalsIgnoreCase(name);
        }
    }

    /** A role by name: the role, its sessions ({@code assumed-role/NAME/...}) and anything loaded from it. */
    public record Role(String name) implements Target {
        public boolean affects(String arn) {
            if (arn.contains(":assumed-role/")) {
                String rest = arn.substring(arn.indexOf(":assumed-role/") + ":assumed-role/".length());
                return rest.regionMatches(true, 0, name + "/", 0, name.length() + 1);
            }
            return arn.contains(":role/") && lastSegment(arn).equalsIgnoreCase(name);
        }
    }

    /** A group by name: every member loaded with the group's policies. */
    public record Group(String name) implements Target {
        public boolean affects(String arn) {
            return arn.contains(":group/") && lastSegment(arn).equalsIgnoreCase(name);
        }
    }

    /**
     * A user's access keys ({@code UpdateAccessKey}, {@code DeleteAccessKey}): no policy changes, so no principal is
     * dropped, but a key deactivated or deleted no longer signs anything — remembered verifications of it (and STS's
     * remembered answers for its presigned URLs) must go (R11.3). {@code userName} is absent when the caller changed
     * its own key.
     */
    public record AccessKeys(String userName) implements Target {
        public boolean affects(String arn) {
            return false;
        }
    }

    /**
     * An IAM OIDC identity provider ({@code DeleteOpenIDConnectProvider}, {@code RemoveClientIDFromOpenIDConnectProvider}
     * and the calls that add one or a client ID): no principal's policies change, but web-identity sessions need the
     * provider and the token's audience among its client IDs — remembered verifications and provider look-ups must
     * go (R12.5).
     */
    public record OidcProvider(String providerArn) implements Target {
        public boolean affects(String arn) {
            return false;
        }
    }

    /** A managed policy by ARN: every principal that uses it (identity policy or boundary). */
    public record Policy(String arn) implements Target {
        public boolean affects(String candidate) {
            return candidate.equalsIgnoreCase(arn);
        }
    }

    private static final Set<String> USER_CALLS = Set.of("attachuserpolicy", "detachuserpolicy", "putuserpolicy",
            "deleteuserpolicy", "putuserpermissionsboundary", "deleteuserpermissionsboundary", "taguser",
            "untaguser", "deleteuser", "addusertogroup", "removeuserfromgroup", "updateuser");
    private static final Set<String> ROLE_CALLS = Set.of("attachrolepolicy", "detachrolepolicy", "putrolepolicy",
            "deleterolepolicy", "putrolepermissionsboundary", "deleterolepermissionsboundary", "tagrole", "untagrole",
            "deleterole", "updateassumerolepolicy", "updaterole");
    private static final Set<String> GROUP_CALLS = Set.of("attachgrouppolicy", "detachgrouppolicy", "putgrouppolicy",
            "deletegrouppolicy", "deletegroup", "updategroup");
    private static final Set<String> ACCESS_KEY_CALLS = Set.of("updateaccesskey", "deleteaccesskey");
    private static final Set<String> OIDC_PROVIDER_CALLS = Set.of("deleteopenidconnectprovider",
            "removeclientidfromopenidconnectprovider", "createopenidconnectprovider",
            "addclientidtoopenidconnectprovider");
    private static final Set<String> POLICY_CALLS = Set.of("createpolicyversion", "deletepolicyversion",
            "setdefaultpolicyversion", "deletepolicy");

    /**
     * Every IAM call this class acts on, lower-cased (the EventBridge rule in {@code template.yaml} must deliver each
     * of them: {@code deploy/TemplateTest}).
     */
    public static Set<String> callsActedOn() {
        Set<String> all = new java.util.TreeSet<>();
        for (Set<String> calls : List.of(USER_CALLS, ROLE_CALLS, GROUP_CALLS, ACCESS_KEY_CALLS, OIDC_PROVIDER_CALLS,
                POLICY_CALLS)) {
            all.addAll(calls);
        }
        return all;
    }

    /** Whether the event has the EventBridge shape of a CloudTrail-recorded IAM call. */
    public static boolean isIamChange(JsonNode event) {
        return "AWS API Call via CloudTrail".equals(event.path("detail-type").asText())
                && "iam.amazonaws.com".equals(event.path("detail").path("eventSource").asText());
    }

    /**
     * The change an event makes, or empty when it changes nothing for authorization (a read, a failed call, an
     * unrelated call). User-level calls name the user ({@code AddUserToGroup} changes the user's groups).
     */
    public static Optional<IamChangeEvent> from(JsonNode event) {
        if (!isIamChange(event)) {
            return Optional.empty();
        }
        JsonNode detail = event.path("detail");
        if (detail.hasNonNull("errorCode")) {
            return Optional.empty(); // the call failed: nothing changed
        }
        String name = detail.path("eventName").asText("");
        String call = name.toLowerCase(Locale.ROOT);
        JsonNode params = detail.path("requestParameters");
        Target target = null;
        if (USER_CALLS.contains(call) && params.hasNonNull("userName")) {
            target = new User(params.get("userName").asText());
        } else if (ROLE_CALLS.contains(call) && params.hasNonNull("roleName")) {
            target = new Role(params.get("roleName").asText());
        } else if (GROUP_CALLS.contains(call) && params.hasNonNull("groupName")) {
            target = new Group(params.get("groupName").asText());
        } else if (POLICY_CALLS.contains(call) && params.hasNonNull("policyArn")) {
            target = new Policy(params.get("policyArn").asText());
        } else if (ACCESS_KEY_CALLS.contains(call)) {
            target = new AccessKeys(params.path("userName").asText(null));
        } else if (OIDC_PROVIDER_CALLS.contains(call)) {
            target = new OidcProvider(params.path("openIDConnectProviderArn").asText(params.path("url").asText("")));
        }
        return Optional.ofNullable(target).map(t -> new IamChangeEvent(name, t));
    }

    /** Applies the change to a cache: drops exactly the affected principals. */
    public int applyTo(PrincipalCache cache) {
        Predicate<String> test = target::affects;
        return cache.invalidateWhere(test);
    }

    private static String lastSegment(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
