package dev.edgeiam.identity;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** TEST ONLY: presigns {@code sts:GetCallerIdentity} with the SDK's SigV4 signer (query-string auth). */
public final class Presign {

    private Presign() {
    }

    /**
     * @param endpoint     e.g. {@code https://sts.amazonaws.com}
     * @param sessionToken null for long-term keys
     */
    public static String getCallerIdentity(String endpoint, String region, String accessKeyId, String secret,
                                           String sessionToken, Instant signedAt, Duration expires) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15")).build();
        AwsCredentialsIdentity identity = sessionToken == null
                ? AwsCredentialsIdentity.create(accessKeyId, secret)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secret, sessionToken);
        return AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request().getUri().toString();
    }

    public static String fake(String endpoint, Instant signedAt, Duration expires) {
        return getCallerIdentity(endpoint, "us-east-1", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, signedAt, expires);
    }
}
