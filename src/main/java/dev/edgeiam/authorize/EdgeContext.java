package dev.edgeiam.authorize;

import dev.edgeiam.request.ContextValue;

import java.util.List;

/**
 * The request context keys derived at the edge, and notes on keys that could not be derived (for logs and the
 * simulator; a missing key is simply absent from the request, as IAM treats it).
 */
public record EdgeContext(List<ContextValue> keys, List<String> notes) {

    public EdgeContext {
        keys = List.copyOf(keys);
        notes = List.copyOf(notes);
    }

    /** The value of a key (name compared case-insensitively), or null. */
    public ContextValue get(String name) {
        return keys.stream().filter(k -> k.name().equalsIgnoreCase(name)).findFirst().orElse(null);
    }
}
