package dev.edgeiam.observe;

import java.util.ArrayList;
import java.util.Collections;
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
            List<List<String>> sets = new ArrayList<>(dimensionSets.size());
            for (List<String> set : dimensionSets) {
                sets.add(List.copyOf(set));
            }
            dimensionSets = Collections.unmodifiableList(sets);
            metrics = List.copyOf(metrics);
            for (List<String> set : dimensionSets) {
                if (set.isEmpty() || set.size() > 30) {
                    throw new IllegalArgumentException("a dimension set has 1 to 30 keys: " + set);
                }
                for (String name : set) {
                    checkName(name);
                }
            }
            if (dimensionSets.isEmpty() || metrics.isEmpty() || metrics.size() > 100) {
                throw new IllegalArgumentException("a directive has dimension sets and 1 to 100 metrics");
            }
        }
    }

    /**
     * The {@code CloudWatchMetrics} array of the {@code _aws} metadata for these directives, as JSON text (made once,
     * reused by every line): {@code [{"Namespace":..,"Dimensions":[[..],..],"Metrics":[{"Name":..,"Unit":..},..]},..]}.
     * Written by hand, as the lines are: serialising a tree through Jackson's databind would set up its serializers
     * in every cold start for these few bytes.
     */
    public static String directivesJson(String namespace, List<Directive> directives) {
        checkNamespace(namespace);
        StringBuilder b = new StringBuilder(256 * directives.size());
        b.append('[');
        for (int d = 0; d < directives.size(); d++) {
            Directive directive = directives.get(d);
            b.append(d == 0 ? "" : ",").append("{\"Namespace\":");
            Telemetry.string(b, namespace);
            b.append(",\"Dimensions\":[");
            for (int s = 0; s < directive.dimensionSets().size(); s++) {
                List<String> set = directive.dimensionSets().get(s);
                b.append(s == 0 ? "[" : ",[");
                for (int k = 0; k < set.size(); k++) {
                    b.append(k == 0 ? "" : ",");
                    Telemetry.string(b, set.get(k));
                }
                b.append(']');
            }
            b.append("],\"Metrics\":[");
            for (int m = 0; m < directive.metrics().size(); m++) {
                Metric metric = directive.metrics().get(m);
                b.append(m == 0 ? "{\"Name\":" : ",{\"Name\":");
                Telemetry.string(b, metric.name());
                b.append(",\"Unit\":");
                Telemetry.string(b, metric.unit().label());
                b.append('}');
            }
            b.append("]}");
        }
        return b.append(']').toString();
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
