package dev.edgeiam.compile;

/**
 * The inside of a {@code ${...}} reference ([Vars]): {@code *}, {@code ?} and {@code $} are escapes for
 * those literal characters; otherwise a context key name, optionally followed by a comma and a default
 * value in single quotes ({@code ${aws:PrincipalTag/team, 'company-wide'}}).
 */
final class PolicyVariableSyntax {

    private PolicyVariableSyntax() {
    }

    /** The token for the reference, or null when the text is not a well-formed reference. */
    static CompiledPattern.Token parse(String inside) {
        if (inside.equals("*") || inside.equals("?") || inside.equals("$")) {
            return CompiledPattern.Token.of(GlobEngine.LITERAL, inside.charAt(0));
        }
        String key = inside;
        String defaultValue = null;
        int comma = inside.indexOf(',');
        if (comma >= 0) {
            key = inside.substring(0, comma);
            String rest = inside.substring(comma + 1).strip();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                return null;
            }
            defaultValue = rest.substring(1, rest.length() - 1);
        }
        key = key.strip();
        if (key.isEmpty() || key.indexOf('$') >= 0 || key.indexOf('{') >= 0) {
            return null;
        }
        return CompiledPattern.Token.variable(key, defaultValue);
    }
}
