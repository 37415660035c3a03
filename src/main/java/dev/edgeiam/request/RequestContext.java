package dev.edgeiam.request;


import java.util.Arrays;
import java.util.Objects;

/**
 * One authorization question: the action (IAM compares action names case-insensitively — [Act]), the
 * resource ARN (case-sensitive) and the request context keys (names case-insensitive — [Cond]; tag key parts
 * too), the caller as resource-based policies name it, and the two accounts that make a request
 * <b>cross-account</b> ([XAcct] "Cross-account policy evaluation logic"):
 * <ul>
 * <li>the principal's account: as set ({@code CallerArn}, the caller's identity), else {@code aws:PrincipalAccount},
 * else the account field of {@code aws:PrincipalArn}, else unknown;</li>
 * <li>the resource's account: the account field of the resource ARN, else the resource owner as set
 * ({@code ResourceOwner}, the Connect account), else the principal's account. Never from context keys such as
 * {@code aws:ResourceAccount}: those are condition inputs, not facts about the resource.</li>
 * </ul>
 * Normalised once when built, so evaluation only looks things up.
 */
public final class RequestContext implements VariableSource {

    private final String action;
    private final String actionLower;
    /** Computed on first ask (most requests find their statements in the action memo and never need it). */
    private String servicePrefix;
    private final String resource;
    private final Keys keys;
    private final RequestPrincipal principal;
    /** The account field of resources AWS owns (e.g. {@code arn:aws:iam::aws:policy/...}). */
    static final String AWS_OWNED = "aws";

    private final String principalAccount;
    private final String resourceAccount;
    private final boolean crossAccount;
    private final String resourceFolded;

    private RequestContext(String action, String resource, Keys keys,
                           RequestPrincipal principal, String principalAccount, String resourceAccount) {
        this.action = action;
        // ASCII-only: action names are ASCII ([Act]); Locale.ROOT would fold U+212A KELVIN SIGN to 'k'
        this.actionLower = IamNames.fold(action);
        this.resource = resource;
        this.keys = keys;
        this.principal = principal;
        this.principalAccount = principalAccount;
        this.resourceAccount = resourceAccount;
        // "aws" in an ARN's account field names a resource AWS owns and offers to every account (AWS managed
        // policies, Amazon Connect's AWS-managed views): identity policies govern it, there is no owner account whose
        // resource-based policy would have to agree (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html)
        this.crossAccount = principalAccount != null && resourceAccount != null && !AWS_OWNED.equals(resourceAccount)
                && !principalAccount.equals(resourceAccount);
        this.resourceFolded = Arns.foldFixedFields(resource);
    }

    public static Builder builder(String action, String resource) {
        return new Builder(action, resource);
    }

    public String action() {
        return action;
    }

    /** The action in lower case, as the action index stores it. */
    public String actionLowerCase() {
        return actionLower;
    }

    /** The service prefix in lower case ({@code connect}). */
    public String servicePrefix() {
        String prefix = servicePrefix;
        if (prefix == null) {
            int colon = actionLower.indexOf(':');
            prefix = colon < 0 ? "" : actionLower.substring(0, colon);
            servicePrefix = prefix; // racy but idempotent: every thread computes the same string
        }
        return prefix;
    }

    public String resource() {
        return resource;
    }

    /** The caller as resource-based policies name it, or null when not given (then no Principal matches). */
    public RequestPrincipal principal() {
        return principal;
    }

    /** The account that owns the principal, or null when the request does not say. */
    public String principalAccount() {
        return principalAccount;
    }

    /** The account that owns the resource, or null when neither the ARN, the owner nor the principal says. */
    public String resourceAccount() {
        return resourceAccount;
    }

    /**
     * Whether the principal's account and the resource's account are both known and differ ([XAcct]): then the
     * resource's side must allow too.
     */
    public boolean crossAccount() {
        return crossAccount;
    }

    /** The resource with partition, service, region and account folded to lower case (see {@link Arns}). */
    public String resourceFixedFieldsFolded() {
        return resourceFolded;
    }

    /** The value of a key given its lower-case name, or null when absent. */
    public ContextValue get(String lowerCaseKey) {
        return keys.get(lowerCaseKey);
    }

    /** [Vars]: only a present, single-valued key can be a policy variable. */
    @Override
    public String variable(String lowerCaseKey) {
        ContextValue v = keys.get(lowerCaseKey);
        if (v == null || v.multivalued() || v.size() != 1) {
            return null;
        }
        return v.value(0);
    }

    /** A copy for another action (same resource and keys). */
    public RequestContext withAction(String otherAction) {
        return new RequestContext(otherAction, resource, keys, principal, principalAccount, resourceAccount);
    }

    /**
     * A copy for another resource in the same account (same action, keys and principal; the resource account is
     * kept, so the ARN should name the same account).
     */
    public RequestContext withResource(String otherResource) {
        return new RequestContext(action, otherResource, keys, principal, principalAccount, resourceAccount);
    }

