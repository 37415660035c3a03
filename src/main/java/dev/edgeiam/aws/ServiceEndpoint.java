package dev.edgeiam.aws;

import software.amazon.awssdk.awscore.endpoint.DualstackEnabledProvider;
import software.amazon.awssdk.awscore.endpoint.FipsEnabledProvider;
import software.amazon.awssdk.regions.EndpointTag;
import software.amazon.awssdk.regions.PartitionEndpointKey;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Objects;

/**
 * Where a {@link SignedAwsCall} to a service is sent when the function carries no SDK module for that service: the
 * endpoint the service module's endpoint rules would resolve, FIPS and dual-stack endpoints included, so that a
 * function configured for FIPS endpoints (for example under FedRAMP) sends its Connect and API Gateway calls to them
 * as it sends its IAM and STS calls through the SDK.
 *
 * <p>The rules (AWS SDK for Java 2.40, {@code DefaultConnectEndpointProvider}, {@code DefaultApiGatewayEndpointProvider}):
 * {@code https://PREFIX.REGION.SUFFIX}, with {@code PREFIX-fips} when FIPS endpoints are asked for and the dual-stack
 * DNS suffix of the Region's partition when dual-stack ones are; Amazon Connect's FIPS endpoint in the
 * {@code aws-us-gov} partition is its plain name ({@code connect.us-gov-west-1.amazonaws.com}). An endpoint given
 * explicitly replaces the rules, and together with FIPS or dual-stack it is refused, as the rules refuse it
 * ("Invalid Configuration: FIPS and custom endpoint are not supported"). Where the SDK's Region metadata knows no
 * dual-stack suffix for a partition (the isolated ones), the endpoint is refused with a message that names the variable
 * to set instead of guessed. {@code ServiceEndpointTest} compares every Region of the SDK with both modules' rules.
 *
 * @param prefix                  the endpoint prefix ({@code connect}, {@code apigateway})
 * @param plainFipsInGovCloud     whether the service's FIPS endpoint in {@code aws-us-gov} is its plain name
 * @param overrideVariable        the variable that names an explicit endpoint, for messages
 */
public record ServiceEndpoint(String prefix, boolean plainFipsInGovCloud, String overrideVariable) {

    /** Amazon Connect: FIPS in GovCloud is {@code connect.REGION.amazonaws.com}. */
    public static final ServiceEndpoint CONNECT = new ServiceEndpoint("connect", true, "AWS_ENDPOINT_URL_CONNECT");

    /** Amazon API Gateway (the REST API's management endpoint). */
    public static final ServiceEndpoint API_GATEWAY =
            new ServiceEndpoint("apigateway", false, "AWS_ENDPOINT_URL_API_GATEWAY");

    public ServiceEndpoint {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(overrideVariable, "overrideVariable");
    }

    /**
     * Which endpoint variant is asked for.
     *
     * @param fips      FIPS endpoints
     * @param dualStack dual-stack (IPv4 and IPv6) endpoints
     */
    public record Variant(boolean fips, boolean dualStack) {

        /** Neither. */
        public static final Variant STANDARD = new Variant(false, false);

        /**
         * The variant the SDK's clients would use: {@code aws.useFipsEndpoint} / {@code aws.useDualstackEndpoint},
         * else {@code AWS_USE_FIPS_ENDPOINT} / {@code AWS_USE_DUALSTACK_ENDPOINT}, else the profile's
         * {@code use_fips_endpoint} / {@code use_dualstack_endpoint}; off when none is set
         * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-endpoints.html). Read by the SDK's own providers.
         */
        public static Variant fromSdkSettings() {
            boolean fips = FipsEnabledProvider.builder().build().isFipsEnabled().orElse(false);
            boolean dualStack = DualstackEnabledProvider.builder().build().isDualstackEnabled().orElse(false);
            return new Variant(fips, dualStack);
        }
    }

    /**
     * The endpoint for {@code region}.
     *
     * @param override an explicit endpoint (for example from {@code AWS_ENDPOINT_URL_CONNECT}), or null
     * @throws IllegalStateException an explicit endpoint with FIPS or dual-stack, or no known dual-stack suffix
     */
    public URI resolve(Region region, URI override, Variant variant) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(variant, "variant");
        if (override != null) {
            if (variant.fips() || variant.dualStack()) {
                throw new IllegalStateException("the endpoint " + override + " is set together with "
                        + (variant.fips() ? "FIPS" : "dual-stack") + " endpoints, which the SDK's endpoint rules do not"
                        + " support either; unset one of them");
            }
            return override;
        }
        PartitionMetadata partition = PartitionMetadata.of(region);
        String suffix = variant.dualStack()
                ? partition.dnsSuffix(PartitionEndpointKey.builder().tags(EndpointTag.DUALSTACK).build())
                : partition.dnsSuffix();
        if (suffix == null) {
            throw new IllegalStateException("no " + (variant.dualStack() ? "dual-stack " : "") + "endpoint of "
                    + prefix + " is known in " + region.id() + " (partition " + partition.id() + "); set "
                    + overrideVariable);
        }
        boolean plainName = !variant.fips() || (plainFipsInGovCloud && !variant.dualStack()
                && partition.id().equals("aws-us-gov"));
        return URI.create("https://" + (plainName ? prefix : prefix + "-fips") + "." + region.id() + "." + suffix);
    }
}
