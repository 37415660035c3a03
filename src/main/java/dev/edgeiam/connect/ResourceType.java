package dev.edgeiam.connect;

import java.util.List;
import java.util.Objects;

/**
 * A resource type from the Service Authorization Reference table "Resource types defined by Amazon
 * Connect": its name, ARN template (e.g.
 * {@code arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/queue/${QueueId}}) and the
 * condition keys that apply to the resource (typically {@code aws:ResourceTag/${TagKey}}).
 *
 * <p>Two listed types belong to other services' ARN namespaces ({@code ai-agent} → {@code wisdom},
 * {@code application} → {@code app-integrations}); the {@code aws-managed-view} types use the literal
 * account {@code aws}.
 *
 * @param name          resource type name
 * @param arnTemplate   the parsed ARN template
 * @param conditionKeys condition keys listed for the resource type
 */
public record ResourceType(String name, ArnTemplate arnTemplate, List<String> conditionKeys) {

    public ResourceType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arnTemplate, "arnTemplate");
        conditionKeys = List.copyOf(conditionKeys);
    }

    /** @return the SAR ARN template text */
    public String arn() {
        return arnTemplate.template();
    }

    /** @return the ARN service namespace ({@code connect}, {@code wisdom}, {@code app-integrations}) */
    public String arnService() {
        return arnTemplate.service();
    }
}
