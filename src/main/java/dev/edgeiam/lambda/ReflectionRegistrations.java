package dev.edgeiam.lambda;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The one place where types that need reflection in the native image are registered: every type Jackson binds
 * (reads into or writes from an object rather than a tree), with the types of its properties, goes into
 * {@code targets}. A native image keeps a type's constructors, accessors and fields for reflection only when they
 * are registered; without this Jackson sees no properties there, although the JVM build works.
 *
 * <p><b>Today the list is empty on purpose</b>: events, snapshots, policy documents, simulator requests and every
 * response are read and written as Jackson trees ({@code JsonNode}/{@code ObjectNode}) or streamed
 * ({@code JsonParser}), which need no reflection, and configuration is a {@code @ConfigMapping} interface that
 * Quarkus registers itself. Prefer a tree; register a record here only when binding it is clearly better.
 *
 * <p>Class-path resources read by name are listed in one place too: {@code quarkus.native.resources.includes} in
 * {@code application.properties}. {@code ReachabilityMetadataTest} fails when the compiled code binds a type from
 * JSON, or ships or names a resource, that is not registered, and when a second class registers types.
 */
@RegisterForReflection(targets = {})
final class ReflectionRegistrations {

    private ReflectionRegistrations() {
    }
}
