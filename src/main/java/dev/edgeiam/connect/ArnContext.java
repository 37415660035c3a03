package dev.edgeiam.connect;

import java.util.Objects;

/**
 * The ARN components an authorizer cannot read from the request but knows from its configuration:
 * partition, Region and account of the Amazon Connect instance (the {@code context} variables of
 * {@code connect-api-routes.json}).
 */
public record ArnContext(String partition, String region, String account) {

    public ArnContext {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
    }

    /** @return a context in the {@code aws} partition */
    public static ArnContext of(String region, String account) {
        return new ArnContext("aws", region, account);
    }

    String value(String variable) {
        return switch (variable) {
            case ArnTemplate.PARTITION -> partition;
            case ArnTemplate.REGION -> region;
            case ArnTemplate.ACCOUNT -> account;
            default -> null;
        };
    }

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof ArnContext c && partition.equals(c.partition) && region.equals(c.region)
                && account.equals(c.account);
    }

    @Override
    public int hashCode() {
        return (partition.hashCode() * 31 + region.hashCode()) * 31 + account.hashCode();
    }
}
