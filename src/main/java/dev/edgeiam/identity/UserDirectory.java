package dev.edgeiam.identity;

import java.util.Optional;

/** Looks up an IAM user by ARN. Thread-safe; empty when the user does not exist. */
@FunctionalInterface
public interface UserDirectory {

    Optional<IamUserInfo> user(String userArn);
}
