package dev.edgeiam.validate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One finding in IAM Access Analyzer's {@code ValidatePolicyFinding} shape: type, issue code, details, a
 * learn-more link (empty when we have none) and the locations it concerns.
 */
public record Finding(FindingType findingType, String issueCode, String findingDetails, String learnMoreLink,
                      List<Location> locations) {

    public Finding {
        Objects.requireNonNull(findingType, "findingType");
        Objects.requireNonNull(issueCode, "issueCode");
        Objects.requireNonNull(findingDetails, "findingDetails");
        learnMoreLink = learnMoreLink == null ? "" : learnMoreLink;
        locations = List.copyOf(locations);
    }

    /**
     * A place in the policy: the path of JSON elements from the root ({@code String} member names and
     * {@code Integer} array indexes) and the text span.
     */
    public record Location(List<Object> path, Span span) {
        public Location {
            path = List.copyOf(path);
        }
    }

    /** Start inclusive, end exclusive. */
    public record Span(Position start, Position end) {
    }

    /** Access Analyzer's position: line from 1, column from 0, character offset from 0. */
    public record Position(int line, int column, int offset) {
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("findingType", findingType.name());
        o.put("issueCode", issueCode);
        o.put("findingDetails", findingDetails);
        o.put("learnMoreLink", learnMoreLink);
        ArrayNode locs = o.putArray("locations");
        for (Location l : locations) {
            ObjectNode lo = locs.addObject();
            ArrayNode path = lo.putArray("path");
            for (Object p : l.path()) {
                if (p instanceof Integer i) {
                    path.addObject().put("index", i);
                } else {
                    path.addObject().put("value", p.toString());
                }
            }
            ObjectNode span = lo.putObject("span");
            position(span.putObject("start"), l.span().start());
            position(span.putObject("end"), l.span().end());
        }
        return o;
    }

    private static void position(ObjectNode o, Position p) {
        o.put("line", p.line());
        o.put("column", p.column());
        o.put("offset", p.offset());
    }
}
