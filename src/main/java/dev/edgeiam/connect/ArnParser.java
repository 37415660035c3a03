package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses and builds Amazon Connect resource ARNs using the ARN templates of the Service Authorization
 * Reference resource types (see {@link ArnTemplate}).
 *
 * <p>ARN components are validated in order (IAM User Guide, "ARN format"): prefix {@code arn},
 * partition ({@code aws} or {@code aws-<name>}), service namespace (one of the namespaces the
 * templates use), Region (Connect resources are regional), account (12 digits, or a template's literal
 * such as {@code aws} for AWS-managed views), then the resource part against every template of that
 * namespace. Some shapes are identical (SAR: {@code customer-managed-view-version} vs
 * {@code qualified-customer-managed-view}) or overlap ({@code queue/*} is both {@code wildcard-queue}
 * and a {@code queue} whose id is {@code *}); {@link #parseCandidates} returns all of them, most
 * specific (most literal tokens) first, and {@link #resourceTypeFor} resolves by action.
 */
public final class ArnParser {

    private static final Pattern PARTITION = Pattern.compile("aws(?:-[a-z]+)*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

    private final List<ArnTemplate> templates;

    /** @param templates the templates of all resource types, in catalog order */
    public ArnParser(Collection<ArnTemplate> templates) {
        List<ArnTemplate> ordered = new ArrayList<>(templates);
        // stable sort: most literal tokens first, catalog order otherwise
        ordered.sort(MostLiteralsFirst.INSTANCE);
        this.templates = List.copyOf(ordered);
    }

    /** Orders templates by {@link ArnTemplate#literalCount()}, highest first. */
    private static final class MostLiteralsFirst implements Comparator<ArnTemplate> {
        static final MostLiteralsFirst INSTANCE = new MostLiteralsFirst();

        @Override
        public int compare(ArnTemplate a, ArnTemplate b) {
            return Integer.compare(b.literalCount(), a.literalCount());
        }
    }

    /**
     * Parses an ARN into its resource type and parts. For shapes shared by several types the most
     * specific one (then catalog order) wins; use {@link #parseCandidates} or
     * {@link #resourceTypeFor} when the action is known.
     *
     * @throws MalformedArnException naming the wrong component and why
     */
    public ConnectArn parse(String arn) {
        return parseCandidates(arn).get(0);
    }

    /**
     * @return every resource type whose template matches the ARN, most specific first (never empty)
     * @throws MalformedArnException naming the wrong component and why
     */
    public List<ConnectArn> parseCandidates(String arn) {
        if (arn == null || arn.isBlank()) {
            throw new MalformedArnException(String.valueOf(arn), ArnComponent.PREFIX, "ARN is empty");
        }
        String[] c = arn.split(":", 6);
        if (!c[0].equals("arn")) {
            throw new MalformedArnException(arn, ArnComponent.PREFIX, "must start with 'arn:' but starts with '" + c[0] + "'");
        }
        if (c.length < 6) {
            ArnComponent missing = ArnComponent.values()[c.length];
            throw new MalformedArnException(arn, missing, "missing; an ARN has six colon-separated components"
                    + " (arn:partition:service:region:account-id:resource) but only " + c.length + " were found");
        }
        checkPartition(arn, c[1]);
        List<ArnTemplate> ofService = templates.stream().filter(t -> t.service().equals(c[2])).toList();
        if (ofService.isEmpty()) {
            throw new MalformedArnException(arn, ArnComponent.SERVICE, "'" + c[2] + "' is not a namespace of Amazon Connect"
                    + " resource types (expected " + describeServices() + ")");
        }
        checkRegion(arn, c[3]);
        List<ArnTemplate> ofAccount = templatesForAccount(arn, c[2], ofService, c[4]);
        List<ConnectArn> found = new ArrayList<>();
        for (ArnTemplate t : ofAccount) {
            Map<String, String> parts = t.matchResource(c[5]);
            if (parts != null) {
                found.add(new ConnectArn(t, c[1], c[3], c[4], parts));
            }
        }
        if (found.isEmpty()) {
            throw new MalformedArnException(arn, ArnComponent.RESOURCE, ResourceMismatch.explain(c[5], ofAccount));
        }
        return List.copyOf(found);
    }

    /**
     * Identifies which of the action's SAR resource types the ARN is.
     *
     * @return the resource type name, or empty if the ARN is well formed but none of the action's types
     * @throws MalformedArnException if the ARN is malformed
     */
    public Optional<String> resourceTypeFor(ConnectAction action, String arn) {
        Objects.requireNonNull(action, "action");
        return parseCandidates(arn).stream().map(ConnectArn::resourceType)
                .filter(type -> action.resourceType(type).isPresent()).findFirst();
    }

    /**
     * Builds an ARN from its resource type and parts.
     *
     * @param account the account ID; ignored (may be null) for templates with a literal account
     *                ({@code aws-managed-view}), otherwise required
     * @param parts   exactly the resource variables of the template (e.g. {@code InstanceId}, {@code QueueId})
     * @throws IllegalArgumentException (or {@link MalformedArnException}) saying which input is wrong
     */
    public ConnectArn build(String resourceType, String partition, String region, String account,
                            Map<String, String> parts) {
        ArnTemplate t = templates.stream().filter(x -> x.resourceType().equals(resourceType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Amazon Connect resource type '" + resourceType + "'"));
        Objects.requireNonNull(parts, "parts");
        for (String v : t.resourceVariables()) {
            String value = parts.get(v);
            if (value == null) {
                throw new IllegalArgumentException("missing part " + v + " for " + resourceType + " (template " + t.template() + ")");
            }
            if (value.isEmpty() || value.indexOf('/') >= 0 || value.indexOf(':') >= 0) {
                throw new IllegalArgumentException("part " + v + "='" + value + "' of " + resourceType
                        + " must be non-empty and contain neither '/' nor ':'");
            }
        }
        for (String k : parts.keySet()) {
            if (!t.resourceVariables().contains(k)) {
                throw new IllegalArgumentException("unexpected part " + k + " for " + resourceType
                        + " (expected " + t.resourceVariables() + ")");
            }
        }
        String acct = t.accountLiteral() != null ? t.accountLiteral() : account;
        if (acct == null) {
            throw new IllegalArgumentException("account is required for " + resourceType);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        t.resourceVariables().forEach(v -> ordered.put(v, parts.get(v)));
        ConnectArn built = new ConnectArn(t, partition, region, acct, ordered);
        String text = built.arn();
        checkPartition(text, partition);
        checkRegion(text, region);
        templatesForAccount(text, t.service(), List.of(t), acct);
        return built;
    }

    private static void checkPartition(String arn, String partition) {
        if (partition == null || partition.isEmpty()) {
            throw new MalformedArnException(arn, ArnComponent.PARTITION, "is empty (expected aws, aws-cn, aws-us-gov, ...)");
        }
        if (!PARTITION.matcher(partition).matches()) {
            throw new MalformedArnException(arn, ArnComponent.PARTITION, "'" + partition
                    + "' is not an AWS partition (expected aws or aws-<name>, e.g. aws-cn, aws-us-gov)");
        }
    }

    private static void checkRegion(String arn, String region) {
        if (region == null || region.isEmpty()) {
            throw new MalformedArnException(arn, ArnComponent.REGION,
                    "is empty, but Amazon Connect resources are regional (e.g. us-east-1)");
        }
        if (!REGION.matcher(region).matches()) {
            throw new MalformedArnException(arn, ArnComponent.REGION, "'" + region
                    + "' is not a Region code (lower-case, e.g. us-east-1, eu-west-2, us-gov-west-1)");
        }
    }

    private static List<ArnTemplate> templatesForAccount(String arn, String service, List<ArnTemplate> candidates,
                                                         String account) {
        Set<String> literals = candidates.stream().map(ArnTemplate::accountLiteral).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        boolean acceptsAccountId = candidates.stream().anyMatch(t -> t.accountLiteral() == null);
        List<ArnTemplate> matching = candidates.stream().filter(t -> t.accountLiteral() == null
                ? ACCOUNT_ID.matcher(account).matches()
                : t.accountLiteral().equals(account)).toList();
        if (!matching.isEmpty()) {
            return matching;
        }
        String expected = (acceptsAccountId ? "a 12-digit account ID" : "")
                + (acceptsAccountId && !literals.isEmpty() ? " or " : "")
                + literals.stream().map(l -> "'" + l + "' (" + typesWithAccount(candidates, l) + ")")
                .collect(Collectors.joining(" or "));
        String reason = account.isEmpty() ? "is empty (expected " + expected + ")"
                : "'" + account + "' is not valid for service " + service + " (expected " + expected + ")";
        throw new MalformedArnException(arn, ArnComponent.ACCOUNT, reason);
    }

    private static String typesWithAccount(List<ArnTemplate> candidates, String literal) {
        return candidates.stream().filter(t -> literal.equals(t.accountLiteral()))
                .map(ArnTemplate::resourceType).collect(Collectors.joining(", "));
    }

    private String describeServices() {
        Map<String, List<String>> byService = new LinkedHashMap<>();
        templates.forEach(t -> byService.computeIfAbsent(t.service(), s -> new ArrayList<>()).add(t.resourceType()));
        return byService.entrySet().stream()
                .map(e -> e.getKey().equals(ConnectCatalog.SERVICE_PREFIX) ? e.getKey()
                        : e.getKey() + " for " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
