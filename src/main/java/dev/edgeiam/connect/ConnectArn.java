package dev.edgeiam.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A concrete Amazon Connect resource ARN split into the variables of its resource type's SAR ARN
 * template, e.g. {@code arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/u-9} is a
 * {@code user} with parts {@code {InstanceId=i-1, UserId=u-9}}.
 *
 * <p>Instances come from {@link ArnParser#parse(String)} or {@link ArnParser#build}; the static
 * helpers here use {@link ConnectCatalog#defaultCatalog()}.
 *
 * @param template  the ARN template of the resource type
 * @param partition partition component
 * @param region    Region component
 * @param account   account component (the literal {@code aws} for AWS-managed views)
 * @param parts     resource variables in template order (unmodifiable)
 */
public record ConnectArn(ArnTemplate template, String partition, String region, String account,
                         Map<String, String> parts) {

    public ConnectArn {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** Parses with the default catalog; see {@link ArnParser#parse(String)}. */
    public static ConnectArn parse(String arn) {
        return ConnectCatalog.defaultCatalog().arns().parse(arn);
    }

    /** Builds an ARN in partition {@code aws} with the default catalog; see {@link ArnParser#build}. */
    public static ConnectArn build(String resourceType, String region, String account, Map<String, String> parts) {
        return ConnectCatalog.defaultCatalog().arns().build(resourceType, "aws", region, account, parts);
    }

    /** @return the resource type name (e.g. {@code queue}) */
    public String resourceType() {
        return template.resourceType();
    }

    /** @return the value of a template variable, including {@code Partition}, {@code Region}, {@code Account} */
    public String part(String variable) {
        return switch (variable) {
            case ArnTemplate.PARTITION -> partition;
            case ArnTemplate.REGION -> region;
            case ArnTemplate.ACCOUNT -> account;
            default -> parts.get(variable);
        };
    }

    /** @return the ARN text */
    public String arn() {
        return template.render(this::part);
    }

    @Override
    public String toString() {
        return arn();
    }
}
