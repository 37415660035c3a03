package dev.edgeiam.connect;

import java.util.Objects;

/**
 * One row of the "Resource types" column of an action in the Service Authorization Reference.
 * {@code required} corresponds to the asterisk ({@code queue*}) in the SAR table: the resource type
 * must be authorized whenever the action is called; non-required types apply only when the request
 * references such a resource.
 *
 * @param name     the resource type name (e.g. {@code routing-profile})
 * @param required true if the SAR marks the type with {@code *}
 */
public record ActionResourceType(String name, boolean required) {

    public ActionResourceType {
        Objects.requireNonNull(name, "name");
    }
}
