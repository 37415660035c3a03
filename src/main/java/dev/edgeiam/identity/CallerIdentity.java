package dev.edgeiam.identity;

import java.util.Objects;

/**
 * STS's answer to {@code GetCallerIdentity}.
 *
 * @param arn     the caller's ARN: {@code arn:aws:iam::ACCT:user/...}, {@code arn:aws:sts::ACCT:assumed-role/R/S},
 *                {@code arn:aws:sts::ACCT:federated-user/N} or {@code arn:aws:iam::ACCT:root}
 * @param userId  the unique id ({@code AIDA...}, {@code AROA...:session}, {@code ACCT:name})
 * @param account the account id
 */
public record CallerIdentity(String arn, String userId, String account) {

    public CallerIdentity {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(account, "account");
    }
}
