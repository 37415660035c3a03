package dev.edgeiam.simulate;

/** A simulate request that is not well-formed: becomes {@code {"errorCode": "InvalidInput", ...}}. */
final class SimulationInputException extends RuntimeException {

    private final String pointer;

    SimulationInputException(String message, String pointer) {
        super(message, null, false, false);
        this.pointer = pointer;
    }

    String pointer() {
        return pointer;
    }
}
