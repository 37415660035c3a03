package dev.edgeiam.evaluate;

/** The three outcomes of IAM evaluation ([Eval]), spelled as IAM's simulator spells them. */
public enum EvalDecision {
    ALLOWED("allowed"),
    EXPLICIT_DENY("explicitDeny"),
    IMPLICIT_DENY("implicitDeny");

    private final String simulatorName;

    EvalDecision(String simulatorName) {
        this.simulatorName = simulatorName;
    }

    public String simulatorName() {
        return simulatorName;
    }
}
