package dev.edgeiam.identity;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The session policies passed when a session was created ([Types] "Session policies", [STSAPI] {@code Policy}
 * and {@code PolicyArns}): at most one inline document and up to 10 managed policy ARNs. Together they cap the
 * session: its permissions are the identity policies ∩ (inline ∪ managed). Validated when built: the inline
 * document must parse as a {@link PolicyType#SESSION} policy (2,048 non-white-space characters), the ARNs must
 * be IAM policy ARNs, and inline text plus ARNs must stay within STS's 2,048 plaintext characters.
 *
 * @param inline      the inline session policy JSON, or null
 * @param managedArns managed policy ARNs ({@code arn:aws:iam::ACCOUNT:policy/...} or {@code arn:aws:iam::aws:policy/...})
 */
public record SessionPolicy(String inline, List<String> managedArns) {

    /** No session policy was passed. */
    public static final SessionPolicy NONE = new SessionPolicy(null, List.of());

    public static final int MAX_MANAGED_ARNS = 10;
    public static final int MAX_PLAINTEXT = 2_048;

    private static final Pattern POLICY_ARN =
            Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,128}");

    /**
     * A statement that never applies: stands in for a managed session policy that cannot be found, so the
     * session layer still exists and grants nothing for it (fail closed).
     */
    private static final String GRANTS_NOTHING = """
            {"Version":"2012-10-17","Statement":[{"Sid":"ManagedSessionPolicyNotFound","Effect":"Deny",\
            "NotAction":"*","NotResource":"*"}]}""";

    public SessionPolicy {
        if (inline != null && inline.isBlank()) {
            inline = null;
        }
        managedArns = managedArns == null ? List.of() : List.copyOf(managedArns);
        if (managedArns.size() > MAX_MANAGED_ARNS) {
            throw new IllegalArgumentException("at most " + MAX_MANAGED_ARNS + " managed session policy ARNs, not "
                    + managedArns.size());
        }
        int plaintext = 0;
        for (String arn : managedArns) {
            if (!POLICY_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("not an IAM policy ARN: " + arn);
            }
            plaintext += arn.length();
        }
        if (inline != null) {
            try {
                PolicyParser.parse(inline, PolicyType.SESSION, "session-policy");
            } catch (PolicyException e) {
                throw new IllegalArgumentException("invalid inline session policy: " + e.getMessage(), e);
            }
            plaintext += nonWhiteSpace(inline);
        }
        if (plaintext > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("session policies have " + plaintext
                    + " plaintext characters; STS allows " + MAX_PLAINTEXT);
        }
    }

    /** An inline session policy only. */
    public static SessionPolicy inline(String json) {
        return new SessionPolicy(json, List.of());
    }

    /** Whether any session policy was passed (then the session layer exists and caps the session). */
    public boolean present() {
        return inline != null || !managedArns.isEmpty();
    }

    public Optional<String> inlineText() {
        return Optional.ofNullable(inline);
    }

    /**
     * Compiles the session policies for {@link CompiledPolicySet.Builder#session}: the inline document and every
     * managed policy's default version text, looked up with {@code managedPolicyText}. A managed policy that
     * cannot be found contributes no permission (STS would have refused the call).
     */
    public List<CompiledPolicy> compile(Function<String, Optional<String>> managedPolicyText) {
        List<CompiledPolicy> out = new ArrayList<>();
        if (inline != null) {
            out.add(CompiledPolicy.compile(PolicyParser.parse(inline, PolicyType.SESSION, "session-policy")));
        }
        for (String arn : managedArns) {
            String text = managedPolicyText.apply(arn).orElse(GRANTS_NOTHING);
            out.add(CompiledPolicy.compile(PolicyParser.parse(text, PolicyType.AWS_MANAGED, arn)));
        }
        return out;
    }

    /** Adds this session policy's layer to a policy set being built (nothing when none was passed). */
    public CompiledPolicySet.Builder addTo(CompiledPolicySet.Builder builder,
                                           Function<String, Optional<String>> managedPolicyText) {
        for (CompiledPolicy p : compile(managedPolicyText)) {
            builder.session(p);
        }
        return builder;
    }

    private static int nonWhiteSpace(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "SessionPolicy[inline=" + (inline == null ? "none" : nonWhiteSpace(inline) + " chars")
                + ", managedArns=" + managedArns + "]";
    }
}
