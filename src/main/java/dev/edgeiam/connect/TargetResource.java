package dev.edgeiam.connect;

import java.util.Objects;

/**
 * A resource ARN a request targets, fully built from path, query and configuration values.
 * {@code resourceType} {@code "*"} with ARN {@code "*"} means the action supports only
 * {@code Resource "*"} (SAR: no resource type listed).
 *
 * @param resourceType SAR resource type (or {@code custom} for an operator ARN outside the catalog)
 * @param required     SAR required flag
 * @param arn          the ARN to evaluate policies against
 */
public record TargetResource(String resourceType, boolean required, String arn) {

    public TargetResource {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(arn, "arn");
    }
}
