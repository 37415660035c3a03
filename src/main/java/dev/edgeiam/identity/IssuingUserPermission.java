package dev.edgeiam.identity;

import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Whether IAM would have let the issuing IAM user create a federated-user session: {@code sts:GetFederationToken}
 * and, when session tags are passed, {@code sts:TagSession}, each decided by the engine against the user's own
 * compiled policies — identity policies, permissions boundary, and SCP levels when the policy set models them
 * (facts §1; the user calls with its long-term keys, so there is no session layer).
 *
 * <h2>The request IAM would evaluate</h2>
 * <ul>
 * <li><b>Action</b> {@code sts:GetFederationToken} (then {@code sts:TagSession}), condition keys per the Service
 * Authorization Reference for AWS STS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html):
 * {@code aws:RequestTag/${TagKey}}, {@code aws:TagKeys}, {@code aws:PrincipalTag/${TagKey}}.</li>
 * <li><b>Resource</b>: the federated user's ARN {@code arn:PARTITION:sts::ACCOUNT:federated-user/NAME}. The Service
 * Authorization Reference lists resource type {@code user} (an IAM user ARN) for the action, while the IAM User
 * Guide restricts it by federated-user name — "the following policy shows how to let an IAM user create temporary
 * security credentials only for federated users whose names start with Manager", Resource
 * {@code arn:aws:sts::123456789012:federated-user/Manager*}
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_enable-create.html). We
 * follow the User Guide for the Allow, and to be safe under the other reading an explicit Deny is also looked for
 * with the issuing user's ARN as the resource.</li>
 * <li><b>Principal keys</b> of the issuing user (its ARN, id, name, account, type {@code User}, tags), with no MFA
 * or token-issue keys (GetFederationToken is called with long-term keys); {@code aws:CurrentTime} and
 * {@code aws:EpochTime} are the token's {@code iat} (when the broker issued it).</li>
 * </ul>
 * The broker's own call is not seen: where it came from ({@code aws:SourceIp}, VPC keys), how
 * ({@code aws:UserAgent}, {@code aws:SecureTransport}, {@code aws:RequestedRegion}, {@code aws:CalledVia*},
 * {@code aws:ViaAWSService}), the organization keys, and the time when there is no {@code iat} are
 * <b>unknown inputs</b> ({@link #UNKNOWN}). The session is accepted only when the decision does not depend on
 * them: no Deny that could apply reads one, and every layer that must allow has an Allow that applies without
 * reading one.
 */
final class IssuingUserPermission {

    static final String GET_FEDERATION_TOKEN = "sts:GetFederationToken";
    static final String TAG_SESSION = "sts:TagSession";

    /** Keys of the broker's call the function cannot know (IAM-folded). */
    static final Set<String> UNKNOWN = UnseenStsCallInputs.CALL_KEYS;

    private IssuingUserPermission() {
    }

    /**
     * Refuses the session unless the issuing user may create it.
     *
     * @param issuer   the issuing IAM user, compiled (from the principal cache)
     * @param name     the federated user's name (already validated)
     * @param tags     the session tags the token passes
     * @param issuedAt the token's {@code iat}, or null
     * @throws CredentialRejectedException {@link Reason#CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED} with the precise reason
     */
    static void check(CompiledPrincipal issuer, String partition, String account, String name, SessionTags tags,
                      Instant issuedAt) throws CredentialRejectedException {
        String federatedUser = "arn:" + partition + ":sts::" + account + ":federated-user/" + name;
        String issuerArn = issuer.principal().arn();
        Set<String> unknown = issuedAt == null ? UnseenStsCallInputs.CALL_AND_TIME_KEYS : UNKNOWN;
        List<String> actions = tags.isEmpty() ? List.of(GET_FEDERATION_TOKEN)
                : List.of(GET_FEDERATION_TOKEN, TAG_SESSION);
        for (String action : actions) {
            RequestContext asDocumented = request(issuer, action, federatedUser, account, tags, issuedAt);
            RequestContext otherReading = request(issuer, action, issuerArn, account, tags, issuedAt);
            CompiledPolicySet set = issuer.policies();
            for (RequestContext r : List.of(asDocumented, otherReading)) {
                Verdict v = Evaluator.decide(set, r);
                if (v.decision() == Reason.Category.EXPLICIT_DENY) {
                    throw refused(issuerArn + "'s policies explicitly deny " + action + " on " + r.resource()
                            + " (" + v.deciding() + ")");
                }
                String denyOnUnknown = UnseenStsCallInputs.denyReadingUnknown(set, r, unknown);
                if (denyOnUnknown != null) {
                    throw refused("whether " + issuerArn + " may " + action + " depends on what the function cannot "
                            + "know of the broker's call: " + denyOnUnknown);
                }
            }
            Verdict v = Evaluator.decide(set, asDocumented);
            if (v.decision() != Reason.Category.ALLOWED) {
                throw refused(issuerArn + "'s policies do not allow " + action + " on " + federatedUser + " ("
                        + v.reason() + ")");
            }
            String layer = UnseenStsCallInputs.layerWithoutKnownAllow(set, asDocumented, unknown);
            if (layer != null) {
                throw refused("whether " + issuerArn + " may " + action + " depends on what the function cannot "
                        + "know of the broker's call: no " + layer + " Allow holds without it");
            }
        }
    }

    private static RequestContext request(CompiledPrincipal issuer, String action, String resource, String account,
                                          SessionTags tags, Instant issuedAt) {
        RequestContext.Builder b = issuer.request(action, resource);
        b.put(new ContextValue("aws:PrincipalIsAWSService", List.of("false"), false, ContextKeyType.BOOLEAN));
        b.put("aws:ResourceAccount", account);
        if (issuedAt != null) {
            b.put(new ContextValue("aws:CurrentTime", List.of(Session.iso(issuedAt)), false, ContextKeyType.DATE));
            b.put(new ContextValue("aws:EpochTime", List.of(Long.toString(issuedAt.getEpochSecond())), false,
                    ContextKeyType.DATE));
        }
        if (!tags.isEmpty()) {
            tags.tags().forEach((k, v) -> b.put("aws:RequestTag/" + k, v));
            b.put(ContextValue.multi("aws:TagKeys", tags.keys()));
        }
        return b.build();
    }

    private static CredentialRejectedException refused(String message) {
        return new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED,
                "IAM would not create this "
                + "federated-user session: " + message);
    }
}
