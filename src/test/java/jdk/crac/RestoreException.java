package jdk.crac;

/** TEST ONLY: see {@link Resource}. */
public class RestoreException extends Exception {
    public RestoreException() {
    }
}
