package jdk.crac;

/**
 * TEST ONLY: the shape of a CRaC JDK's {@code jdk.crac.Resource}, so that {@code org.crac.Core} (which looks for
 * {@code jdk.crac} reflectively) drives real checkpoint and restore notifications on a JDK without CRaC.
 */
public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
