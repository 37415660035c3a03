package dev.edgeiam.aws;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.endpoints.ApiGatewayEndpointParams;
import software.amazon.awssdk.services.apigateway.endpoints.ApiGatewayEndpointProvider;
import software.amazon.awssdk.services.connect.endpoints.ConnectEndpointParams;
import software.amazon.awssdk.services.connect.endpoints.ConnectEndpointProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints of the signed calls against the endpoint rules of the SDK modules they replace (test dependencies):
 * every Region the SDK knows, with and without FIPS and dual-stack.
 */
class ServiceEndpointTest {

    private static final List<ServiceEndpoint.Variant> VARIANTS = List.of(ServiceEndpoint.Variant.STANDARD,
            new ServiceEndpoint.Variant(true, false), new ServiceEndpoint.Variant(false, true),
            new ServiceEndpoint.Variant(true, true));

    /** The SDK's pseudo-Regions of global endpoints; no function runs in one, and no Connect or API Gateway is there. */
    private static boolean pseudoRegion(Region r) {
        return r.isGlobalRegion() || r.id().endsWith("-global");
    }

    static String connectRules(Region r, ServiceEndpoint.Variant v) {
        return ConnectEndpointProvider.defaultProvider().resolveEndpoint(ConnectEndpointParams.builder().region(r)
                .useFips(v.fips()).useDualStack(v.dualStack()).build()).join().url().toString();
    }

    static String apiGatewayRules(Region r, ServiceEndpoint.Variant v) {
        return ApiGatewayEndpointProvider.defaultProvider().resolveEndpoint(ApiGatewayEndpointParams.builder()
                .region(r).useFips(v.fips()).useDualStack(v.dualStack()).build()).join().url().toString();
    }

    @TestFactory
    List<DynamicTest> everyRegionAndVariantMatchesTheModulesRulesOrIsRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Region r : Region.regions()) {
            if (pseudoRegion(r)) {
                continue;
            }
            for (ServiceEndpoint.Variant v : VARIANTS) {
                tests.add(DynamicTest.dynamicTest(r.id() + " fips=" + v.fips() + " dual-stack=" + v.dualStack(), () -> {
                    check(ServiceEndpoint.CONNECT, r, v, connectRules(r, v));
                    check(ServiceEndpoint.API_GATEWAY, r, v, apiGatewayRules(r, v));
                }));
            }
        }
        assertTrue(tests.size() > 4 * 30, tests.size() + " cases");
        return tests;
    }

    /**
     * Equal to the rules, or — only where the SDK's Region metadata has no dual-stack suffix for the partition (the
     * isolated partitions) — refused with the variable to set, never another host.
     */
    private static void check(ServiceEndpoint service, Region r, ServiceEndpoint.Variant v, String rules) {
        try {
            assertEquals(rules, service.resolve(r, null, v).toString());
        } catch (IllegalStateException refused) {
            assertTrue(v.dualStack() && r.id().contains("-iso"), r + " " + v + ": " + refused.getMessage());
            assertTrue(refused.getMessage().contains(service.overrideVariable()), refused.getMessage());
        }
    }

    @Test
    void theCasesThatMatterAreNamedOnce() {
        ServiceEndpoint.Variant fips = new ServiceEndpoint.Variant(true, false);
        assertEquals(URI.create("https://connect.us-east-1.amazonaws.com"),
                ServiceEndpoint.CONNECT.resolve(Region.US_EAST_1, null, ServiceEndpoint.Variant.STANDARD));
        assertEquals(URI.create("https://connect-fips.us-east-1.amazonaws.com"),
                ServiceEndpoint.CONNECT.resolve(Region.US_EAST_1, null, fips));
        assertEquals(URI.create("https://connect.us-gov-west-1.amazonaws.com"),
                ServiceEndpoint.CONNECT.resolve(Region.US_GOV_WEST_1, null, fips));
        assertEquals(URI.create("https://apigateway-fips.us-gov-west-1.amazonaws.com"),
                ServiceEndpoint.API_GATEWAY.resolve(Region.US_GOV_WEST_1, null, fips));
        assertEquals(URI.create("https://connect.cn-north-1.amazonaws.com.cn"),
                ServiceEndpoint.CONNECT.resolve(Region.CN_NORTH_1, null, ServiceEndpoint.Variant.STANDARD));
        assertEquals(URI.create("https://apigateway.eu-west-2.api.aws"),
                ServiceEndpoint.API_GATEWAY.resolve(Region.EU_WEST_2, null, new ServiceEndpoint.Variant(false, true)));
        // a Region newer than the SDK's list goes by its partition's pattern, as the rules do
        Region future = Region.of("eu-north-9");
        assertEquals(connectRules(future, fips), ServiceEndpoint.CONNECT.resolve(future, null, fips).toString());
    }

    @Test
    void anExplicitEndpointReplacesTheRulesAndIsRefusedWithFipsOrDualStackAsTheRulesRefuseIt() {
        URI override = URI.create("http://127.0.0.1:4566");
        assertEquals(override, ServiceEndpoint.CONNECT.resolve(Region.US_EAST_1, override,
                ServiceEndpoint.Variant.STANDARD));
        for (ServiceEndpoint.Variant v : VARIANTS.subList(1, VARIANTS.size())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ServiceEndpoint.CONNECT.resolve(Region.US_EAST_1, override, v));
            assertTrue(e.getMessage().contains("127.0.0.1:4566"), e.getMessage());
            // the SDK's rules refuse the same configuration
            assertThrows(CompletionException.class, () -> ConnectEndpointProvider.defaultProvider().resolveEndpoint(
                    ConnectEndpointParams.builder().region(Region.US_EAST_1).endpoint(override.toString())
                            .useFips(v.fips()).useDualStack(v.dualStack()).build()).join());
        }
    }

    @Test
    void theSignedCallsReadTheVariantFromTheSdksSettings() {
        String before = System.getProperty("aws.useFipsEndpoint");
        System.setProperty("aws.useFipsEndpoint", "true");
        try {
            assertEquals(new ServiceEndpoint.Variant(true, false), ServiceEndpoint.Variant.fromSdkSettings());
            try (SignedAwsCall tags = ConnectResourceTags.client(Region.US_WEST_2, null,
                    AnonymousCredentialsProvider.create(), false, Duration.ofSeconds(1));
                 SignedAwsCall flush = StageCacheFlusher.client(Region.US_WEST_2, null,
                         AnonymousCredentialsProvider.create(), Duration.ofSeconds(1), UnaryOperator.identity())) {
                assertEquals(URI.create("https://connect-fips.us-west-2.amazonaws.com"), tags.endpoint());
                assertEquals(URI.create("https://apigateway-fips.us-west-2.amazonaws.com"), flush.endpoint());
            }
            // with an explicit endpoint as well, the call cannot be built (the tag source turns that into a Deny)
            assertThrows(IllegalStateException.class, () -> ConnectResourceTags.client(Region.US_WEST_2,
                    URI.create("http://127.0.0.1:1"), AnonymousCredentialsProvider.create(), false,
                    Duration.ofSeconds(1)));
        } finally {
            if (before == null) {
                System.clearProperty("aws.useFipsEndpoint");
            } else {
                System.setProperty("aws.useFipsEndpoint", before);
            }
        }
    }
}
