package dev.edgeiam.policy.value;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block, as IAM's {@code IpAddress}/{@code NotIpAddress} take them ([Ops]):
 * {@code 203.0.113.0/24}, {@code 2001:DB8:1234:5678::/64}. An address without a prefix length is a single
 * host: {@code /32} as documented for IPv4, and {@code /128} for IPv6 (AWS is silent; a single host is the
 * reading that grants least). Host bits below the prefix are ignored, as CIDR notation means.
 *
 * <p>Parsed by hand from literal text only — never through {@code InetAddress}, which may resolve names.
 */
public final class CidrBlock {

    private final byte[] address;
    private final int prefix;

    private CidrBlock(byte[] address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    public int prefixLength() {
        return prefix;
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    /** Parses {@code address[/prefix]}; null when the text is not a valid block. */
    public static CidrBlock parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        String addressText = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addressText = text.substring(0, slash);
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3) {
                return null;
            }
            prefix = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                prefix = prefix * 10 + (c - '0');
            }
        }
        byte[] bytes = addressText.indexOf(':') >= 0 ? parseIpv6(addressText) : parseIpv4(addressText);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        if (prefix == -1) {
            prefix = max;
        } else if (prefix > max) {
            return null;
        }
        return new CidrBlock(bytes, prefix);
    }

    /** Parses a single address (no prefix); null when invalid. */
    public static byte[] parseAddress(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    }

    /** Whether the given address (4 or 16 bytes) lies in this block; addresses of the other family never do. */
    public boolean contains(byte[] candidate) {
        if (candidate == null || candidate.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (address[full] & mask);
    }

    /** Whether the given block lies wholly inside this one. */
    public boolean containsBlock(CidrBlock other) {
        return other.address.length == address.length && other.prefix >= prefix && contains(other.address);
    }

    static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    static byte[] parseIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int headCount;
        int tailCount = 0;
        byte[] v4 = null;
        String left = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String right = doubleColon >= 0 ? s.substring(doubleColon + 2) : null;
        int[] counts = new int[1];
        String[] v4Holder = new String[1];
        if (!groups(left, head, counts, right == null ? v4Holder : null)) {
            return null;
        }
        headCount = counts[0];
        if (right != null) {
            counts[0] = 0;
            if (!groups(right, tail, counts, v4Holder)) {
                return null;
            }
            tailCount = counts[0];
        }
        if (v4Holder[0] != null) {
            v4 = parseIpv4(v4Holder[0]);
            if (v4 == null) {
                return null;
            }
        }
        int groupsNeeded = v4 == null ? 8 : 6;
        int total = headCount + tailCount;
        if (doubleColon < 0 ? total != groupsNeeded : total >= groupsNeeded) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < headCount; i++) {
            out[2 * i] = (byte) (head[i] >> 8);
            out[2 * i + 1] = (byte) head[i];
        }
        int tailStart = groupsNeeded - tailCount;
        for (int i = 0; i < tailCount; i++) {
            out[2 * (tailStart + i)] = (byte) (tail[i] >> 8);
            out[2 * (tailStart + i) + 1] = (byte) tail[i];
        }
        if (v4 != null) {
            System.arraycopy(v4, 0, out, 12, 4);
        }
        return out;
    }

    /** Splits colon-separated hex groups; the last one may be a dotted IPv4 tail when {@code v4} is given. */
    private static boolean groups(String s, int[] into, int[] count, String[] v4) {
        if (s.isEmpty()) {
            return true;
        }
        int start = 0;
        while (true) {
            int colon = s.indexOf(':', start);
            int end = colon < 0 ? s.length() : colon;
            String g = s.substring(start, end);
            if (colon < 0 && v4 != null && g.indexOf('.') >= 0) {
                v4[0] = g;
                return true;
            }
            if (g.isEmpty() || g.length() > 4 || count[0] >= 8) {
                return false;
            }
            int value = 0;
            for (int i = 0; i < g.length(); i++) {
                int d = hexDigit(g.charAt(i));
                if (d < 0) {
                    return false;
                }
                value = value * 16 + d;
            }
            into[count[0]++] = value;
            if (colon < 0) {
                return true;
            }
            start = colon + 1;
        }
    }

    /** ASCII hex only: {@code Character.digit} would also accept non-ASCII digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefix == prefix && Arrays.equals(c.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefix;
    }
}
