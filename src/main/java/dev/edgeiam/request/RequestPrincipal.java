package dev.edgeiam.request;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, in the terms a resource-based policy's {@code Principal} element names ([Gram]
 * {@code principal_block}): for each principal type ({@code AWS}, {@code Federated}, {@code Service},
 * {@code CanonicalUser}) the identifiers the caller may be named by. For example a web-identity caller is
 * {@code Federated: ["cognito-identity.amazonaws.com"]} or the OIDC provider ARN; an assumed-role session is
 * {@code AWS: [session ARN, role ARN, account id]}. An AWS account id and its {@code arn:aws:iam::ID:root} form
 * are interchangeable; the element's own spelling is normalised when compiled.
 */
public record RequestPrincipal(Map<String, Set<String>> identifiers) {

    public RequestPrincipal {
        identifiers = Map.copyOf(identifiers);
    }

    public static RequestPrincipal of(String type, List<String> ids) {
        return new RequestPrincipal(Map.of(type, Set.copyOf(ids)));
    }

    public Set<String> identifiers(String type) {
        return identifiers.getOrDefault(type, Set.of());
    }
}
