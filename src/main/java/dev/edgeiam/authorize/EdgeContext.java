package dev.edgeiam.authorize;

import dev.edgeiam.request.ContextValue;

import java.util.List;

/**
 * The request context keys derived at the edge, notes on keys that could not be derived (for logs and the
 * simulator), and the inputs the event does not show ({@code unknown}: a decision must not rest on them).
 */
public record EdgeContext(List<ContextValue> keys, List<String> notes, UnknownInputs unknown) {

    public EdgeContext {
        keys = List.copyOf(keys);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(unknown, "unknown");
    }

    /** The value of a key (name compared case-insensitively), or null. */
    public ContextValue get(String name) {
        return keys.stream().filter(k -> k.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
