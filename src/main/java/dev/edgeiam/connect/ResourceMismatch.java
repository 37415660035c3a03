package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Explains why the resource part of an ARN matches none of the SAR ARN templates: it walks every
 * template token by token, keeps the templates that got furthest and describes the first token where
 * they disagree with the input (unknown literal, empty identifier, wrong separator, ARN too short or
 * too long).
 */
final class ResourceMismatch {

    private ResourceMismatch() {
    }

    static String explain(String resource, List<ArnTemplate> templates) {
        if (resource.isEmpty()) {
            return "is empty (expected e.g. " + templates.get(0).resourcePart() + ")";
        }
        List<String> pieces = ArnTemplate.splitKeepingSeparators(resource);
        int best = -1;
        List<ArnTemplate> furthest = new ArrayList<>();
        for (ArnTemplate t : templates) {
            int p = progress(t.resourceTokens(), pieces);
            if (p > best) {
                best = p;
                furthest.clear();
            }
            if (p == best) {
                furthest.add(t);
            }
        }
        final int at = best;
        String prefix = String.join("", pieces.subList(0, at));
        List<ArnTemplate> mismatching = furthest.stream()
                .filter(t -> at < t.resourceTokens().size() && at < pieces.size()).toList();
        if (!mismatching.isEmpty()) {
            return describeMismatch(pieces.get(at), prefix, mismatching, at);
        }
        List<ArnTemplate> tooShort = furthest.stream().filter(t -> at < t.resourceTokens().size()).toList();
        if (!tooShort.isEmpty()) {
            return "ends too early after '" + prefix + "' (expected " + tooShort.stream()
                    .map(t -> "'" + render(t.resourceTokens().subList(at, t.resourceTokens().size())) + "' for " + t.resourceType())
                    .collect(Collectors.joining(", ")) + ")";
        }
        String rest = String.join("", pieces.subList(at, pieces.size()));
        return "unexpected trailing '" + rest + "' after '" + prefix + "' (the ARN of "
                + furthest.stream().map(ArnTemplate::resourceType).collect(Collectors.joining(", ")) + " ends there)";
    }

    private static String describeMismatch(String piece, String prefix, List<ArnTemplate> templates, int at) {
        Set<String> literals = new LinkedHashSet<>();
        Set<String> variables = new LinkedHashSet<>();
        Set<String> separators = new LinkedHashSet<>();
        for (ArnTemplate t : templates) {
            switch (t.resourceTokens().get(at)) {
                case ArnTemplate.Literal l -> literals.add(l.text());
                case ArnTemplate.Variable v -> variables.add(v.name());
                case ArnTemplate.Separator s -> separators.add(String.valueOf(s.symbol()));
            }
        }
        String where = prefix.isEmpty() ? "at the start of the resource" : "after '" + prefix + "'";
        if (!separators.isEmpty()) {
            return "expected " + quoteAll(separators) + " " + where + " but found '" + piece + "'";
        }
        if (!variables.isEmpty() && piece.isEmpty()) {
            return String.join("/", variables) + " is empty " + where;
        }
        return "unknown '" + piece + "' " + where + " (expected " + quoteAll(literals.stream().sorted().toList()) + ")";
    }

    private static int progress(List<ArnTemplate.Token> tokens, List<String> pieces) {
        int i = 0;
        while (i < tokens.size() && i < pieces.size() && ArnTemplate.tokenAccepts(tokens.get(i), pieces.get(i))) {
            i++;
        }
        return i;
    }

    private static String render(List<ArnTemplate.Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (ArnTemplate.Token t : tokens) {
            switch (t) {
                case ArnTemplate.Literal l -> sb.append(l.text());
                case ArnTemplate.Separator s -> sb.append(s.symbol());
                case ArnTemplate.Variable v -> sb.append("${").append(v.name()).append('}');
            }
        }
        return sb.toString();
    }

    private static String quoteAll(java.util.Collection<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }
}
