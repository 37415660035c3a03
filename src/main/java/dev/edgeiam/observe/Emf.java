package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * CloudWatch Embedded Metric Format: one JSON log line that CloudWatch Logs turns into metrics, no API call.
 * [EMF] "The root node MUST contain a Metadata object _aws ... CloudWatchMetrics: an array of MetricDirective
 * objects ... Timestamp: milliseconds since epoch ... The root node MUST contain all Target Members defined by the
 * references in the MetricDirective object" —
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * <p>This writer builds the {@code _aws} member; the caller puts the dimension values and metric values at the root
 * of the same object. Names are checked when a directive is made: every dimension and metric name is a short ASCII
 * word, so a value from a request can never become a name.
 */
public final class Emf {

    private Emf() {
    }

    /** The units this function uses ([EMF] "Unit ... MUST be one of the CloudWatch StandardUnit values"). */
    public enum Unit {
        COUNT("Count"), MICROSECONDS("Microseconds"), SECONDS("Seconds");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One metric of a directive. */
    public record Metric(String name, Unit unit) {
        public Metric {
            checkName(name);
            Objects.requireNonNull(unit, "unit");
        }
    }

    /**
     * A MetricDirective: every metric in {@code metrics} is published once per dimension set.
     * [EMF] "A DimensionSet MUST NOT contain more than 30 dimension keys".
     */
    public record Directive(List<List<String>> dimensionSets, List<Metric> metrics) {
        public Directive {
            dimensionSets = dimensionSets.stream().map(List::copyOf).toList();
            metrics = List.copyOf(metrics);
            for (List<String> set : dimensionSets) {
                if (set.isEmpty() || set.size() > 30) {
                    throw new IllegalArgumentException("a dimension set has 1 to 30 keys: " + set);
                }
                set.forEach(Emf::checkName);
            }
            if (dimensionSets.isEmpty() || metrics.isEmpty() || metrics.size() > 100) {
                throw new IllegalArgumentException("a directive has dimension sets and 1 to 100 metrics");
            }
        }
    }

    /** The {@code _aws} metadata object for these directives. */
    public static ObjectNode metadata(String namespace, long timestampMillis, List<Directive> directives) {
        checkNamespace(namespace);
        ObjectNode aws = JsonNodeFactory.instance.objectNode();
        aws.put("Timestamp", timestampMillis);
        ArrayNode all = aws.putArray("CloudWatchMetrics");
        for (Directive d : directives) {
            ObjectNode directive = all.addObject();
            directive.put("Namespace", namespace);
            ArrayNode sets = directive.putArray("Dimensions");
            for (List<String> set : d.dimensionSets()) {
                ArrayNode keys = sets.addArray();
                set.forEach(keys::add);
            }
            ArrayNode metrics = directive.putArray("Metrics");
            for (Metric m : d.metrics()) {
                metrics.addObject().put("Name", m.name()).put("Unit", m.unit().label());
            }
        }
        return aws;
    }

    /** The {@code CloudWatchMetrics} array of {@link #metadata}, as JSON text (made once, reused by every line). */
    public static String directivesJson(String namespace, List<Directive> directives) {
        return metadata(namespace, 0, directives).get("CloudWatchMetrics").toString();
    }

    static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
            throw new IllegalArgumentException("not a metric or dimension name: " + name);
        }
    }

    static void checkNamespace(String namespace) {
        // CloudWatch namespaces: up to 255 of [0-9A-Za-z.-_/#:], not starting with "AWS/".
        if (namespace == null || !namespace.matches("[0-9A-Za-z.\\-_/#:]{1,255}") || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("not a custom CloudWatch namespace: " + namespace);
        }
    }
}
