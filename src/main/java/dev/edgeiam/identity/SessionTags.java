package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Session tags and transitive tag keys as STS accepts them ([Tags], [Quota]): at most 50 tags; keys 1–128
 * characters, values 0–256, both from Unicode letters, digits, white space and {@code _ . : / = + - @}; keys may
 * not start with {@code aws:}; no two keys equal ignoring case; transitive keys must name passed tags.
 *
 * <p>Web identity carries them in the {@code https://aws.amazon.com/tags} claim:
 * <pre>{@code
 * "https://aws.amazon.com/tags": {
 *   "principal_tags": {"Project": ["Automation"], "CostCenter": ["987654"]},
 *   "transitive_tag_keys": ["Project"]
 * }}</pre>
 * Each {@code principal_tags} value is an array with exactly one string (tags are single-valued).
 *
 * @param tags          key → value, in the order given
 * @param transitiveKeys the keys passed on to later sessions of a role chain
 */
public record SessionTags(Map<String, String> tags, Set<String> transitiveKeys) {

    public static final String CLAIM = "https://aws.amazon.com/tags";
    public static final int MAX_TAGS = 50;
    public static final int MAX_KEY = 128;
    public static final int MAX_VALUE = 256;

    public static final SessionTags NONE = new SessionTags(Map.of(), Set.of());

    private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    public SessionTags {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        transitiveKeys = Collections.unmodifiableSet(new LinkedHashSet<>(transitiveKeys));
    }

    /**
     * Validates tags against STS's rules.
     *
     * @throws CredentialRejectedException {@link Reason#CREDENTIAL_REJECTED_BAD_SESSION_TAGS} naming the rule (never a
     * value)
     */
    public static SessionTags of(Map<String, String> tags, Set<String> transitiveKeys)
            throws CredentialRejectedException {
        if (tags.size() > MAX_TAGS) {
            throw bad("at most " + MAX_TAGS + " session tags, not " + tags.size());
        }
        Set<String> lowerKeys = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
                throw bad("a session tag key is empty, longer than " + MAX_KEY + " characters or has characters "
                        + "STS does not allow");
            }
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw bad("session tag keys may not start with aws:");
            }
            if (value == null || value.length() > MAX_VALUE || !VALUE.matcher(value).matches()) {
                throw bad("the value of session tag '" + safeKey(key) + "' is missing, longer than " + MAX_VALUE
                        + " characters or has characters STS does not allow");
            }
            if (!lowerKeys.add(key.toLowerCase(Locale.ROOT))) {
                throw bad("two session tags have the key '" + safeKey(key) + "' (keys are compared ignoring case)");
            }
        }
        for (String t : transitiveKeys) {
            if (t == null || !lowerKeys.contains(t.toLowerCase(Locale.ROOT))) {
                throw bad("a transitive tag key names no session tag");
            }
        }
        return new SessionTags(tags, transitiveKeys);
    }

    /** Reads the {@code https://aws.amazon.com/tags} claim value (a JSON object as jose4j parses it). */
    public static SessionTags fromClaim(Object claim) throws CredentialRejectedException {
        if (claim == null) {
            return NONE;
        }
        if (!(claim instanceof Map<?, ?> map)) {
            throw bad("the " + CLAIM + " claim must be an object");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Object principalTags = map.get("principal_tags");
        if (principalTags != null) {
            if (!(principalTags instanceof Map<?, ?> pt)) {
                throw bad("principal_tags must be an object");
            }
            if (pt.size() > MAX_TAGS) {
                throw bad("at most " + MAX_TAGS + " session tags, not " + pt.size());
            }
            for (Map.Entry<?, ?> e : pt.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (v instanceof List<?> list && list.size() == 1 && list.get(0) instanceof String s) {
                    tags.put(key, s);
                } else if (v instanceof String s) {
                    tags.put(key, s);
                } else {
                    throw bad("principal_tags values must be arrays holding one string (tag '" + safeKey(key) + "')");
                }
            }
        }
        Set<String> transitive = new LinkedHashSet<>();
        Object tk = map.get("transitive_tag_keys");
        if (tk != null) {
            if (!(tk instanceof List<?> list) || list.size() > MAX_TAGS) {
                throw bad("transitive_tag_keys must be an array of at most " + MAX_TAGS + " strings");
            }
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw bad("transitive_tag_keys must hold strings");
                }
                transitive.add(s);
            }
        }
        return of(tags, transitive);
    }

    public boolean isEmpty() {
        return tags.isEmpty();
    }

    /**
     * The principal tags of a session: {@code base} (the role's or issuing user's tags) overlaid with these
     * session tags. A session tag replaces a base tag whose key is equal ignoring case ([Tags]); the session
     * tag's spelling of the key wins.
     */
    public Map<String, String> overlay(Map<String, String> base) {
        return overlay(base, tags);
    }

    /** {@code top} over {@code base}, keys compared ignoring case. */
    public static Map<String, String> overlay(Map<String, String> base, Map<String, String> top) {
        Map<String, String> lowerToKey = new LinkedHashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> layer : List.of(base, top)) {
            for (Map.Entry<String, String> e : layer.entrySet()) {
                String lower = e.getKey().toLowerCase(Locale.ROOT);
                String previous = lowerToKey.put(lower, e.getKey());
                if (previous != null) {
                    out.remove(previous);
                }
                out.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The tag keys in the order given (for {@code aws:TagKeys}). */
    public List<String> keys() {
        return new ArrayList<>(tags.keySet());
    }

    private static CredentialRejectedException bad(String message) {
        return new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, message);
    }

    /** A tag key is not secret, but bound what gets echoed. */
    private static String safeKey(String key) {
        String k = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        return k.replaceAll("[^\\p{L}\\p{N}_.:/=+\\-@ ]", "?");
    }
}
