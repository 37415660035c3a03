package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Red-team pass 24, the preload list (commit f042959 and before: {@code quarkus.snapstart.generate-application-class-list
 * =false} and META-INF/quarkus-preload-classes.txt): Quarkus used to initialise every application class during the
 * init, in its generated list's order; now only the listed ones, in load order, and the rest on first use (during a
 * request). That is behaviour-neutral only if no class's static state depends on the order classes are initialised
 * in (an initialisation cycle reading a field not yet set, a static reading another class's state). Every project
 * class is initialised, each order in a fresh class loader, in the preload list's order, alphabetically, in reverse,
 * the list reversed and in shuffled orders ({@code -Dredteam24.eachFirst=true}: also with each class first), and every
 * static field (values, arrays, collections and records two levels deep; lambdas by class) must be the same after
 * each order, and no initialiser may fail.
 */
class RedteamPass24InitOrderTest {

    static String repr(Object v, int depth) {
        if (v == null) return "null";
        Class<?> c = v.getClass();
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character) return c.getSimpleName() + ":" + v;
        if (v instanceof Enum<?> e) return "enum:" + e.name();
        if (v instanceof Class<?> k) return "class:" + k.getName();
        if (c.isArray()) {
            int n = Array.getLength(v);
            StringBuilder b = new StringBuilder(c.getComponentType().getName() + "[" + n + "]");
            if (depth < 2) { b.append("{"); for (int i = 0; i < Math.min(n, 64); i++) b.append(repr(Array.get(v, i), depth + 1)).append(","); b.append("}"); }
            return b.toString();
        }
        if (v instanceof ThreadLocal<?>) return "ThreadLocal";
        if (v instanceof Collection<?> col) {
            StringBuilder b = new StringBuilder(c.getName() + "(" + col.size() + ")");
            if (depth < 2 && col.size() <= 64 && !(v instanceof java.util.concurrent.ConcurrentMap)) { b.append("["); for (Object o : col) b.append(repr(o, depth + 1)).append(","); b.append("]"); }
            return b.toString();
        }
        if (v instanceof Map<?, ?> m) {
            if (v instanceof java.util.concurrent.ConcurrentMap) return c.getName() + "(concurrent)";
            StringBuilder b = new StringBuilder(c.getName() + "{" + m.size() + "}");
            if (depth < 2 && m.size() <= 64) { for (var e : m.entrySet()) b.append(repr(e.getKey(), depth + 1)).append("=").append(repr(e.getValue(), depth + 1)).append(","); }
            return b.toString();
        }
        if (c.isRecord() && depth < 2) {
            StringBuilder b = new StringBuilder(c.getName() + "(");
            for (RecordComponent rc : c.getRecordComponents()) {
                try { rc.getAccessor().setAccessible(true); b.append(rc.getName()).append("=").append(repr(rc.getAccessor().invoke(v), depth + 1)).append(","); }
                catch (Throwable t) { b.append(rc.getName()).append("=?"); }
            }
            return b.append(")").toString();
        }
        if (depth < 1 && c.getName().startsWith("dev.edgeiam")) {
            StringBuilder b = new StringBuilder(c.getName().replaceAll("/0x[0-9a-f]+", "") + "<");
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                try { f.setAccessible(true); b.append(f.getName()).append("=").append(repr(f.get(v), depth + 1)).append(","); } catch (Throwable t) { b.append(f.getName()).append("=?,"); }
            }
            return b.append(">").toString();
        }
        return "obj:" + c.getName().replaceAll("/0x[0-9a-f]+", "");
    }


    static Map<String, String> staticState(List<URL> urls, List<String> order, List<String> all) throws Exception {
        Map<String, String> dump = new TreeMap<>();
        try (URLClassLoader l = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            for (String n : order) {
                try {
                    Class.forName(n, true, l);
                } catch (Throwable t) {
                    dump.put(n + " <clinit>", "failed " + t);
                }
            }
            for (String n : all) {
                Class<?> c = Class.forName(n, false, l);
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        f.setAccessible(true);
                        dump.put(n + "." + f.getName(), repr(f.get(null), 0));
                    }
                }
            }
        }
        return dump;
    }

    @Test
    void staticStateDoesNotDependOnInitialisationOrder() throws Exception {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        for (String e : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (!p.equals(classes) && !p.endsWith(Path.of("target", "test-classes")) && Files.exists(p)) {
                urls.add(p.toUri().toURL());
            }
        }
        List<String> all = new ArrayList<>();
        try (var s = Files.walk(classes.resolve("dev"))) {
            s.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String n = classes.relativize(p).toString().replace(File.separatorChar, '.');
                n = n.substring(0, n.length() - ".class".length());
                if (!n.endsWith("package-info")) {
                    all.add(n);
                }
            });
        }
        Collections.sort(all);
        List<String> preload = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src", "main", "resources", "META-INF",
                "quarkus-preload-classes.txt"))) {
            String n = line.replaceAll("#.*", "").strip();
            if (!n.isEmpty() && all.contains(n)) {
                preload.add(n);
            }
        }
        Map<String, List<String>> orders = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>(preload);
        all.stream().filter(n -> !preload.contains(n)).forEach(listed::add);
        orders.put("preload list, then the rest", listed);
        orders.put("alphabetical", all);
        orders.put("reverse", all.reversed());
        List<String> listReversed = new ArrayList<>(preload.reversed());
        all.stream().filter(n -> !preload.contains(n)).forEach(listReversed::add);
        orders.put("preload list reversed, then the rest", listReversed);
        for (int i = 0; i < 10; i++) {
            List<String> s = new ArrayList<>(all);
            Collections.shuffle(s, new Random(i));
            orders.put("shuffle " + i, s);
        }
        if (Boolean.getBoolean("redteam24.eachFirst")) {
            for (String first : all) {
                List<String> s = new ArrayList<>(List.of(first));
                all.stream().filter(n -> !n.equals(first)).forEach(s::add);
                orders.put(first + " first", s);
            }
        }
        Map<String, String> reference = null;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> o : orders.entrySet()) {
            Map<String, String> dump = staticState(urls, o.getValue(), all);
            dump.forEach((k, v) -> {
                if (v.startsWith("failed")) {
                    problems.add(o.getKey() + ": " + k + " " + v);
                }
            });
            if (reference == null) {
                reference = dump;
                continue;
            }
            Set<String> keys = new TreeSet<>(reference.keySet());
            keys.addAll(dump.keySet());
            for (String k : keys) {
                if (!Objects.equals(reference.get(k), dump.get(k))) {
                    problems.add(o.getKey() + ": " + k + " = " + dump.get(k) + " (preload order: " + reference.get(k)
                            + ")");
                }
            }
        }
        System.out.println("RedteamPass24InitOrderTest: classes=" + all.size() + " static fields="
                + reference.size() + " orders=" + orders.size() + " problems=" + problems.size());
        assertTrue(problems.isEmpty(), String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
    }
}
