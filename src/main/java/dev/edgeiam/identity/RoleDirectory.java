package dev.edgeiam.identity;

import java.util.Optional;

/**
 * Looks up a role by ARN ({@code arn:aws:iam::ACCOUNT:role/path/name}) or by bare name. The identity stage
 * calls it on every web-identity token it has not seen, so implementations should cache (the principal
 * package's cache does). Must be thread-safe. An empty answer means the role does not exist.
 */
@FunctionalInterface
public interface RoleDirectory {

    Optional<RoleInfo> role(String roleArnOrName);
}
