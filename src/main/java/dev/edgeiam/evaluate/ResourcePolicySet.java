package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.PolicyLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource's side of a request, compiled: the resource-based policy attached to the resource (absent when it
 * has none — Amazon Connect resources never have one) and the resource control policies (RCPs) of the resource
 * owner's organization, one layer per level (outermost first; empty when not modelled) ([Eval], [RCP], [XAcct]).
 * Immutable and thread-safe. {@link #NONE} is a resource with neither.
 */
public final class ResourcePolicySet {

    /** A resource without a resource-based policy and without RCPs. */
    public static final ResourcePolicySet NONE = builder().build();

    private final PolicyLayer resourcePolicy;
    private final List<PolicyLayer> resourceControlLevels;
    private final List<PolicyLayer> layers;

    private ResourcePolicySet(Builder b) {
        this.resourcePolicy = b.resourcePolicy == null ? null
                : new PolicyLayer(PolicyLayer.Kind.RESOURCE, b.resourcePolicy);
        List<PolicyLayer> levels = new ArrayList<>();
        for (List<CompiledPolicy> level : b.resourceControlLevels) {
            levels.add(new PolicyLayer(PolicyLayer.Kind.RESOURCE_CONTROL, level));
        }
        this.resourceControlLevels = List.copyOf(levels);
        List<PolicyLayer> all = new ArrayList<>(resourceControlLevels);
        if (resourcePolicy != null) {
            all.add(resourcePolicy);
        }
        this.layers = List.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The resource-based policy layer, or null when the resource has none. */
    public PolicyLayer resourcePolicy() {
        return resourcePolicy;
    }

    public List<PolicyLayer> resourceControlLevels() {
        return resourceControlLevels;
    }

    /** Every layer, RCP levels first: where an explicit deny is searched for on this side. */
    public List<PolicyLayer> layers() {
        return layers;
    }

    public static final class Builder {
        private List<CompiledPolicy> resourcePolicy;
        private final List<List<CompiledPolicy>> resourceControlLevels = new ArrayList<>();

        /** Adds a resource-based policy document (several are read as one policy: their allows unite). */
        public Builder resourcePolicy(CompiledPolicy policy) {
            if (resourcePolicy == null) {
                resourcePolicy = new ArrayList<>();
            }
            resourcePolicy.add(policy);
            return this;
        }

        /** Adds one organization level's RCPs; the action must be allowed at every level. */
        public Builder resourceControlLevel(List<CompiledPolicy> level) {
            resourceControlLevels.add(List.copyOf(level));
            return this;
        }

        public ResourcePolicySet build() {
            return new ResourcePolicySet(this);
        }
    }
}
