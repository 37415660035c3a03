package jdk.crac;

/** TEST ONLY: see {@link Resource}. */
public class CheckpointException extends Exception {
    public CheckpointException() {
    }
}
