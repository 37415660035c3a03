package dev.edgeiam.nativeimage;

import com.fasterxml.jackson.core.TreeNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds, in compiled classes, what a native image can only do with reachability metadata: types Jackson binds by
 * reflection, reflective look-ups by name, and class-path resources read by name. The native gate cannot see these
 * (they fail only when the executable runs), so every call site is checked here against the registrations.
 *
 * <p>A type is <i>bound from JSON</i> when it is the target or source of a Jackson data-binding call
 * ({@link #BINDING_METHODS}: a class literal, a {@code TypeReference} subclass, or the static type of the value
 * written), when it carries a Jackson annotation, or when it is a typed Lambda handler's input or output. A bound
 * type needs no registration when it is a Jackson tree ({@link TreeNode}), a primitive or a JDK type; otherwise it
 * must be registered, and so must the types of its properties (record components, or instance fields), recursively.
 */
final class ReflectionUse {

    /** Jackson methods (on any {@code com.fasterxml.jackson} type) that bind a Java type to or from JSON. */
    static final Set<String> BINDING_METHODS = Set.of("readValue", "readValues", "treeToValue", "convertValue",
            "valueToTree", "updateValue", "readerFor", "readerForUpdating", "readerForArrayOf", "readerForListOf",
            "readerForMapOf", "writerFor", "writerWithType", "forType", "writeValue", "writeValueAsString",
            "writeValueAsBytes", "writeValues", "readValueAs", "readValuesAs", "writeObject", "writePOJO",
            "writeObjectField", "writePOJOField", "putPOJO", "pojoNode", "addPOJO", "insertPOJO", "constructType",
            "constructCollectionType", "constructParametricType", "constructMapType", "constructArrayType");

    /** Look-ups that find classes, members or implementations by name or by reflection at run time. */
    static final List<String[]> REFLECTIVE_LOOKUPS = List.of(
            new String[]{"java/lang/Class", "forName", "getDeclaredMethods", "getDeclaredMethod", "getMethods",
                    "getMethod", "getDeclaredFields", "getDeclaredField", "getFields", "getField",
                    "getDeclaredConstructors", "getDeclaredConstructor", "getConstructors", "getConstructor",
                    "newInstance", "getRecordComponents", "getDeclaredClasses", "getClasses"},
            new String[]{"java/lang/ClassLoader", "loadClass", "findClass"},
            new String[]{"java/lang/invoke/MethodHandles$Lookup", "findClass", "findVirtual", "findStatic",
                    "findConstructor", "findSpecial", "findGetter", "findSetter", "findStaticGetter",
                    "findStaticSetter", "findVarHandle", "findStaticVarHandle"},
            new String[]{"java/lang/reflect/Proxy", "newProxyInstance"},
            new String[]{"java/util/ServiceLoader", "load", "loadInstalled"},
            new String[]{"javax/xml/parsers/DocumentBuilderFactory", "newInstance"},
            new String[]{"javax/xml/parsers/SAXParserFactory", "newInstance"},
            new String[]{"javax/xml/transform/TransformerFactory", "newInstance"},
            new String[]{"javax/xml/stream/XMLInputFactory", "newInstance", "newFactory"},
            new String[]{"javax/xml/stream/XMLOutputFactory", "newInstance", "newFactory"},
            new String[]{"javax/xml/xpath/XPathFactory", "newInstance"},
            new String[]{"javax/xml/validation/SchemaFactory", "newInstance"},
            new String[]{"javax/xml/datatype/DatatypeFactory", "newInstance"});

    /** Methods that read a class-path resource by name (the name is their first argument). */
    static final List<String[]> RESOURCE_LOADERS = List.of(
            new String[]{"java/lang/Class", "getResource", "getResourceAsStream"},
            new String[]{"java/lang/ClassLoader", "getResource", "getResources", "getResourceAsStream",
                    "getSystemResource", "getSystemResources", "getSystemResourceAsStream", "resources"},
            new String[]{"java/lang/Module", "getResourceAsStream"});

    private ReflectionUse() {
    }

    /** The {@code targets} of the {@link RegisterForReflection} on {@code holder}; its string names are refused. */
    static Set<Class<?>> registeredTypes(Class<?> holder) {
        RegisterForReflection r = holder.getAnnotation(RegisterForReflection.class);
        if (r == null) {
            throw new IllegalArgumentException(holder.getName() + " carries no @RegisterForReflection");
        }
        if (r.classNames().length > 0) {
            throw new IllegalArgumentException(holder.getName() + " registers classes by name "
                    + Arrays.toString(r.classNames()) + ": use class literals (targets), which the compiler checks");
        }
        return Set.of(r.targets());
    }

    /** Whether the class file carries {@code @RegisterForReflection}. */
    static boolean registersForReflection(ClassNode node) {
        return annotations(node.visibleAnnotations, node.invisibleAnnotations).stream()
                .anyMatch(a -> a.desc.equals(Type.getDescriptor(RegisterForReflection.class)));
    }

    /** Types this class binds from or to JSON that are not registered (with their properties, recursively). */
    static List<String> unregisteredBindings(ClassNode node, ClassLoader loader, Set<Class<?>> registered) {
        List<String> out = new ArrayList<>();
        String where = CompiledClasses.javaName(node);
        Set<java.lang.reflect.Type> seen = new HashSet<>();
        if (hasJacksonAnnotation(node)) {
            requireRegistered(load(node.name, loader), where + " (it carries Jackson annotations)", registered,
                    seen, out);
        }
        Class<?> self = load(node.name, loader);
        for (java.lang.reflect.Type t : self.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p
                    && p.getRawType().getTypeName().equals("com.amazonaws.services.lambda.runtime.RequestHandler")) {
                for (java.lang.reflect.Type a : p.getActualTypeArguments()) {
                    requireRegistered(a, where + " (Lambda handler input/output)", registered, seen, out);
                }
            }
        }
        for (MethodNode m : node.methods) {
            List<MethodInsnNode> calls = calls(m, c -> c.owner.startsWith("com/fasterxml/jackson/")
                    && (BINDING_METHODS.contains(c.name) || c.name.equals("<init>") && c.owner.endsWith("/POJONode")));
            if (calls.isEmpty()) {
                continue;
            }
            Frame<BasicValue>[] types = analyze(node, m, verifier(loader));
            Frame<SourceValue>[] sources = analyze(node, m, new SourceInterpreter());
            for (MethodInsnNode call : calls) {
                int i = m.instructions.indexOf(call);
                if (types[i] == null) {
                    continue; // unreachable code
                }
                String site = where + "." + m.name + " → " + call.owner.substring(call.owner.lastIndexOf('/') + 1)
                        + "." + call.name;
                Type[] params = Type.getArgumentTypes(call.desc);
                int first = types[i].getStackSize() - params.length;
                for (int a = 0; a < params.length; a++) {
                    String param = params[a].getDescriptor();
                    if (param.equals("Ljava/lang/Class;")) {
                        Type literal = classLiteral(sources[i].getStack(first + a));
                        if (literal == null) {
                            out.add(site + " binds a Class that is not a class literal: use a literal of a "
                                    + "registered type (or a Jackson tree), so this check can see it");
                        } else {
                            requireRegistered(load(literal, loader), site, registered, seen, out);
                        }
                    } else if (param.equals("Lcom/fasterxml/jackson/core/type/TypeReference;")) {
                        Type ref = types[i].getStack(first + a).getType();
                        java.lang.reflect.Type generic = ref == null ? null
                                : load(ref, loader).getGenericSuperclass();
                        if (generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
                            requireRegistered(p.getActualTypeArguments()[0], site, registered, seen, out);
                        } else {
                            out.add(site + " binds a TypeReference whose type argument cannot be read");
                        }
                    } else if (param.equals("Ljava/lang/reflect/Type;")) {
                        out.add(site + " binds a java.lang.reflect.Type: use a class literal or a TypeReference");
                    } else if (param.equals("Ljava/lang/Object;")) {
                        Type value = types[i].getStack(first + a).getType();
                        if (value == null || value.getSort() != Type.OBJECT && value.getSort() != Type.ARRAY) {
                            continue; // null or a primitive
                        }
                        if (value.getInternalName().equals("null")) {
                            continue;
                        }
                        if (value.getInternalName().equals("java/lang/Object")) {
                            out.add(site + " binds a value whose static type is java.lang.Object: give it a "
                                    + "precise type (a Jackson tree, or a registered type) so this check can see it");
                        } else {
                            requireRegistered(load(value, loader), site, registered, seen, out);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Calls that look up classes, members or implementations reflectively or by name. */
    static List<String> reflectiveLookups(ClassNode node) {
        List<String> out = new ArrayList<>();
        for (MethodNode m : node.methods) {
            for (MethodInsnNode c : calls(m, c -> matches(REFLECTIVE_LOOKUPS, c))) {
                out.add(CompiledClasses.javaName(node) + "." + m.name + " calls " + c.owner.replace('/', '.') + "."
                        + c.name + ": a look-up the native image answers only for registered names; construct the "
                        + "class directly (XML: newDefaultInstance()), or register it and exempt the call here");
            }
        }
        return out;
    }

    /**
     * Resource names this class holds that the native image would not carry: a constant passed straight to a
     * resource-loading call, and any string constant that names a resource the application ships.
     *
     * @param shipped the resources of the application's class-path directory ({@code a/b.json})
     */
    static List<String> unregisteredResourceNames(ClassNode node, ResourceRegistry registry, Set<String> shipped) {
        List<String> out = new ArrayList<>();
        String where = CompiledClasses.javaName(node);
        Set<String> constants = new LinkedHashSet<>();
        for (FieldNode f : node.fields) {
            if (f.value instanceof String s) {
                constants.add(s);
            }
        }
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions) {
                if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
                    constants.add(s);
                }
            }
            List<MethodInsnNode> loads = calls(m, c -> matches(RESOURCE_LOADERS, c));
            if (loads.isEmpty()) {
                continue;
            }
            Frame<SourceValue>[] sources = analyze(node, m, new SourceInterpreter());
            for (MethodInsnNode call : loads) {
                int i = m.instructions.indexOf(call);
                if (sources[i] == null) {
                    continue;
                }
                int args = Type.getArgumentTypes(call.desc).length;
                int at = sources[i].getStackSize() - args;
                String name = stringConstant(sources[i].getStack(at));
                if (name == null) {
                    continue; // a name computed elsewhere: the constants it is made from are checked below
                }
                String resolved = resolve(call, name, at > 0 ? sources[i].getStack(at - 1) : null, node);
                if (!registry.carries(resolved)) {
                    out.add(where + "." + m.name + " loads the resource '" + resolved + "' by name, but "
                            + ResourceRegistry.INCLUDES + " in application.properties does not carry it");
                }
            }
        }
        for (String s : constants) {
            String resource = s.startsWith("/") ? s.substring(1) : s;
            if (shipped.contains(resource) && !registry.carries(resource)) {
                out.add(where + " names the shipped resource '" + resource + "', but " + ResourceRegistry.INCLUDES
                        + " in application.properties does not carry it into the native image");
            }
        }
        return out;
    }

    private static void requireRegistered(java.lang.reflect.Type type, String site, Set<Class<?>> registered,
                                          Set<java.lang.reflect.Type> seen, List<String> out) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof ParameterizedType p) {
            requireRegistered(p.getRawType(), site, registered, seen, out);
            for (java.lang.reflect.Type a : p.getActualTypeArguments()) {
                requireRegistered(a, site, registered, seen, out);
            }
            return;
        }
        if (type instanceof WildcardType w) {
            for (java.lang.reflect.Type b : w.getUpperBounds()) {
                requireRegistered(b, site, registered, seen, out);
            }
            return;
        }
        if (type instanceof GenericArrayType g) {
            requireRegistered(g.getGenericComponentType(), site, registered, seen, out);
            return;
        }
        if (!(type instanceof Class<?> c)) {
            return; // a type variable: its bound is whatever the caller binds, checked there
        }
        if (c.isArray()) {
            requireRegistered(c.getComponentType(), site, registered, seen, out);
            return;
        }
        if (c.isPrimitive() || TreeNode.class.isAssignableFrom(c) || c.getName().startsWith("java.")) {
            return;
        }
        if (!registered.contains(c)) {
            out.add(c.getName() + " is bound from or to JSON (" + site + ") but not registered for reflection: add it "
                    + "to the @RegisterForReflection targets in dev.edgeiam.lambda.ReflectionRegistrations, or use a "
                    + "Jackson tree");
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                requireRegistered(rc.getGenericType(), c.getName() + "." + rc.getName() + " of " + site, registered,
                        seen, out);
            }
        } else if (!c.isEnum() && !c.isInterface()) {
            for (Class<?> k = c; k != null && !k.getName().startsWith("java."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    int mod = f.getModifiers();
                    if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod) && !f.isSynthetic()) {
                        requireRegistered(f.getGenericType(), k.getName() + "." + f.getName() + " of " + site,
                                registered, seen, out);
                    }
                }
            }
        }
    }

    private static boolean hasJacksonAnnotation(ClassNode node) {
        List<AnnotationNode> all = new ArrayList<>(annotations(node.visibleAnnotations, node.invisibleAnnotations));
        for (FieldNode f : node.fields) {
            all.addAll(annotations(f.visibleAnnotations, f.invisibleAnnotations));
        }
        for (MethodNode m : node.methods) {
            all.addAll(annotations(m.visibleAnnotations, m.invisibleAnnotations));
            for (List<AnnotationNode>[] params : List.of(
                    m.visibleParameterAnnotations == null ? emptyParams() : m.visibleParameterAnnotations,
                    m.invisibleParameterAnnotations == null ? emptyParams() : m.invisibleParameterAnnotations)) {
                for (List<AnnotationNode> p : params) {
                    all.addAll(annotations(p, null));
                }
            }
        }
        if (node.recordComponents != null) {
            for (RecordComponentNode rc : node.recordComponents) {
                all.addAll(annotations(rc.visibleAnnotations, rc.invisibleAnnotations));
            }
        }
        return all.stream().anyMatch(a -> a.desc.startsWith("Lcom/fasterxml/jackson/annotation/")
                || a.desc.startsWith("Lcom/fasterxml/jackson/databind/annotation/"));
    }

    @SuppressWarnings("unchecked")
    private static List<AnnotationNode>[] emptyParams() {
        return new List[0];
    }

    private static List<AnnotationNode> annotations(List<AnnotationNode> a, List<AnnotationNode> b) {
        List<AnnotationNode> out = new ArrayList<>();
        if (a != null) {
            out.addAll(a);
        }
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    private static String resolve(MethodInsnNode call, String name, SourceValue receiver, ClassNode caller) {
        if (!call.owner.equals("java/lang/Class")) {
            return name;
        }
        if (name.startsWith("/")) {
            return name.substring(1);
        }
        // Class.getResource resolves a relative name against the package of the class it is called on.
        Type on = receiver == null ? null : classLiteral(receiver);
        String owner = on != null ? on.getInternalName() : caller.name;
        int slash = owner.lastIndexOf('/');
        return slash < 0 ? name : owner.substring(0, slash + 1) + name;
    }

    private static Type classLiteral(SourceValue v) {
        if (v.insns.size() == 1 && v.insns.iterator().next() instanceof LdcInsnNode ldc && ldc.cst instanceof Type t) {
            return t;
        }
        return null;
    }

    private static String stringConstant(SourceValue v) {
        if (v.insns.size() == 1 && v.insns.iterator().next() instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
            return s;
        }
        return null;
    }

    private static boolean matches(List<String[]> table, MethodInsnNode c) {
        for (String[] row : table) {
            if (row[0].equals(c.owner)) {
                for (int k = 1; k < row.length; k++) {
                    if (row[k].equals(c.name)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<MethodInsnNode> calls(MethodNode m, java.util.function.Predicate<MethodInsnNode> which) {
        List<MethodInsnNode> out = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode c && which.test(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static SimpleVerifier verifier(ClassLoader loader) {
        SimpleVerifier v = new SimpleVerifier();
        v.setClassLoader(loader);
        return v;
    }

    private static <V extends org.objectweb.asm.tree.analysis.Value> Frame<V>[] analyze(
            ClassNode node, MethodNode m, org.objectweb.asm.tree.analysis.Interpreter<V> interpreter) {
        try {
            return new Analyzer<>(interpreter).analyze(node.name, m);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot analyse " + node.name + "." + m.name + m.desc, e);
        }
    }

    private static Class<?> load(Type t, ClassLoader loader) {
        return load(t.getSort() == Type.ARRAY ? t.getDescriptor().replace('/', '.') : t.getInternalName(), loader);
    }

    private static Class<?> load(String internalName, ClassLoader loader) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + internalName, e);
        }
    }
}