    /** A copy with one key put (replacing a value of the same name); accounts and principal kept. */
    public RequestContext withKey(ContextValue value) {
        Keys k = keys.copy();
        k.put(Objects.requireNonNull(value.foldedName(), "key name"), value, true);
        return new RequestContext(action, resource, k, principal, principalAccount, resourceAccount);
    }

    public static final class Builder {
        private final String action;
        private final String resource;
        /** Handed to the built context as is; a later put copies it first ({@link #handedOver}). */
        private Keys keys = new Keys();
        private boolean handedOver;
        private RequestPrincipal principal;
        private String principalAccount;
        private String resourceOwner;

        private Builder(String action, String resource) {
            if (action == null || resource == null) {
                throw new IllegalArgumentException("a request needs an action and a resource");
            }
            this.action = action;
            this.resource = resource;
        }

        /** Adds a key; a later entry for the same key (compared case-insensitively) replaces an earlier one. */
        public Builder put(ContextValue value) {
            writable().put(Objects.requireNonNull(value.foldedName(), "key name"), value, true);
            return this;
        }

        public Builder put(String key, String value) {
            return put(ContextValue.single(key, value));
        }

        /** Adds a key only if no value was given for it (given entries win). */
        public Builder putIfAbsent(ContextValue value) {
            writable().put(Objects.requireNonNull(value.foldedName(), "key name"), value, false);
            return this;
        }

        /** Sets the caller as resource-based policies' {@code Principal} elements name it. */
        public Builder principal(RequestPrincipal value) {
            this.principal = value;
            return this;
        }

        /** Sets the principal's account (from {@code CallerArn} or the verified caller); wins over context keys. */
        public Builder principalAccount(String account) {
            this.principalAccount = account;
            return this;
        }

        /**
         * Sets the account that owns resources whose ARN names no account ({@code ResourceOwner}; for the
         * authorizer the Connect account). An account named in the resource ARN wins.
         */
        public Builder resourceOwner(String account) {
            this.resourceOwner = account;
            return this;
        }

        private Keys writable() {
            if (handedOver) {
                keys = keys.copy();
                handedOver = false;
            }
            return keys;
        }

        public boolean has(String key) {
            return keys.get(IamNames.fold(key)) != null;
        }

        public RequestContext build() {
            String principalAcct = principalAccount;
            if (principalAcct == null) {
                principalAcct = singleValue("aws:principalaccount");
            }
            if (principalAcct == null) {
                principalAcct = Arns.account(singleValue("aws:principalarn"));
            }
            String resourceAcct = Arns.account(resource);
            if (resourceAcct == null) {
                resourceAcct = resourceOwner != null ? resourceOwner : principalAcct;
            }
            handedOver = true; // the context keeps this map read-only; this builder copies it before changing it
            return new RequestContext(action, resource, keys, principal, principalAcct,
                    resourceAcct);
        }

        private String singleValue(String lowerKey) {
            ContextValue v = keys.get(lowerKey);
            return v == null || v.multivalued() || v.size() != 1 || v.value(0).isEmpty() ? null : v.value(0);
        }
    }

    /**
     * The request's keys by folded name: open addressing with linear probing over one array of values (a value
     * carries its folded name), at most three quarters full. Written only by a builder before it hands the table
     * over; read-only afterwards.
     */
    static final class Keys {
        private ContextValue[] slots;
        private int size;

        Keys() {
            this.slots = new ContextValue[32];
        }

        private Keys(ContextValue[] slots, int size) {
            this.slots = slots;
            this.size = size;
        }

        ContextValue get(String foldedName) {
            ContextValue[] s = slots;
            int mask = s.length - 1;
            for (int i = slot(foldedName, mask); ; i = (i + 1) & mask) {
                ContextValue v = s[i];
                if (v == null || v.foldedName().equals(foldedName)) {
                    return v;
                }
            }
        }

        /** Puts {@code value} under {@code foldedName}; an existing value is replaced only if {@code replace}. */
        void put(String foldedName, ContextValue value, boolean replace) {
            if ((size + 1) * 4 > slots.length * 3) {
                grow();
            }
            ContextValue[] s = slots;
            int mask = s.length - 1;
            for (int i = slot(foldedName, mask); ; i = (i + 1) & mask) {
                ContextValue v = s[i];
                if (v == null) {
                    s[i] = value;
                    size++;
                    return;
                }
                if (v.foldedName().equals(foldedName)) {
                    if (replace) {
                        s[i] = value;
                    }
                    return;
                }
            }
        }

        Keys copy() {
            return new Keys(Arrays.copyOf(slots, slots.length), size);
        }

        int size() {
            return size;
        }

        private void grow() {
            ContextValue[] old = slots;
            slots = new ContextValue[old.length * 2];
            size = 0;
            for (ContextValue v : old) {
                if (v != null) {
                    put(v.foldedName(), v, true);
                }
            }
        }

        private static int slot(String foldedName, int mask) {
            int h = foldedName.hashCode();
            return (h ^ (h >>> 16)) & mask;
        }
    }
}
