package dev.edgeiam.policy;

import java.util.List;

/**
 * The value of {@code Action}/{@code NotAction} or {@code Resource}/{@code NotResource}: the strings
 * listed and whether the element is the negated form ([Act], [Res]).
 */
public record ElementList(boolean negated, List<String> values, String pointer) {

    public ElementList {
        values = List.copyOf(values);
    }
}
