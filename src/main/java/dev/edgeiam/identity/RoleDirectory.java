package dev.edgeiam.identity;

import dev.edgeiam.principal.PolicySourceException;

import java.util.Optional;

/**
 * Looks up a role by ARN ({@code arn:aws:iam::ACCOUNT:role/path/name}) or by bare name. The identity stage
 * calls it on every web-identity token it has not seen, so implementations should cache (the principal
 * package's cache does). Must be thread-safe. An empty answer means the role does not exist; a
 * {@link PolicySourceException} means it could not be looked up now (an outage: "could not decide", never "no such
 * role").
 */
@FunctionalInterface
public interface RoleDirectory {

    Optional<RoleInfo> role(String roleArnOrName) throws PolicySourceException;

    /**
     * The role with this name in this account, whatever its path. An assumed-role ARN
     * ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}) names the role without its path, and role names
     * are unique within an account ([ARN] "IAM identifiers": a role's path is not part of its name), so the name
     * is how IAM's own {@code GetRole} finds it. The default asks {@link #role} for the bare name and keeps the
     * answer only if partition, account and name agree.
     */
    default Optional<RoleInfo> roleByName(String partition, String account, String roleName)
            throws PolicySourceException {
        return role(roleName).filter(r -> r.partition().equals(partition) && r.account().equals(account)
                && r.roleName().equals(roleName));
    }

    /** Whether {@link #openIdConnectProvider} answers ({@link dev.edgeiam.principal.PolicySource#modelsOpenIdConnectProviders}). */
    default boolean modelsOpenIdConnectProviders() {
        return false;
    }

    /**
     * The client IDs of an IAM OIDC identity provider, or empty when the account has none with this ARN
     * ({@link dev.edgeiam.principal.PolicySource#openIdConnectProvider}).
     */
    default Optional<java.util.Set<String>> openIdConnectProvider(String providerArn) throws PolicySourceException {
        return Optional.empty();
    }
}
