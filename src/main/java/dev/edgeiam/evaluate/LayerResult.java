package dev.edgeiam.evaluate;

import dev.edgeiam.compile.PolicyLayer;

/**
 * What one layer said on its own: {@code ALLOWED} (an Allow applies and no Deny), {@code EXPLICIT_DENY}, or
 * {@code IMPLICIT_DENY} (nothing applies). {@code level} numbers SCP levels from the root (0); 0 otherwise.
 */
public record LayerResult(PolicyLayer.Kind layer, int level, Reason.Category decision) {
}
