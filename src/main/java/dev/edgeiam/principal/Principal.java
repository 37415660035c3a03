package dev.edgeiam.principal;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Who is asking: an IAM user, an IAM role (asked about directly, as {@code SimulatePrincipalPolicy} does), a
 * session of a role, or a federated user.
 *
 * @param arn         the ARN asked about (for a session, the {@code sts} session ARN)
 * @param kind        the kind of principal
 * @param accountId   the 12-digit account
 * @param name        user name, role name (also for a session) or federated-user name
 * @param path        the IAM path of the user or role ({@code "/"} when none; {@code "/"} for federated users)
 * @param uniqueId    the IAM unique id ({@code AIDA...} user, {@code AROA...} role); null for federated users
 * @param sessionName the role session name; null unless {@link Kind#ASSUMED_ROLE}
 * @param entityArn   the ARN of the IAM user or role whose policies apply ({@code aws:PrincipalArn}); for a
 *                    federated user the federated-user ARN itself
 * @param tags        the principal's tags ({@code aws:PrincipalTag/*}), sorted by key
 */
public record Principal(String arn, Kind kind, String accountId, String name, String path, String uniqueId,
                        String sessionName, String entityArn, Map<String, String> tags) {

    /** The four principal kinds an authorizer meets within one account. */
    public enum Kind {
        USER("User"),
        ROLE("AssumedRole"),
        ASSUMED_ROLE("AssumedRole"),
        FEDERATED_USER("FederatedUser");

        private final String principalType;

        Kind(String principalType) {
            this.principalType = principalType;
        }

        /**
         * The value of {@code aws:PrincipalType} ([Keys]). A role only ever acts through a session, so a role
         * asked about directly reads as {@code AssumedRole}.
         */
        public String principalType() {
            return principalType;
        }
    }

    public Principal {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
        path = path == null || path.isEmpty() ? "/" : path;
        entityArn = entityArn == null ? arn : entityArn;
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        if (kind == Kind.ASSUMED_ROLE && sessionName == null) {
            throw new IllegalArgumentException("an assumed-role principal needs a session name");
        }
    }

    /** An IAM user. */
    public static Principal user(String arn, String accountId, String name, String path, String uniqueId,
                                 Map<String, String> tags) {
        return new Principal(arn, Kind.USER, accountId, name, path, uniqueId, null, arn, tags);
    }

    /** An IAM role asked about directly. */
    public static Principal role(String arn, String accountId, String name, String path, String uniqueId,
                                 Map<String, String> tags) {
        return new Principal(arn, Kind.ROLE, accountId, name, path, uniqueId, null, arn, tags);
    }

    /** A federated-user session ({@code GetFederationToken}). */
    public static Principal federatedUser(String arn, String accountId, String name) {
        return new Principal(arn, Kind.FEDERATED_USER, accountId, name, "/", null, null, arn, Map.of());
    }

    /**
     * A session of this role: same policies and tags (session tags are not known from IAM), ARN
     * {@code sessionArn}, {@code aws:userid} = {@code ROLEID:SESSION}.
     */
    public Principal session(String sessionArn, String session) {
        if (kind != Kind.ROLE) {
            throw new IllegalStateException("only a role has sessions: " + arn);
        }
        return new Principal(sessionArn, Kind.ASSUMED_ROLE, accountId, name, path, uniqueId, session, arn, tags);
    }

    /**
     * The value of {@code aws:userid} ([Vars] principal table): the unique id for a user,
     * {@code ROLEID:SESSION} for a session, {@code ACCOUNT:NAME} for a federated user; null for a role asked
     * about without a session (the session name is part of the value and is not known).
     */
    public String userId() {
        return switch (kind) {
            case USER -> uniqueId;
            case ROLE -> null;
            case ASSUMED_ROLE -> uniqueId == null ? null : uniqueId + ":" + sessionName;
            case FEDERATED_USER -> accountId + ":" + name;
        };
    }

    /** The value of {@code aws:username}: the user name for an IAM user, null for every other kind. */
    public String userName() {
        return kind == Kind.USER ? name : null;
    }
}
