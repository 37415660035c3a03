package dev.edgeiam.identity;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.principal.PolicySourceException;

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
     * managed policy's default version text, looked up with {@code managedPolicyText}.
     *
     * <p>A managed policy whose text is not there — the policy source could not answer (a throttled or failed
     * {@code GetPolicy}: the look-up says "no text" for any failure), or the policy does not exist — cannot be left
     * out: its {@code Deny} statements cap the session like the others' ("the intersection of the role's
     * identity-based policy and the session policies",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session), and a policy that does
     * not exist would have made STS refuse the session. Either way the caller cannot be decided: a
     * {@link PolicySourceException}, answered as any source outage (a Deny, not remembered).
     *
     * @throws PolicySourceException when a managed policy's text is unavailable or does not parse
     */
    public List<CompiledPolicy> compile(Function<String, Optional<String>> managedPolicyText)
            throws PolicySourceException {
        List<CompiledPolicy> out = new ArrayList<>();
        if (inline != null) {
            out.add(CompiledPolicy.compile(PolicyParser.parse(inline, PolicyType.SESSION, "session-policy")));
        }
        for (String arn : managedArns) {
            Optional<String> text = managedPolicyText.apply(arn);
            if (text.isEmpty()) {
                throw new PolicySourceException("the managed session policy " + arn + " could not be read");
            }
            try {
                out.add(CompiledPolicy.compile(PolicyParser.parse(text.get(), PolicyType.AWS_MANAGED, arn)));
            } catch (PolicyException e) {
                throw new PolicySourceException("the managed session policy " + arn + " does not parse", e);
            }
        }
        return out;
    }

    /**
     * Adds this session policy's layer to a policy set being built (nothing when none was passed).
     *
     * @throws PolicySourceException when a managed policy's text is unavailable ({@link #compile})
     */
    public CompiledPolicySet.Builder addTo(CompiledPolicySet.Builder builder,
                                           Function<String, Optional<String>> managedPolicyText)
            throws PolicySourceException {
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

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionPolicy p && java.util.Objects.equals(inline, p.inline)
                && managedArns.equals(p.managedArns);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(inline) * 31 + managedArns.hashCode();
    }
}
