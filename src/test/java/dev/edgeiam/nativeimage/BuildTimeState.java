package dev.edgeiam.nativeimage;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What a class may leave behind when its static initialiser runs while the native image is built. Quarkus initialises
 * application classes at image build time, so every object their static fields reach is frozen into the image heap
 * and shared by every Lambda instance started from it: a random source with the build's seed, a thread or executor,
 * the build machine's clock, environment, credentials or open connections. Three independent checks:
 * <ol>
 * <li><b>Static initialiser code</b> — {@code <clinit>} and the application methods and constructors it calls
 *     directly (not lambdas: their bodies run later) — calls nothing in {@link #FORBIDDEN_CALLS}.</li>
 * <li><b>Static final fields</b> are not declared as per-instance state ({@link #PER_INSTANCE_STATE}, also inside
 *     type arguments such as {@code Supplier<Clock>}): such state belongs in a non-final field made on first use.</li>
 * <li><b>After initialisation</b>, nothing the static fields reach — through application objects, arrays,
 *     collections, maps, {@link Optional} and {@link AtomicReference} — is per-instance state.</li>
 * </ol>
 * GraalVM itself refuses some of these objects (random sources, started threads) in the image heap; the native gate
 * ({@code native/README.md}) shows that. These checks run in every {@code ./mvnw verify} and cover more.
 */
final class BuildTimeState {

    /** Types whose instances are per-instance state; {@link AutoCloseable} stands for every open resource or client. */
    static final List<Class<?>> PER_INSTANCE_STATE = List.of(
            java.util.random.RandomGenerator.class, Thread.class, ThreadGroup.class,
            java.util.concurrent.Executor.class, java.util.Timer.class, java.lang.ref.Cleaner.class,
            java.time.Clock.class, java.time.Instant.class, java.time.ZonedDateTime.class,
            java.time.OffsetDateTime.class, java.time.LocalDateTime.class, java.util.Date.class,
            java.util.Calendar.class,
            java.security.Key.class, java.security.KeyPair.class, java.security.KeyStore.class,
            java.security.cert.Certificate.class, java.security.Signature.class, javax.crypto.Cipher.class,
            javax.crypto.Mac.class, javax.net.ssl.SSLContext.class, javax.net.SocketFactory.class,
            javax.net.ServerSocketFactory.class, javax.net.ssl.TrustManager.class, javax.net.ssl.KeyManager.class,
            java.net.URLConnection.class, AutoCloseable.class,
            software.amazon.awssdk.identity.spi.IdentityProvider.class,
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class,
            org.jose4j.jwk.JsonWebKey.class, org.jose4j.jwk.JsonWebKeySet.class, org.jose4j.jwk.HttpsJwks.class,
            org.jose4j.keys.resolvers.VerificationKeyResolver.class);

    /** A call a static initialiser must not make: {@code name} "*" is any method of the owner (or owner prefix). */
    record ForbiddenCall(String owner, String name, String why) {
        boolean matches(MethodInsnNode call) {
            boolean ownerMatches = owner.endsWith("/") ? call.owner.startsWith(owner) : call.owner.equals(owner);
            return ownerMatches && (name.equals("*") || name.equals(call.name));
        }
    }

    static final List<ForbiddenCall> FORBIDDEN_CALLS = forbiddenCalls();

    private static List<ForbiddenCall> forbiddenCalls() {
        List<ForbiddenCall> c = new ArrayList<>();
        String clock = "reads the build machine's clock";
        for (String n : List.of("currentTimeMillis", "nanoTime")) {
            c.add(new ForbiddenCall("java/lang/System", n, clock));
        }
        for (String o : List.of("java/time/Instant", "java/time/LocalDate", "java/time/LocalTime",
                "java/time/LocalDateTime", "java/time/ZonedDateTime", "java/time/OffsetDateTime", "java/time/Year")) {
            c.add(new ForbiddenCall(o, "now", clock));
        }
        c.add(new ForbiddenCall("java/time/Clock", "*", clock));
        c.add(new ForbiddenCall("java/util/Date", "<init>", clock));
        c.add(new ForbiddenCall("java/util/Calendar", "getInstance", clock));
        String env = "reads the build machine's environment";
        for (String n : List.of("getenv", "getProperty", "getProperties")) {
            c.add(new ForbiddenCall("java/lang/System", n, env));
        }
        c.add(new ForbiddenCall("java/lang/Integer", "getInteger", env));
        c.add(new ForbiddenCall("java/lang/Long", "getLong", env));
        c.add(new ForbiddenCall("java/lang/Boolean", "getBoolean", env));
        c.add(new ForbiddenCall("java/util/TimeZone", "getDefault", env));
        c.add(new ForbiddenCall("java/time/ZoneId", "systemDefault", env));
        c.add(new ForbiddenCall("java/util/Locale", "getDefault", env));
        c.add(new ForbiddenCall("org/eclipse/microprofile/config/ConfigProvider", "*", env));
        c.add(new ForbiddenCall("java/net/InetAddress", "*", env));
        String random = "draws randomness that every instance would share";
        for (String o : List.of("java/util/Random", "java/security/SecureRandom", "java/util/SplittableRandom",
                "java/util/concurrent/ThreadLocalRandom", "java/util/random/RandomGenerator")) {
            c.add(new ForbiddenCall(o, "*", random));
        }
        c.add(new ForbiddenCall("java/util/UUID", "randomUUID", random));
        c.add(new ForbiddenCall("java/lang/Math", "random", random));
        String threads = "makes a thread or an executor";
        c.add(new ForbiddenCall("java/lang/Thread", "<init>", threads));
        c.add(new ForbiddenCall("java/lang/Thread", "start", threads));
        c.add(new ForbiddenCall("java/lang/Thread", "ofPlatform", threads));
        c.add(new ForbiddenCall("java/lang/Thread", "ofVirtual", threads));
        c.add(new ForbiddenCall("java/lang/Thread", "startVirtualThread", threads));
        for (String o : List.of("java/util/concurrent/Executors", "java/util/concurrent/ThreadPoolExecutor",
                "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/ForkJoinPool",
                "java/util/Timer", "java/lang/ref/Cleaner")) {
            c.add(new ForbiddenCall(o, "*", threads));
        }
        c.add(new ForbiddenCall("java/util/concurrent/CompletableFuture", "supplyAsync", threads));
        c.add(new ForbiddenCall("java/util/concurrent/CompletableFuture", "runAsync", threads));
        String keys = "makes key material or a TLS context";
        for (String o : List.of("java/security/KeyPairGenerator", "javax/crypto/KeyGenerator", "java/security/KeyStore",
                "java/security/KeyFactory", "javax/crypto/Cipher", "javax/crypto/Mac", "java/security/Signature",
                "javax/net/ssl/SSLContext", "org/jose4j/jwk/", "org/jose4j/keys/")) {
            c.add(new ForbiddenCall(o, "*", keys));
        }
        String io = "opens a file or a connection on the build machine";
        for (String o : List.of("java/nio/file/Files", "java/io/FileInputStream", "java/io/FileReader",
                "java/io/RandomAccessFile", "java/net/Socket", "java/net/ServerSocket", "java/net/http/HttpClient",
                "java/nio/channels/SocketChannel", "java/nio/channels/FileChannel")) {
            c.add(new ForbiddenCall(o, "*", io));
        }
        c.add(new ForbiddenCall("java/net/URL", "openConnection", io));
        c.add(new ForbiddenCall("java/net/URL", "openStream", io));
        String sdk = "makes an AWS SDK client, credentials provider or HTTP client";
        for (String n : List.of("builder", "create", "build")) {
            c.add(new ForbiddenCall("software/amazon/awssdk/", n, sdk));
        }
        return List.copyOf(c);
    }

    private BuildTimeState() {
    }

    /**
     * @param loaded the class, not yet initialised (this method initialises it)
     * @param node   its class file
     * @param app    the application's class files by internal name (null when not an application class)
     * @return one line per problem; empty when the class is safe to initialise at image build time
     */
    static List<String> findings(Class<?> loaded, ClassNode node, Function<String, ClassNode> app) {
        List<String> out = new ArrayList<>(initialiserCalls(node, app));
        out.addAll(declaredFields(loaded));
        out.addAll(reachableValues(loaded));
        return out;
    }

    /** Check 1: forbidden calls in {@code <clinit>} and the application code it calls directly. */
    static List<String> initialiserCalls(ClassNode node, Function<String, ClassNode> app) {
        List<String> out = new ArrayList<>();
        MethodNode clinit = method(node, "<clinit>", "()V");
        if (clinit == null) {
            return out;
        }
        record Step(ClassNode owner, MethodNode method, String path) {
        }
        Deque<Step> work = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        work.add(new Step(node, clinit, CompiledClasses.javaName(node) + ".<clinit>"));
        seen.add(node.name + ".<clinit>()V");
        while (!work.isEmpty()) {
            Step step = work.poll();
            for (AbstractInsnNode insn : step.method().instructions) {
                if (!(insn instanceof MethodInsnNode call)) {
                    continue;
                }
                for (ForbiddenCall f : FORBIDDEN_CALLS) {
                    if (f.matches(call)) {
                        out.add(step.path() + " calls " + call.owner.replace('/', '.') + "." + call.name + ": it "
                                + f.why() + " while the native image is built; make it on first use instead");
                        break;
                    }
                }
                ClassNode target = app.apply(call.owner);
                MethodNode callee = target == null ? null : resolve(target, call.name, call.desc, app);
                if (callee != null && (callee.access & java.lang.reflect.Modifier.ABSTRACT) == 0
                        && seen.add(call.owner + "." + call.name + call.desc)) {
                    work.add(new Step(target, callee, step.path() + " → " + call.owner.replace('/', '.') + "."
                            + call.name));
                }
            }
        }
        return out;
    }

    /** Check 2: static final fields declared as per-instance state. */
    static List<String> declaredFields(Class<?> loaded) {
        List<String> out = new ArrayList<>();
        for (Field f : loaded.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m)) {
                continue;
            }
            Class<?> bad = perInstanceIn(f.getGenericType(), new HashSet<>());
            if (bad != null) {
                out.add(loaded.getName() + "." + f.getName() + " is a static final " + f.getGenericType().getTypeName()
                        + " (" + bad.getName() + " is per-instance state): use a non-final field made on first use");
            }
        }
        return out;
    }

    /** Check 3: per-instance state reachable from the static fields once the class is initialised. */
    static List<String> reachableValues(Class<?> loaded) {
        List<String> out = new ArrayList<>();
        try {
            Class.forName(loaded.getName(), true, loaded.getClassLoader());
        } catch (Throwable e) {
            out.add(loaded.getName() + "'s static initialiser fails: " + e);
            return out;
        }
        Map<Object, Boolean> visited = new IdentityHashMap<>();
        for (Field f : loaded.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) {
                continue;
            }
            Object value;
            try {
                value = f.get(null);
            } catch (IllegalAccessException e) {
                out.add("cannot read " + loaded.getName() + "." + f.getName() + ": " + e);
                continue;
            }
            walk(value, loaded.getName() + "." + f.getName(), visited, out);
        }
        return out;
    }

    private static void walk(Object root, String rootPath, Map<Object, Boolean> visited, List<String> out) {
        record Item(Object value, String path) {
        }
        Deque<Item> work = new ArrayDeque<>();
        work.add(new Item(root, rootPath));
        while (!work.isEmpty()) {
            Item item = work.poll();
            Object v = item.value();
            if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                    || v instanceof Class<?> || visited.put(v, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> bad = perInstance(v.getClass());
            if (bad != null) {
                out.add(item.path() + " holds a " + v.getClass().getName() + " (" + bad.getName()
                        + " is per-instance state) once the class is initialised: make it on first use instead");
                continue;
            }
            String path = item.path();
            if (v.getClass().isArray()) {
                if (!v.getClass().getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(v); i++) {
                        work.add(new Item(Array.get(v, i), path + "[" + i + "]"));
                    }
                }
            } else if (v instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    work.add(new Item(e.getKey(), path + ".key"));
                    work.add(new Item(e.getValue(), path + "[" + e.getKey() + "]"));
                }
            } else if (v instanceof Collection<?> collection) {
                int i = 0;
                for (Object element : collection.toArray()) {
                    work.add(new Item(element, path + "[" + i++ + "]"));
                }
            } else if (v instanceof Optional<?> optional) {
                work.add(new Item(optional.orElse(null), path + ".get()"));
            } else if (v instanceof AtomicReference<?> reference) {
                work.add(new Item(reference.get(), path + ".get()"));
            }
            if (v.getClass().getName().startsWith("dev.edgeiam.")) {
                for (Class<?> c = v.getClass(); c != null && c.getName().startsWith("dev.edgeiam."); c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || !f.trySetAccessible()) {
                            continue;
                        }
                        try {
                            work.add(new Item(f.get(v), path + "." + f.getName()));
                        } catch (IllegalAccessException e) {
                            out.add("cannot read " + path + "." + f.getName() + ": " + e);
                        }
                    }
                }
            }
        }
    }

    /** The per-instance-state type {@code type} is, or has as a type argument or element type; null if none. */
    static Class<?> perInstanceIn(Type type, Set<Type> seen) {
        if (!seen.add(type)) {
            return null;
        }
        if (type instanceof Class<?> c) {
            return c.isArray() ? perInstanceIn(c.getComponentType(), seen) : perInstance(c);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> bad = perInstanceIn(p.getRawType(), seen);
            for (Type a : p.getActualTypeArguments()) {
                bad = bad != null ? bad : perInstanceIn(a, seen);
            }
            return bad;
        }
        if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                Class<?> bad = perInstanceIn(b, seen);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }
        if (type instanceof GenericArrayType g) {
            return perInstanceIn(g.getGenericComponentType(), seen);
        }
        return null;
    }

    private static Class<?> perInstance(Class<?> c) {
        for (Class<?> t : PER_INSTANCE_STATE) {
            if (t.isAssignableFrom(c)) {
                return t;
            }
        }
        return null;
    }

    private static MethodNode resolve(ClassNode owner, String name, String desc, Function<String, ClassNode> app) {
        for (ClassNode c = owner; c != null; c = c.superName == null ? null : app.apply(c.superName)) {
            MethodNode m = method(c, name, desc);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static MethodNode method(ClassNode c, String name, String desc) {
        for (MethodNode m : c.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return m;
            }
        }
        return null;
    }
}
