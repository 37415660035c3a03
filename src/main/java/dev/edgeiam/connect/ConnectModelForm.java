package dev.edgeiam.connect;

import dev.edgeiam.connect.ConnectCatalogLoader.CatalogRows;
import dev.edgeiam.connect.ConnectCatalogLoader.ResourceTypeRow;
import dev.edgeiam.connect.RouteTableLoader.ResourceRow;
import dev.edgeiam.connect.RouteTableLoader.RouteRow;
import dev.edgeiam.connect.RouteTableLoader.RouteRows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Connect data in a compact form made by the build, so that a cold start reads it without a JSON parse.
 *
 * <p>{@code connect-iam.json} and {@code connect-api-routes.json} (with {@code query-list-members.json}) stay the
 * source of truth. During the build ({@code process-classes}, {@code exec-maven-plugin}) {@link #main} reads them
 * with the JSON loaders into rows ({@link CatalogRows}, {@link RouteRows}: the fields the loaders read, as text,
 * nothing derived) and writes the rows to {@value #CATALOG_FORM} and {@value #ROUTES_FORM} in the class output.
 * At run time the rows are read back and go through the same {@link ConnectCatalogLoader#build} and
 * {@link RouteTableLoader#build} as the JSON rows, so the templates are parsed and checked by the same code either
 * way ({@code ConnectModelFormTest} compares the two models action for action and route for route).
 *
 * <p>Layout (big-endian): the magic {@code "ECM1"}, the kind (1 catalog, 2 routes), the string table (count, then
 * each string as its UTF-8 length and bytes), then the rows, where each string is its index in the table (−1 for
 * an absent optional), each list its size then its elements, each flag one byte. Any other byte — a wrong magic or
 * kind, an index outside the table, a truncated or over-long file — refuses the whole file.
 */
public final class ConnectModelForm {

    /** Class-path resource holding the catalog rows. */
    static final String CATALOG_FORM = "/connect/connect-iam.bin";
    /** Class-path resource holding the route rows and list members. */
    static final String ROUTES_FORM = "/connect/connect-api-routes.bin";

    private static final int MAGIC = 0x45434D31; // "ECM1"
    private static final byte CATALOG = 1;
    private static final byte ROUTES = 2;

    private ConnectModelForm() {
    }

    /**
     * Writes both forms under {@code args[0]} (the class output directory, e.g. {@code target/classes}) from the
     * JSON resources on the class path.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ConnectModelForm <class output directory>");
        }
        Path root = Path.of(args[0]);
        write(root.resolve(CATALOG_FORM.substring(1)), catalogBytes(ConnectCatalogLoader.rowsFromClasspath(
                ConnectCatalog.IAM_RESOURCE)));
        write(root.resolve(ROUTES_FORM.substring(1)), routesBytes(RouteTableLoader.rowsFromClasspath(
                RouteTable.ROUTES_RESOURCE)));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /** The catalog rows of {@value #CATALOG_FORM}, or empty when the class path has no such resource. */
    static Optional<CatalogRows> catalogFromClasspath() {
        byte[] bytes = resource(CATALOG_FORM);
        return bytes == null ? Optional.empty() : Optional.of(catalog(bytes));
    }

    /** The route rows of {@value #ROUTES_FORM}, or empty when the class path has no such resource. */
    static Optional<RouteRows> routesFromClasspath() {
        byte[] bytes = resource(ROUTES_FORM);
        return bytes == null ? Optional.empty() : Optional.of(routes(bytes));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConnectModelForm.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    static byte[] catalogBytes(CatalogRows rows) {
        Writer w = new Writer(CATALOG);
        w.size(rows.actions());
        for (ConnectAction a : rows.actions()) {
            w.string(a.name());
            w.string(a.accessLevel());
            w.string(a.description());
            w.size(a.resourceTypes());
            for (ActionResourceType t : a.resourceTypes()) {
                w.string(t.name());
                w.flag(t.required());
            }
            w.strings(a.conditionKeys());
            w.strings(a.dependentActions());
            w.flag(a.dependentActionsKnown());
            w.optional(a.apiOperation().orElse(null));
        }
        w.size(rows.resourceTypes());
        for (ResourceTypeRow r : rows.resourceTypes()) {
            w.string(r.name());
            w.string(r.arn());
            w.strings(r.conditionKeys());
        }
        w.size(rows.conditionKeys());
        for (ConditionKey k : rows.conditionKeys()) {
            w.string(k.name());
            w.string(k.type());
            w.flag(k.multivalued());
            w.string(k.description());
        }
        return w.bytes();
    }

    static CatalogRows catalog(byte[] bytes) {
        Reader r = new Reader(bytes, CATALOG_FORM, CATALOG);
        try {
            int n = r.size();
            List<ConnectAction> actions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = r.string();
                String accessLevel = r.string();
                String description = r.string();
                int t = r.size();
                List<ActionResourceType> types = new ArrayList<>(t);
                for (int j = 0; j < t; j++) {
                    types.add(new ActionResourceType(r.string(), r.flag()));
                }
                List<String> keys = r.strings();
                List<String> dependent = r.strings();
                boolean known = r.flag();
                actions.add(new ConnectAction(name, accessLevel, description, types, keys, dependent, known,
                        Optional.ofNullable(r.optional())));
            }
            n = r.size();
            List<ResourceTypeRow> resourceTypes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                resourceTypes.add(new ResourceTypeRow(r.string(), r.string(), r.strings()));
            }
            n = r.size();
            List<ConditionKey> conditionKeys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                conditionKeys.add(new ConditionKey(r.string(), r.string(), r.flag(), r.string()));
            }
            r.end();
            return new CatalogRows(actions, resourceTypes, conditionKeys);
        } catch (RuntimeException e) {
            throw r.corrupt(e);
        }
    }

    static byte[] routesBytes(RouteRows rows) {
        Writer w = new Writer(ROUTES);
        w.strings(List.copyOf(new TreeSet<>(rows.listMembers())));
        w.size(rows.operations());
        for (RouteRow op : rows.operations()) {
            w.string(op.operation());
            w.string(op.method());
            w.string(op.uri());
            w.map(op.query());
            w.string(op.presumed());
            w.flag(op.inCatalog());
            w.size(op.resources());
            for (ResourceRow res : op.resources()) {
                w.string(res.type());
                w.flag(res.required());
                w.map(res.variables());
            }
            w.string(op.note());
            w.strings(op.pathParams());
            w.strings(op.bodyIdentifiers());
            w.strings(op.olderReferenceTypes());
        }
        return w.bytes();
    }

    static RouteRows routes(byte[] bytes) {
        Reader r = new Reader(bytes, ROUTES_FORM, ROUTES);
        try {
            List<String> listMembers = r.strings();
            int n = r.size();
            List<RouteRow> operations = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String operation = r.string();
                String method = r.string();
                String uri = r.string();
                Map<String, String> query = r.map();
                String presumed = r.string();
                boolean inCatalog = r.flag();
                int m = r.size();
                List<ResourceRow> resources = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    resources.add(new ResourceRow(r.string(), r.flag(), r.map()));
                }
                String note = r.string();
                operations.add(new RouteRow(operation, method, uri, query, presumed, inCatalog, resources, note,
                        r.strings(), r.strings(), r.strings()));
            }
            r.end();
            return new RouteRows(operations, new java.util.HashSet<>(listMembers));
        } catch (RuntimeException e) {
            throw r.corrupt(e);
        }
    }

    /** Rows out: strings go to the table in first-use order, so the same rows always give the same bytes. */
    private static final class Writer {
        private final Map<String, Integer> table = new LinkedHashMap<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(body);
        private final byte kind;

        Writer(byte kind) {
            this.kind = kind;
        }

        void string(String s) {
            if (s == null) {
                throw new IllegalArgumentException("a required string is null");
            }
            optional(s);
        }

        void optional(String s) {
            integer(s == null ? -1 : table.computeIfAbsent(s, k -> table.size()));
        }

        void strings(List<String> values) {
            size(values);
            values.forEach(this::string);
        }

        void map(Map<String, String> values) {
            integer(values.size());
            values.forEach((k, v) -> {
                string(k);
                string(v);
            });
        }

        void size(List<?> values) {
            integer(values.size());
        }

        void flag(boolean b) {
            try {
                out.writeBoolean(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void integer(int i) {
            try {
                out.writeInt(i);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] bytes() {
            try {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                DataOutputStream d = new DataOutputStream(all);
                d.writeInt(MAGIC);
                d.writeByte(kind);
                d.writeInt(table.size());
                for (String s : table.keySet()) {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    d.writeInt(utf8.length);
                    d.write(utf8);
                }
                out.flush();
                body.writeTo((OutputStream) d);
                d.flush();
                return all.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Rows in: every read is bounds-checked; anything unexpected is a corrupt file. */
    private static final class Reader {
        private final byte[] bytes;
        private final String name;
        private final String[] table;
        private int at;

        Reader(byte[] bytes, String name, byte kind) {
            this.bytes = bytes;
            this.name = name;
            try {
                if (integer() != MAGIC) {
                    throw new IllegalStateException("not a Connect model form (magic)");
                }
                if (bytes[at++] != kind) {
                    throw new IllegalStateException("wrong kind " + bytes[at - 1] + ", expected " + kind);
                }
                int n = count();
                table = new String[n];
                for (int i = 0; i < n; i++) {
                    int length = count();
                    if (length > bytes.length - at) {
                        throw new IllegalStateException("string past the end");
                    }
                    table[i] = new String(bytes, at, length, StandardCharsets.UTF_8);
                    at += length;
                }
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        IllegalStateException corrupt(RuntimeException e) {
            return e instanceof IllegalStateException ise && ise.getMessage() != null
                    && ise.getMessage().startsWith("corrupt ") ? ise
                    : new IllegalStateException("corrupt " + name + " at byte " + at + ": " + e.getMessage(), e);
        }

        int integer() {
            if (bytes.length - at < 4) {
                throw new IllegalStateException("truncated");
            }
            int v = ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                    | (bytes[at + 3] & 0xff);
            at += 4;
            return v;
        }

        /** A count or length: never negative, never more than the bytes left could hold. */
        int count() {
            int n = integer();
            if (n < 0 || n > bytes.length - at) {
                throw new IllegalStateException("count " + n + " out of range");
            }
            return n;
        }

        int size() {
            return count();
        }

        String string() {
            String s = optional();
            if (s == null) {
                throw new IllegalStateException("a required string is absent");
            }
            return s;
        }

        String optional() {
            int i = integer();
            if (i == -1) {
                return null;
            }
            if (i < 0 || i >= table.length) {
                throw new IllegalStateException("string index " + i + " outside the table");
            }
            return table[i];
        }

        List<String> strings() {
            int n = size();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(string());
            }
            return out;
        }

        Map<String, String> map() {
            int n = size();
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = string();
                if (out.put(k, string()) != null) {
                    throw new IllegalStateException("duplicate key " + k);
                }
            }
            return out;
        }

        boolean flag() {
            if (at >= bytes.length) {
                throw new IllegalStateException("truncated");
            }
            byte b = bytes[at++];
            if (b != 0 && b != 1) {
                throw new IllegalStateException("flag byte " + b);
            }
            return b == 1;
        }

        void end() {
            if (at != bytes.length) {
                throw new IllegalStateException((bytes.length - at) + " bytes after the rows");
            }
        }
    }
}
