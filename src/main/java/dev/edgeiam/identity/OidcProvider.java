package dev.edgeiam.identity;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * How IAM names an OIDC identity provider: the provider URL is the issuer without {@code https://} (host and
 * path, no trailing slash), e.g. {@code login.example.com/tenant}. Its ARN is
 * {@code arn:aws:iam::ACCOUNT:oidc-provider/login.example.com/tenant}; its web-identity condition keys are
 * {@code login.example.com/tenant:aud}, {@code :sub} and {@code :amr}. Amazon Cognito identity pools are named
 * {@code cognito-identity.amazonaws.com} in trust policies ({@code "Federated": "cognito-identity.amazonaws.com"}).
 */
public record OidcProvider(String name) {

    public static final String COGNITO_IDENTITY = "cognito-identity.amazonaws.com";

    public static OidcProvider forIssuer(String issuer) {
        String s = issuer;
        URI uri = URI.create(issuer);
        if (uri.getScheme() != null) {
            s = issuer.substring(uri.getScheme().length() + 3);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int slash = s.indexOf('/');
        String host = (slash < 0 ? s : s.substring(0, slash)).toLowerCase(Locale.ROOT);
        return new OidcProvider(slash < 0 ? host : host + s.substring(slash));
    }

    public boolean cognitoIdentity() {
        return COGNITO_IDENTITY.equals(name);
    }

    /** {@code arn:PARTITION:iam::ACCOUNT:oidc-provider/NAME}. */
    public String arn(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":oidc-provider/" + name;
    }

    /** The identifiers a trust policy's {@code Federated} principal may use for this provider. */
    public List<String> federatedPrincipals(String partition, String account) {
        return cognitoIdentity() ? List.of(name, arn(partition, account)) : List.of(arn(partition, account));
    }

    /** A web-identity condition key: {@code NAME:aud}, {@code NAME:sub}, {@code NAME:amr}. */
    public String key(String claim) {
        return name + ":" + claim;
    }
}
