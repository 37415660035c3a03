package dev.edgeiam.request;

import dev.edgeiam.policy.value.CidrBlock;
import dev.edgeiam.policy.value.IamBinary;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;

import java.math.BigDecimal;
import java.util.List;

/**
 * The value(s) of one request context key, exactly as given, plus typed views parsed at most once per request
 * (so repeated conditions on the same key do not re-parse). A value that cannot be read as the type an
 * operator needs simply does not match that operator.
 *
 * <p>Thread-safety: the typed views are computed lazily; a race computes the same immutable result twice,
 * which is harmless.
 */
public final class ContextValue {

    private final String name;
    /** {@link #name} IAM-folded ({@link IamNames#fold}), once: the same value is put into many request contexts. */
    private final String foldedName;
    private final List<String> values;
    private final boolean multivalued;
    private final ContextKeyType type;

    private BigDecimal[] numbers;
    private long[] dates;
    private Boolean[] booleans;
    private byte[][] binaries;
    private CidrBlock[] addresses;

    public ContextValue(String name, List<String> values, boolean multivalued, ContextKeyType type) {
        this.name = name;
        this.foldedName = name == null ? null : IamNames.fold(name);
        this.values = List.copyOf(values);
        this.multivalued = multivalued;
        this.type = type;
    }

    public static ContextValue single(String name, String value) {
        return new ContextValue(name, List.of(value), false, ContextKeyType.STRING);
    }

    public static ContextValue multi(String name, List<String> values) {
        return new ContextValue(name, values, true, ContextKeyType.STRING_LIST);
    }

    /** The key name as the caller spelled it. */
    public String name() {
        return name;
    }

    /** The key name with A–Z lower-cased ({@link IamNames#fold}): how IAM compares key names. */
    public String foldedName() {
        return foldedName;
    }

    public List<String> values() {
        return values;
    }

    public int size() {
        return values.size();
    }

    public String value(int i) {
        return values.get(i);
    }

    /** Whether the key is multivalued (a {@code ...List} type or given as an array). */
    public boolean multivalued() {
        return multivalued;
    }

    public ContextKeyType type() {
        return type;
    }

    public BigDecimal number(int i) {
        BigDecimal[] n = numbers;
        if (n == null) {
            n = new BigDecimal[values.size()];
            for (int j = 0; j < n.length; j++) {
                n[j] = IamNumber.parse(values.get(j));
            }
            numbers = n;
        }
        return n[i];
    }

    /** Epoch microseconds, or {@link IamDate#INVALID}. */
    public long date(int i) {
        long[] d = dates;
        if (d == null) {
            d = new long[values.size()];
            for (int j = 0; j < d.length; j++) {
                d[j] = IamDate.parseMicros(values.get(j));
            }
            dates = d;
        }
        return d[i];
    }

    public Boolean bool(int i) {
        Boolean[] b = booleans;
        if (b == null) {
            b = new Boolean[values.size()];
            for (int j = 0; j < b.length; j++) {
                b[j] = IamBoolean.parse(values.get(j));
            }
            booleans = b;
        }
        return b[i];
    }

    /** The decoded bytes of a binary value (given base64-encoded, as the simulator takes it), or null. */
    public byte[] binary(int i) {
        byte[][] b = binaries;
        if (b == null) {
            b = new byte[values.size()][];
            for (int j = 0; j < b.length; j++) {
                b[j] = IamBinary.parse(values.get(j));
            }
            binaries = b;
        }
        return b[i];
    }

    /** The address (or block) of an IP value, or null. */
    public CidrBlock address(int i) {
        CidrBlock[] a = addresses;
        if (a == null) {
            a = new CidrBlock[values.size()];
            for (int j = 0; j < a.length; j++) {
                a[j] = CidrBlock.parse(values.get(j));
            }
            addresses = a;
        }
        return a[i];
    }

    @Override
    public String toString() {
        return name + "=" + (multivalued ? values.toString() : values.isEmpty() ? "" : values.get(0));
    }
}
