package dev.edgeiam.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The global (and cross-service session) condition keys with their types, from
 * {@code /validate/global-condition-keys.json} (see {@code SOURCE.md}). Names are matched case-insensitively;
 * {@code aws:PrincipalTag/tag-key}, {@code aws:ResourceTag/tag-key} and {@code aws:RequestTag/tag-key} stand for
 * any tag key.
 */
final class GlobalConditionKeys {

    private static final String DEFAULT_RESOURCE = "/validate/global-condition-keys.json";

    /**
     * Read on first use, not in a static initializer: Quarkus' class preloading initialises every application class
     * (holders included) during the function's init, and only the validation handler needs these keys
     * (BENCHMARKS.md, start-up). SnapStart priming validates a policy, so a snapshot still holds them.
     */
    private static volatile GlobalConditionKeys defaults;

    private final Map<String, String> exact = new HashMap<>();
    private final Map<String, String> prefixes = new HashMap<>();

    private GlobalConditionKeys() {
    }

    static GlobalConditionKeys defaults() {
        GlobalConditionKeys d = defaults;
        if (d == null) {
            synchronized (GlobalConditionKeys.class) {
                d = defaults;
                if (d == null) {
                    d = load(DEFAULT_RESOURCE);
                    defaults = d;
                }
            }
        }
        return d;
    }

    static GlobalConditionKeys load(String resource) {
        try (InputStream in = GlobalConditionKeys.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + resource);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            GlobalConditionKeys keys = new GlobalConditionKeys();
            for (JsonNode k : root.get("keys")) {
                String name = k.get("name").asText().toLowerCase(Locale.ROOT);
                String type = k.get("type").asText();
                if (name.endsWith("/tag-key")) {
                    keys.prefixes.put(name.substring(0, name.length() - "tag-key".length()), type);
                } else {
                    keys.exact.put(name, type);
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key's type ({@code String}, {@code ARN}, {@code Bool}, {@code Date}, ...), or null when not a global key. */
    String type(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String t = exact.get(lower);
        if (t != null) {
            return t;
        }
        for (Map.Entry<String, String> e : prefixes.entrySet()) {
            if (lower.startsWith(e.getKey()) && lower.length() > e.getKey().length()) {
                return e.getValue();
            }
        }
        return null;
    }
}
