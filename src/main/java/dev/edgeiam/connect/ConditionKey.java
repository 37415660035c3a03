package dev.edgeiam.connect;

import java.util.Objects;

/**
 * A condition key listed by the Service Authorization Reference for Amazon Connect ("Condition keys
 * for Amazon Connect" table): name, type ({@code String}, {@code ArrayOfString}, {@code ARN}, ...) and
 * whether it is multivalued. Names may contain a {@code ${...}} template part, e.g.
 * {@code aws:ResourceTag/${TagKey}} or {@code connect:SearchTag/${TagKey}}.
 *
 * @param name        canonical spelling (IAM compares condition key names case-insensitively)
 * @param type        the SAR type column
 * @param multivalued true for multivalued keys (the {@code ArrayOf...} types)
 * @param description the SAR description
 */
public record ConditionKey(String name, String type, boolean multivalued, String description) {

    public ConditionKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    /** @return true if the name has a {@code /${Var}} suffix that stands for any key (e.g. a tag key) */
    public boolean isTemplated() {
        return name.contains("${");
    }

    /** @return the part before {@code ${...}} for templated keys (e.g. {@code aws:ResourceTag/}), else the name */
    public String templatePrefix() {
        int i = name.indexOf("${");
        return i < 0 ? name : name.substring(0, i);
    }
}
