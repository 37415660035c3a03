package dev.edgeiam.request;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map from names to values in one array of pairs, in the order given: for the few members of an event
 * object (headers, query parameters), made once per request and read a few times. Look-ups scan the pairs (there are
 * at most a few dozen); it equals, and hashes like, any other map with the same entries ({@link AbstractMap}). Names
 * and values are never null and names are distinct, checked when made. Being immutable, it is kept as it is where a
 * copy would otherwise be made ({@code Map.copyOf} copies every map but its own).
 *
 * <p>A value may be given {@linkplain Deferred deferred}: it is made when it is first read (by {@link #value},
 * {@link #get}, iteration, equality), so a value the request never reads — a bearer token whose verification is
 * remembered by its digest — is never copied out of the event. Whoever reads the map sees only made values.
 *
 * @param <V> value type
 */
public final class NameMap<V> extends AbstractMap<String, V> {

    /**
     * A value made when it is first read. {@link #made()} must return a non-null, immutable value, the same (equal)
     * value every time; the map keeps the first one it gets.
     *
     * @param <V> the value's type
     */
    public interface Deferred<V> {
        V made();
    }

    private static final NameMap<?> EMPTY = new NameMap<>(new Object[0]);

    /** name 0, value 0, name 1, value 1, ... */
    private final Object[] pairs;

    private NameMap(Object[] pairs) {
        this.pairs = pairs;
    }

    /**
     * The map of {@code count} pairs {@code pairs[0], pairs[1], ..., pairs[2 * count - 1]} (name, value, ...), copied.
     *
     * @throws IllegalArgumentException if a name repeats
     * @throws NullPointerException     if a name or value is null
     */
    public static <V> NameMap<V> of(Object[] pairs, int count) {
        return checked(java.util.Arrays.copyOf(pairs, 2 * count));
    }

    /** The map of the pairs in {@code pairs} (name, value, name, value, ...), as {@link #of(Object[], int)}. */
    public static <V> NameMap<V> of(java.util.List<?> pairs) {
        Object[] copy = new Object[pairs.size() / 2 * 2];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = pairs.get(i);
        }
        return checked(copy);
    }

    /** A map over {@code pairs}, a fresh array no one else holds, once its names and values are checked. */
    private static <V> NameMap<V> checked(Object[] pairs) {
        if (pairs.length == 0) {
            @SuppressWarnings("unchecked")
            NameMap<V> empty = (NameMap<V>) EMPTY;
            return empty;
        }
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) Objects.requireNonNull(pairs[i], "name");
            Objects.requireNonNull(pairs[i + 1], "value");
            for (int j = 0; j < i; j += 2) {
                if (pairs[j].equals(name)) {
                    throw new IllegalArgumentException("repeated name: " + name);
                }
            }
        }
        return new NameMap<>(pairs);
    }

    @Override
    public int size() {
        return pairs.length / 2;
    }

    @Override
    public boolean isEmpty() {
        return pairs.length == 0;
    }

    /** The name of the {@code i}th pair. */
    public String name(int i) {
        return (String) pairs[2 * i];
    }

    /** The value of the {@code i}th pair (made, if it was given deferred). */
    public V value(int i) {
        return made(2 * i + 1);
    }

    /**
     * The value of the {@code i}th pair as held: a {@link Deferred} not made yet, or the value. For a reader that can
     * use a deferred value without making it (a credential's digest taken from the event's bytes).
     */
    public Object held(int i) {
        return pairs[2 * i + 1];
    }

    /** The value named {@code name} as held ({@link #held(int)}), or null. */
    public Object held(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[i + 1];
    }

    /**
     * The value at {@code pairs[at]}, made and kept in its place if it is deferred. Two threads may both make it;
     * either value is equal and immutable, so whichever is kept reads the same.
     */
    @SuppressWarnings("unchecked")
    private V made(int at) {
        Object v = pairs[at];
        if (v instanceof Deferred<?> deferred) {
            v = Objects.requireNonNull(deferred.made(), "made");
            pairs[at] = v;
        }
        return (V) v;
    }

    private int indexOf(Object name) {
        if (name == null) {
            return -1;
        }
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public V get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : made(i + 1);
    }

    @Override
    public V getOrDefault(Object name, V fallback) {
        V v = get(name);
        return v == null ? fallback : v;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super V> action) {
        for (int i = 0; i < size(); i++) {
            action.accept(name(i), value(i));
        }
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return NameMap.this.size();
            }

            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < NameMap.this.size();
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(name(i), value(i));
                    }
                };
            }
        };
    }
}
