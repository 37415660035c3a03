package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.connect.ActionResourceType;
import dev.edgeiam.connect.ConnectAction;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.NotVisibleResource;
import dev.edgeiam.connect.ResourceType;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.TargetResource;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Authorizes one matched Amazon Connect route for one principal ({@link CompiledPolicySet}), in this order:
 * <ol>
 * <li>no route, or a route whose operation has no IAM action in the reference data → Deny {@link
 * Reason#UNMAPPED_ROUTE};</li>
 * <li>an identifier in the path or query that cannot form a valid ARN → Deny {@link
 * Reason#INVALID_RESOURCE_IDENTIFIER};</li>
 * <li>a single-valued query member sent more than once → Deny {@link Reason#AMBIGUOUS_REQUEST};</li>
 * <li>when the policies for the action read resource tags, the tags of each visible taggable resource are read
 * through the {@link ResourceTagSource}; a failure → Deny {@link Reason#RESOURCE_TAGS_UNAVAILABLE} (never allow);</li>
 * <li>the action is evaluated against every visible resource ARN ([Res]: an action touching several resources
 * needs each allowed); an explicit deny on any of them decides. Every request names the resource owner (the
 * Connect account, {@link #ownedBy}), so a caller from another account is decided by the engine's cross-account
 * rule: Amazon Connect has no resource-based policies, so the answer is an implicit deny
 * ({@link Reason#CROSS_ACCOUNT_NO_RESOURCE_POLICY}) unless a Deny applies;</li>
 * <li>each resource the request does not show (body-only identifier) is checked soundly (see
 * {@link UnseenResource}): a Deny that may apply to some identifier, or no Allow covering every identifier →
 * Deny {@link Reason#RESOURCE_NOT_VISIBLE};</li>
 * <li>an implicit deny on a visible resource decides with the evaluator's reason;</li>
 * <li>an allow that an unknown input could change — keys only the request body carries, or the inputs the
 * request's {@link UnknownInputs} names (see {@link UnseenConditionKeys}) → Deny {@link
 * Reason#CONDITION_KEY_NOT_VISIBLE};</li>
 * <li>otherwise Allow.</li>
 * </ol>
 * Hidden resources of types the action does not require (SAR required flag false) apply when the request
 * references one ("an action with several resource types needs every resource the request touches to be allowed",
 * iam-evaluation-facts [Res]); the body that would reference one is written by the caller and not seen, so with
 * {@code checkOptionalHidden} (the deployed authorizer) they are checked like required ones — an Allow must cover
 * every identifier and no Deny may possibly apply. Without it (simulation-style callers that know the body names
 * none) they are skipped unless nothing else is evaluated. Thread-safe; stateless apart from the
 * injected tag source.
 */
public final class RouteAuthorizer {

    private final ConnectCatalog catalog;
    private final ResourceTagSource tags;
    private final boolean checkOptionalHidden;
    private final Set<String> taggableTypes;
    private final Set<String> knownTypes;
    /** The account that owns every Connect resource (for ARNs that name none, such as "*"); null when unknown. */
    private final String resourceOwner;

    /** An authorizer without tag lookups (policies that read resource tags are denied) that skips optional hidden types. */
    public RouteAuthorizer(ConnectCatalog catalog) {
        this(catalog, ResourceTagSource.UNAVAILABLE, false);
    }

    /**
     * @param catalog             the Connect catalog (resource types, required flags, taggable types)
     * @param tags                where resource tags come from
     * @param checkOptionalHidden also require hidden resources of optional types to be allowed for every identifier
     */
    public RouteAuthorizer(ConnectCatalog catalog, ResourceTagSource tags, boolean checkOptionalHidden) {
        this(catalog, tags, checkOptionalHidden, null);
    }

    private RouteAuthorizer(ConnectCatalog catalog, ResourceTagSource tags, boolean checkOptionalHidden,
                            String resourceOwner) {
        this.resourceOwner = resourceOwner;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.tags = Objects.requireNonNull(tags, "tags");
        this.checkOptionalHidden = checkOptionalHidden;
        // A resource type can carry tags when the SAR lists aws:ResourceTag/${TagKey} among its condition keys — not
        // only the types connect:TagResource accepts: contacts (TagContact), workspaces, data tables, views and more
        // are tagged by other operations, and skipping their tags would let a tag-conditioned Deny miss.
        Set<String> known = new HashSet<>();
        Set<String> taggable = new HashSet<>();
        for (ResourceType t : catalog.resourceTypes()) {
            known.add(t.name());
            if (carriesTags(t)) {
                taggable.add(t.name());
            }
        }
        this.knownTypes = Set.copyOf(known);
        this.taggableTypes = Set.copyOf(taggable);
    }

    /** Whether the SAR lists {@code aws:ResourceTag/${TagKey}} (in any case) among the type's condition keys. */
    private static boolean carriesTags(ResourceType type) {
        for (String k : type.conditionKeys()) {
            if (k.toLowerCase(Locale.ROOT).startsWith("aws:resourcetag/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * This authorizer for resources owned by {@code account} (the configured Connect account): the owner of
     * resources whose ARN names no account ({@code "*"} for actions without a resource type), so that a caller from
     * another account is cross-account for those too ([XAcct]).
     */
    public RouteAuthorizer ownedBy(String account) {
        return new RouteAuthorizer(catalog, tags, checkOptionalHidden, account);
    }

    /**
     * @param match the route match, empty when no route matched
     * @param set   the principal's compiled policies
     * @param keys  request context keys known at the edge (see {@link EdgeContextKeys})
     */
    public RouteAuthorization authorize(Optional<RouteMatch> match, CompiledPolicySet set, Collection<ContextValue> keys) {
        return authorize(match, set, keys, UnknownInputs.BODY_ONLY);
    }

    /**
     * @param match   the route match, empty when no route matched
     * @param set     the principal's compiled policies
     * @param keys    request context keys known at the edge (see {@link EdgeContextKeys})
     * @param unknown the inputs the decision must not rest on
     */
    public RouteAuthorization authorize(Optional<RouteMatch> match, CompiledPolicySet set, Collection<ContextValue> keys,
                                        UnknownInputs unknown) {
        if (match.isEmpty()) {
            return deny(Reason.UNMAPPED_ROUTE, null, List.of(), null, "no Amazon Connect route matches the request");
        }
        RouteMatch m = match.get();
        if (m.iamAction().isEmpty()) {
            return deny(Reason.UNMAPPED_ROUTE, null, List.of(), null,
                    "operation " + m.operation() + " has no IAM action in the Service Authorization Reference data");
        }
        String action = m.iamAction().get();
        if (!m.problems().isEmpty()) {
            return deny(Reason.INVALID_RESOURCE_IDENTIFIER, action, List.of(), null, String.join("; ", m.problems()));
        }
        if (!m.ambiguities().isEmpty()) {
            return deny(Reason.AMBIGUOUS_REQUEST, action, List.of(), null, String.join("; ", m.ambiguities()));
        }

        // lists sized to what they will hold and walked by index: a warm request allocates no iterator or spare slots
        List<NotVisibleResource> hidden = new ArrayList<>(m.notVisible().size());
        for (NotVisibleResource nv : m.notVisible()) {
            if (checkOptionalHidden || requiredByAction(action, nv)) {
                hidden.add(nv);
            }
        }
        List<TargetResource> visible = new ArrayList<>(m.resources());
        if (visible.isEmpty() && hidden.isEmpty()) {
            if (!m.notVisible().isEmpty()) {
                hidden.addAll(m.notVisible());
            } else {
                visible.add(new TargetResource("*", true, "*"));
            }
        }

        boolean needTags = set.readsResourceTags(action);
        List<String> evaluated = new ArrayList<>(visible.size() + 2 * hidden.size());
        List<Verdict> verdicts = new ArrayList<>(visible.size());
        List<RequestContext> requests = new ArrayList<>(visible.size());
        for (int ri = 0; ri < visible.size(); ri++) {
            TargetResource r = visible.get(ri);
            evaluated.add(r.arn());
            RequestContext.Builder b = RequestContext.builder(action, r.arn()).resourceOwner(resourceOwner);
            putAll(b, keys);
            if (needTags && !r.arn().equals("*") && !knownTypes.contains(r.resourceType())) {
                // a custom route's resource of a type outside the Connect catalog: its tags are not read, and
                // taking them as absent would skip a tag-conditioned Deny
                return deny(Reason.RESOURCE_TAGS_UNAVAILABLE, action, evaluated, null,
                        "the policies read resource tags for "
                        + action + ", and tags of " + r.arn() + " (a resource type outside Amazon Connect's) are not"
                        + " read");
            }
            if (needTags && taggableTypes.contains(r.resourceType())) {
                try {
                    putTags(b, r.arn());
                } catch (ResourceTagsUnavailableException e) {
                    return deny(Reason.RESOURCE_TAGS_UNAVAILABLE, action, evaluated, null,
                            "tags of " + r.arn() + " could not be read: " + e.getMessage());
                }
            }
            RequestContext request = b.build();
            requests.add(request);
            verdicts.add(Evaluator.decide(set, request));
        }
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            if (v.decision() == Reason.Category.EXPLICIT_DENY) {
                if (v.deciding() != null && UnseenConditionKeys.readsUnknown(v.deciding(), requests.get(i), unknown)) {
                    // a Deny either way, but decided with an input the function does not know: say so
                    return deny(Reason.CONDITION_KEY_NOT_VISIBLE, action, evaluated, v.deciding(), "Deny statement "
                            + v.deciding() + " applies with " + UnseenConditionKeys.unknownKeysOf(v.deciding(),
                            requests.get(i), unknown) + " absent, which the function does not know");
                }
                return deny(v.reason(), action, evaluated, v.deciding(), "explicit deny on " + visible.get(i).arn());
            }
        }

        CompiledStatement hiddenAllow = null;
        List<NotVisibleResource> hiddenChecked = new ArrayList<>(2 * hidden.size());
        for (int hi = 0; hi < hidden.size(); hi++) {
            NotVisibleResource nv = hidden.get(hi);
            hiddenChecked.add(nv);
            // its lower-case form too (the identifier-case rule below, for the identifiers in the pattern)
            String folded = lowerCaseResourcePart(nv.arnPattern());
            if (!folded.equals(nv.arnPattern())) {
                hiddenChecked.add(new NotVisibleResource(nv.resourceType(), nv.required(), folded,
                        nv.unseenVariables()));
            }
        }
        for (int hi = 0; hi < hiddenChecked.size(); hi++) {
            NotVisibleResource nv = hiddenChecked.get(hi);
            evaluated.add(nv.arnPattern());
            RequestContext.Builder b = RequestContext.builder(action, UnseenResource.probeArn(nv.arnPattern()))
                    .resourceOwner(resourceOwner);
            putAll(b, keys);
            RequestContext probe = b.build();
            if (nv.arnPattern().equals(lowerCaseResourcePart(nv.arnPattern()))) {
                probe = lowerCaseForm(probe); // the pattern's identifiers are lower-case: so is the instance key
            }
            // the engine's decision on one identifier is necessary for all; a cross-account implicit deny says why
            Verdict one = Evaluator.decide(set, probe);
            if (one.decision() == Reason.Category.IMPLICIT_DENY && probe.crossAccount()) {
                return deny(one.reason(), action, evaluated, null, "not allowed on " + nv.arnPattern());
            }
            UnseenResource.Coverage o = UnseenResource.check(set, probe, nv.arnPattern(), unknown);
            if (!o.allowed()) {
                return deny(Reason.RESOURCE_NOT_VISIBLE, action, evaluated, o.statement(),
                        nv.resourceType() + " not identified by a value the decision can rest on: " + o.detail());
            }
            if (!one.allowed()) {
                return deny(one.reason(), action, evaluated, one.deciding(), "not allowed on " + nv.arnPattern());
            }
            if (hiddenAllow == null) {
                hiddenAllow = o.statement();
            }
        }

        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            if (!v.allowed()) {
                return deny(v.reason(), action, evaluated, null, "not allowed on " + visible.get(i).arn());
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            // Whether Amazon Connect matches identifiers ignoring case is not documented; its identifiers are
            // lower-case. IAM matches ARNs and connect:InstanceId case-sensitively, so a Deny (or an Allow's
            // exclusion) written for the lower-case identifier would be walked around by sending it in another
            // case: such a request is allowed only if its lower-case form (ARN and instance key) is allowed too.
            String arn = requests.get(i).resource();
            String folded = lowerCaseResourcePart(arn);
            if (!folded.equals(arn)) {
                RequestContext lower = lowerCaseForm(requests.get(i));
                if (needTags && taggableTypes.contains(visible.get(i).resourceType())) {
                    // the lower-case resource's own tags: those read for the ARN as sent may be another answer
                    // (ListTagsForResource need not resolve an identifier in another case as the call does)
                    RequestContext.Builder b = RequestContext.builder(action, arn).resourceOwner(resourceOwner);
                    putAll(b, keys);
                    try {
                        putTags(b, folded);
                    } catch (ResourceTagsUnavailableException e) {
                        return deny(Reason.RESOURCE_TAGS_UNAVAILABLE, action, evaluated, null,
                                "tags of " + folded + " could not be read: " + e.getMessage());
                    }
                    lower = lowerCaseForm(b.build());
                }
                Verdict v = Evaluator.decide(set, lower);
                if (!v.allowed()) {
                    return deny(Reason.AMBIGUOUS_REQUEST, action, evaluated, v.deciding(), "the identifier in " + arn
                            + " is not lower-case, and " + folded + " (the same resource if Amazon Connect ignores"
                            + " case) is not allowed: " + v.reason());
                }
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            RequestContext request = requests.get(i);
            if (UnseenConditionKeys.relevant(set, request, unknown)) {
                String problem = UnseenConditionKeys.problem(set, request, unknown);
                if (problem != null) {
                    return deny(Reason.CONDITION_KEY_NOT_VISIBLE, action, evaluated, null, problem);
                }
            }
        }
        if (resourceOwner != null) {
            // The request acts on the Connect account's instance whatever its ARNs name (an AWS-managed view, say):
            // a caller of another account needs a resource-based policy there, and Amazon Connect has none ([XAcct]);
            // asked last, so an explicit Deny still decides first.
            // the principal's account comes from the keys alone, which every request above was built with
            String callerAccount;
            if (!requests.isEmpty()) {
                callerAccount = requests.get(0).principalAccount();
            } else {
                RequestContext.Builder caller = RequestContext.builder(action, "*").resourceOwner(resourceOwner);
                putAll(caller, keys);
                callerAccount = caller.build().principalAccount();
            }
            if (callerAccount != null && !callerAccount.equals(resourceOwner)) {
                return deny(Reason.CROSS_ACCOUNT_NO_RESOURCE_POLICY, action, evaluated, null, "the caller's account "
                        + callerAccount + " is not the Connect account " + resourceOwner);
            }
        }
        CompiledStatement deciding = verdicts.isEmpty() ? hiddenAllow : verdicts.get(0).deciding();
        return result(Reason.ALLOWED, action, evaluated, deciding, allowedOn(evaluated.size()));
    }

    /** An Allow's detail, made once for the resource counts a route has in practice. */
    private static final String[] ALLOWED_ON = new String[8];

    static {
        for (int i = 0; i < ALLOWED_ON.length; i++) {
            ALLOWED_ON[i] = allowedOnText(i);
        }
    }

    private static String allowedOn(int resources) {
        return resources < ALLOWED_ON.length ? ALLOWED_ON[resources] : allowedOnText(resources);
    }

    private static String allowedOnText(int resources) {
        return "allowed on " + resources + " resource(s)";
    }

    /**
     * Puts the keys in their order (a later key of the same name replaces an earlier one); a list is walked by index,
     * so a warm request allocates no iterator.
     */
    private static void putAll(RequestContext.Builder b, Collection<ContextValue> keys) {
        if (keys instanceof List<ContextValue> list && keys instanceof RandomAccess) {
            for (int i = 0; i < list.size(); i++) {
                b.put(list.get(i));
            }
        } else {
            for (ContextValue k : keys) {
                b.put(k);
            }
        }
    }

    /** How far the tags this authorizer reads may lag ({@link ResourceTagSource#maxAge}). */
    public java.time.Duration tagsMaxAge() {
        return tags.maxAge();
    }

    /**
     * Adds the resource's tags as {@code aws:ResourceTag/<key>} and {@code connect:ResourceTag/<key>}. Condition key
     * names, their tag-key part included, are read without regard to case
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html), while tag keys are
     * case-sensitive, so a resource may carry {@code team} and {@code Team} with different values: the key then has
     * two values and AWS does not say which one a policy sees. Either choice could skip a Deny on the other, so such
     * tags are refused ({@link ResourceTagsUnavailableException}: a Deny); the same value under two spellings is one
     * value.
     *
     * <p>An ARN with a wildcard — the SAR's {@code wildcard-phone-number}, {@code arn:...:phone-number/*}, the only
     * resource of {@code GetFlowAssociation} and others, lists {@code aws:ResourceTag/${TagKey}} — names no single
     * resource: it has no tags of its own to read, and which resource's tags AWS evaluates for it is not documented nor
     * in the request. Taking them as absent would skip a tag-conditioned Deny, so such tags are refused without a
     * look-up.
     */
    private void putTags(RequestContext.Builder b, String arn) {
        if (dev.edgeiam.request.Wildcards.hasWildcard(arn)) {
            throw new ResourceTagsUnavailableException(arn, "it is a wildcard ARN that names no single resource, and"
                    + " which resource's tags AWS would evaluate for it is not in the request", null);
        }
        Map<String, String> resourceTags = tags.tags(arn);
        Map<String, String> byFoldedKey = resourceTags.size() > 1 ? new java.util.HashMap<>() : null;
        for (Map.Entry<String, String> tag : resourceTags.entrySet()) {
            String k = tag.getKey();
            String v = tag.getValue();
            if (byFoldedKey != null) {
                String earlier = byFoldedKey.putIfAbsent(IamNames.fold(k), v);
                if (earlier != null && !earlier.equals(v)) {
                    throw new ResourceTagsUnavailableException(arn, "its tag keys differ only in case around " + k
                            + " and their values differ, so aws:ResourceTag/" + k + " has no single value", null);
                }
            }
            b.put(ContextValue.single("aws:ResourceTag/" + k, v));
            b.put(ContextValue.single("connect:ResourceTag/" + k, v));
        }
    }

    /**
     * The request as Amazon Connect would see it if it ignored case: the identifiers of its ARN and its
     * {@code connect:InstanceId} lower-cased.
     */
    private static RequestContext lowerCaseForm(RequestContext request) {
        RequestContext out = request.withResource(lowerCaseResourcePart(request.resource()));
        String instance = out.variable("connect:instanceid");
        return instance == null ? out
                : out.withKey(ContextValue.single("connect:InstanceId", IamNames.fold(instance)));
    }

    /** The ARN with everything after its account field lower-cased (ASCII); unchanged when not an ARN. */
    static String lowerCaseResourcePart(String arn) {
        int colons = 0;
        for (int i = 0; i < arn.length(); i++) {
            if (arn.charAt(i) == ':' && ++colons == 5) {
                return IamNames.foldFrom(arn, i + 1); // not the memo: ARNs differ per request
            }
        }
        return arn;
    }

    private boolean requiredByAction(String action, NotVisibleResource nv) {
        if (nv.required()) {
            return true;
        }
        // Trust the catalog over the route data: a type the SAR marks required is never skipped.
        Optional<ConnectAction> a = catalog.action(action);
        if (a.isEmpty()) {
            return false;
        }
        Optional<ActionResourceType> type = a.get().resourceType(nv.resourceType());
        return type.isPresent() && type.get().required();
    }

    private static RouteAuthorization deny(Reason reason, String action, List<String> evaluated,
                                           CompiledStatement statement, String detail) {
        return result(reason, action, evaluated, statement, detail);
    }

    private static RouteAuthorization result(Reason reason, String action,
                                             List<String> evaluated, CompiledStatement s, String detail) {
        return new RouteAuthorization(reason, action, evaluated, s == null ? null : s.policy().policyId(),
                s == null ? null : s.source().sid(), s == null ? -1 : s.source().index(), detail);
    }
}
