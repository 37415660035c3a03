package dev.edgeiam.policy.value;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests for the condition value parsers: {@link CidrBlock} against {@link BigInteger} bit masks,
 * {@link IamDate} against {@code java.time}, {@link IamNumber} against {@link BigDecimal}, plus base64 and
 * booleans. Seeded; reproduce with {@code -Dedgeiam.props.seed=N} and the case seed in a failure message.
 */
class ValueParsersPropertyTest {

    private static final long MASTER_SEED = Long.getLong("edgeiam.props.seed", 0x5EEDL);
    private static final int CASES = 5_000;

    private static long caseSeed(int property, int i) {
        long z = MASTER_SEED * 0x9E3779B97F4A7C15L + property * 0xBF58476D1CE4E5B9L + i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String where(long seed, String text) {
        return "seed=" + seed + " (master " + MASTER_SEED + ") text=\"" + text + "\"";
    }

    // ================================================================== CIDR

    /** Reference containment: equal under the top-{@code prefix}-bits mask, same family. */
    private static boolean refContains(byte[] block, int prefix, byte[] candidate) {
        if (block.length != candidate.length) {
            return false;
        }
        int bits = block.length * 8;
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger mask = all.shiftRight(bits - prefix).shiftLeft(bits - prefix);
        return new BigInteger(1, block).and(mask).equals(new BigInteger(1, candidate).and(mask));
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A candidate near the block: its address with a few random bits flipped, or a random address. */
    private static byte[] candidateNear(Random r, byte[] address) {
        if (r.nextInt(5) == 0) {
            return randomBytes(r, address.length);
        }
        byte[] c = address.clone();
        int flips = r.nextInt(3);
        for (int f = 0; f < flips; f++) {
            int bit = r.nextInt(c.length * 8);
            c[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        }
        return c;
    }

    private static String ipv4Text(byte[] a) {
        return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }

    @Test
    void ipv4BlocksParseAndContainLikeBitMasks() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(1, i);
            Random r = new Random(seed);
            byte[] address = randomBytes(r, 4);
            boolean withPrefix = r.nextInt(4) != 0;
            int prefix = withPrefix ? r.nextInt(33) : 32;
            String text = ipv4Text(address) + (withPrefix ? "/" + prefix : "");
            CidrBlock block = CidrBlock.parse(text);
            assertNotNull(block, where(seed, text));
            assertEquals(prefix, block.prefixLength(), where(seed, text));
            assertEquals(false, block.isIpv6(), where(seed, text));
            assertArrayEquals(address, CidrBlock.parseAddress(ipv4Text(address)), where(seed, text));
            for (int k = 0; k < 4; k++) {
                byte[] candidate = candidateNear(r, address);
                assertEquals(refContains(address, prefix, candidate), block.contains(candidate),
                        where(seed, text) + " candidate=" + ipv4Text(candidate));
                int otherPrefix = r.nextInt(33);
                CidrBlock other = CidrBlock.parse(ipv4Text(candidate) + "/" + otherPrefix);
                assertEquals(otherPrefix >= prefix && refContains(address, prefix, candidate),
                        block.containsBlock(other), where(seed, text) + " other=" + ipv4Text(candidate) + "/" + otherPrefix);
            }
            assertEquals(false, block.contains(randomBytes(r, 16)), "an IPv6 address is never in an IPv4 block");
        }
    }

    /** Groups biased towards zero runs, so that "::" compression has something to compress. */
    private static int[] randomGroups(Random r) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = r.nextInt(3) == 0 ? 0 : r.nextInt(4) == 0 ? r.nextInt(16) : r.nextInt(0x10000);
        }
        if (r.nextInt(3) == 0) {
            int from = r.nextInt(8);
            int to = from + r.nextInt(8 - from) + 1;
            for (int k = from; k < to; k++) {
                g[k] = 0;
            }
        }
        return g;
    }

    private static byte[] bytesOf(int[] groups) {
        byte[] b = new byte[16];
        for (int k = 0; k < 8; k++) {
            b[2 * k] = (byte) (groups[k] >>> 8);
            b[2 * k + 1] = (byte) groups[k];
        }
        return b;
    }

    private static String hexGroup(Random r, int value, int casing) {
        String h = Integer.toHexString(value);
        if (r.nextInt(4) == 0) {
            h = "0".repeat(4 - h.length()) + h; // zero-padded groups are valid too
        }
        return switch (casing) {
            case 0 -> h;
            case 1 -> h.toUpperCase(Locale.ROOT);
            default -> {
                StringBuilder sb = new StringBuilder(h);
                for (int j = 0; j < sb.length(); j++) {
                    if (r.nextBoolean()) {
                        sb.setCharAt(j, Character.toUpperCase(sb.charAt(j)));
                    }
                }
                yield sb.toString();
            }
        };
    }

    /**
     * One of the many text forms of an IPv6 address: full or with one run of zero groups (any run, not just the
     * longest) written "::", any letter case, and optionally the last 32 bits as a dotted IPv4 tail.
     */
    private static String ipv6Text(Random r, int[] groups) {
        boolean v4Tail = r.nextInt(4) == 0;
        int hexGroups = v4Tail ? 6 : 8;
        int casing = r.nextInt(3);
        List<Integer> zeroRunStarts = new ArrayList<>();
        for (int k = 0; k < hexGroups; k++) {
            if (groups[k] == 0) {
                zeroRunStarts.add(k);
            }
        }
        int runFrom = -1;
        int runTo = -1;
        if (!zeroRunStarts.isEmpty() && r.nextInt(4) != 0) {
            runFrom = zeroRunStarts.get(r.nextInt(zeroRunStarts.size()));
            runTo = runFrom;
            int maxLen = 1 + r.nextInt(8);
            while (runTo + 1 < hexGroups && groups[runTo + 1] == 0 && runTo + 1 - runFrom < maxLen) {
                runTo++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < hexGroups; k++) {
            if (k == runFrom) {
                sb.append("::");
                k = runTo;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(hexGroup(r, groups[k], casing));
        }
        if (v4Tail) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(groups[6] >>> 8).append('.').append(groups[6] & 0xFF).append('.')
                    .append(groups[7] >>> 8).append('.').append(groups[7] & 0xFF);
        }
        return sb.toString();
    }

    @Test
    void ipv6BlocksParseAndContainLikeBitMasks() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(2, i);
            Random r = new Random(seed);
            int[] groups = randomGroups(r);
            if (r.nextInt(6) == 0) { // IPv4-mapped ::ffff:a.b.c.d
                for (int k = 0; k < 5; k++) {
                    groups[k] = 0;
                }
                groups[5] = 0xFFFF;
            }
            byte[] address = bytesOf(groups);
            String addressText = ipv6Text(r, groups);
            boolean withPrefix = r.nextInt(4) != 0;
            int prefix = withPrefix ? r.nextInt(129) : 128;
            String text = addressText + (withPrefix ? "/" + prefix : "");
            CidrBlock block = CidrBlock.parse(text);
            assertNotNull(block, where(seed, text));
            assertTrue(block.isIpv6(), where(seed, text));
            assertEquals(prefix, block.prefixLength(), where(seed, text));
            assertArrayEquals(address, CidrBlock.parseAddress(addressText), where(seed, text));
            for (int k = 0; k < 4; k++) {
                byte[] candidate = candidateNear(r, address);
                assertEquals(refContains(address, prefix, candidate), block.contains(candidate),
                        where(seed, text) + " candidate=" + new BigInteger(1, candidate).toString(16));
            }
            assertEquals(false, block.contains(randomBytes(r, 4)), "an IPv4 address is never in an IPv6 block");
        }
    }

    private static final String[] JUNK = {" ", "\t", "x", ".", ":", "/", "-", "+", "\u0663", "\uFF11", "g", "%eth0"};

    /** Every valid text, spoiled in a way that must be refused. */
    @Test
    void invalidAddressFormsAreRejected() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(3, i);
            Random r = new Random(seed);
            boolean v6 = r.nextBoolean();
            String address = v6 ? ipv6Text(r, randomGroups(r)) : ipv4Text(randomBytes(r, 4));
            int max = v6 ? 128 : 32;
            String bad = switch (r.nextInt(8)) {
                case 0 -> JUNK[r.nextInt(JUNK.length)] + address;                     // leading junk
                case 1 -> address + JUNK[r.nextInt(JUNK.length)];                     // trailing junk
                case 2 -> address + "/" + (max + 1 + r.nextInt(900));                  // prefix too long
                case 3 -> address + "/" + JUNK[r.nextInt(JUNK.length)];                // bad prefix
                case 4 -> nonAsciiDigit(r, address);                                   // '٣' for '3'
                case 5 -> address + "/" + max + JUNK[r.nextInt(JUNK.length)];          // junk after prefix
                case 6 -> v6 ? tooManyGroups(r) : ipv4Text(randomBytes(r, 4)) + "." + r.nextInt(256);
                default -> v6 ? address + "::" + (address.contains("::") ? "" : "1:2:3:4:5:6:7:8")
                        : (256 + r.nextInt(700)) + address.substring(address.indexOf('.'));
            };
            if (bad == null) {
                continue;
            }
            assertNull(CidrBlock.parse(bad), "accepted " + where(seed, bad));
        }
    }

    private static String nonAsciiDigit(Random r, String text) {
        List<Integer> digits = new ArrayList<>();
        for (int k = 0; k < text.length(); k++) {
            if (Character.isDigit(text.charAt(k))) {
                digits.add(k);
            }
        }
        if (digits.isEmpty()) {
            return text + "\u0663";
        }
        int at = digits.get(r.nextInt(digits.size()));
        char base = r.nextBoolean() ? '\u0660' : '\uFF10'; // ARABIC-INDIC or FULLWIDTH digits
        return text.substring(0, at) + (char) (base + (text.charAt(at) - '0')) + text.substring(at + 1);
    }

    private static String tooManyGroups(Random r) {
        int n = 9 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) {
            sb.append(k == 0 ? "" : ":").append(Integer.toHexString(r.nextInt(0x10000)));
        }
        return sb.toString();
    }

    @Test
    void cidrExamples() {
        assertNotNull(CidrBlock.parse("2001:DB8:1234:5678::/64"));
        assertNotNull(CidrBlock.parse("::"));
        assertNotNull(CidrBlock.parse("::ffff:203.0.113.7"));
        assertNotNull(CidrBlock.parse("1:2:3:4:5:6:7::")); // "::" standing for a single zero group
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.4/33", "::/129", ":::",
                "1::2::3", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:8:9", "12345::", "1.2.3.4::", ":1:2:3:4:5:6:7",
                "1:2:3:4:5:6:7:", "1:2:3:4:5:6::1.2.3.4", "::1.2.3", "1.2.3.\u0663", "1.2.3.4/", "1.2.3.4/ 8",
                "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/-1", "localhost", "1.2.3.4/8/8"}) {
            assertNull(CidrBlock.parse(bad), "accepted \"" + bad + "\"");
        }
    }

    // ================================================================== dates

    private static final ZoneOffset[] OFFSETS = {ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHours(-8),
            ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHoursMinutes(-3, -30), ZoneOffset.ofHoursMinutes(14, 0),
            ZoneOffset.ofHoursMinutes(-12, 0), ZoneOffset.ofHoursMinutes(0, 45), ZoneOffset.ofHoursMinutes(-9, -59)};

    private static long micros(OffsetDateTime t) {
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }

    private static String tzd(ZoneOffset o, Random r) {
        if (o.getTotalSeconds() == 0 && r.nextBoolean()) {
            return "Z";
        }
        int s = o.getTotalSeconds();
        int abs = Math.abs(s);
        return (s < 0 ? "-" : "+") + two(abs / 3600) + ":" + two(abs / 60 % 60);
    }

    /** Random instants, formatted in every accepted ISO form, parse to what java.time computes. */
    @Test
    void isoDatesParseLikeJavaTime() {
        long min = LocalDate.of(1, 1, 1).toEpochDay();
        long max = LocalDate.of(9999, 12, 31).toEpochDay();
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(4, i);
            Random r = new Random(seed);
            LocalDate day = LocalDate.ofEpochDay(r.nextInt(5) == 0 ? min + (long) (r.nextDouble() * (max - min))
                    : LocalDate.of(1960, 1, 1).toEpochDay() + r.nextInt(100 * 366));
            if (r.nextInt(20) == 0) {
                int leapish = 4 * (1 + r.nextInt(2499));
                day = LocalDate.of(leapish, 2, java.time.Year.isLeap(leapish) ? 29 : 28); // leap days
            }
            LocalDateTime local = day.atTime(r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000_000));
            ZoneOffset offset = OFFSETS[r.nextInt(OFFSETS.length)];
            OffsetDateTime t = OffsetDateTime.of(local, offset);
            String date = String.format(Locale.ROOT, "%04d-%s-%s", day.getYear(), two(day.getMonthValue()),
                    two(day.getDayOfMonth()));
            String hm = "T" + two(local.getHour()) + ":" + two(local.getMinute());
            String tz = tzd(offset, r);
            int fractionDigits = 1 + r.nextInt(9);
            String nanos = String.format(Locale.ROOT, "%09d", local.getNano());
            String fraction = nanos.substring(0, fractionDigits);
            OffsetDateTime fractionTruncated = t.withNano(Integer.parseInt(
                    fraction + "0".repeat(9 - fractionDigits)));

            check(seed, String.format(Locale.ROOT, "%04d", day.getYear()),
                    micros(LocalDate.of(day.getYear(), 1, 1).atStartOfDay().atOffset(ZoneOffset.UTC)));
            check(seed, date.substring(0, 7),
                    micros(LocalDate.of(day.getYear(), day.getMonthValue(), 1).atStartOfDay().atOffset(ZoneOffset.UTC)));
            check(seed, date, micros(day.atStartOfDay().atOffset(ZoneOffset.UTC)));
            check(seed, date + hm + tz, micros(t.truncatedTo(ChronoUnit.MINUTES)));
            check(seed, date + hm + ":" + two(local.getSecond()) + tz, micros(t.truncatedTo(ChronoUnit.SECONDS)));
            check(seed, date + hm + ":" + two(local.getSecond()) + "." + fraction + tz, micros(fractionTruncated));
        }
    }

    private static void check(long seed, String text, long expectedMicros) {
        assertEquals(expectedMicros, IamDate.parseMicros(text), where(seed, text));
    }

    /** Epoch seconds (sign, up to six fraction digits) parse to the same micros as exact decimal arithmetic. */
    @Test
    void epochSecondsParseExactly() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(5, i);
            Random r = new Random(seed);
            long seconds = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(100);
                case 1 -> 1_500_000_000L + r.nextInt(500_000_000);
                default -> (long) (r.nextDouble() * 250_000_000_000L);
            };
            boolean negative = r.nextInt(5) == 0;
            String sign = negative ? "-" : r.nextInt(8) == 0 ? "+" : "";
            String text = sign + seconds;
            if (r.nextBoolean()) {
                int digits = r.nextInt(7);
                StringBuilder f = new StringBuilder();
                for (int k = 0; k < digits; k++) {
                    f.append((char) ('0' + r.nextInt(10)));
                }
                text = text + "." + f;
            }
            if (sign.isEmpty() && text.length() == 4) {
                continue; // four digits alone are a year (documented choice), checked below
            }
            long expected = new BigDecimal(text).movePointRight(6).longValueExact();
            java.time.Instant instant = java.time.Instant.EPOCH.plus(expected, ChronoUnit.MICROS);
            assertEquals(expected, IamDate.parseMicros(text), where(seed, text) + " = " + instant);
        }
        assertEquals(micros(OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)), IamDate.parseMicros("2025"));
        assertEquals(1_700_000_000_000_000L, IamDate.parseMicros("1700000000"));
    }

    /** Impossible calendar dates and malformed times are refused, whatever the surrounding form. */
    @Test
    void invalidDatesAreRejected() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(6, i);
            Random r = new Random(seed);
            int year = 1 + r.nextInt(9999);
            while (java.time.Year.isLeap(year)) {
                year = year % 9999 + 1;
            }
            String y = String.format(Locale.ROOT, "%04d", year);
            String tz = r.nextBoolean() ? "Z" : "+01:00";
            String time = "T" + two(r.nextInt(24)) + ":" + two(r.nextInt(60));
            String good = y + "-" + two(1 + r.nextInt(12)) + "-" + two(1 + r.nextInt(28));
            String bad = switch (r.nextInt(14)) {
                case 0 -> y + "-02-29" + (r.nextBoolean() ? "" : time + tz);
                case 1 -> y + "-" + two(new int[] {4, 6, 9, 11}[r.nextInt(4)]) + "-31";
                case 2 -> y + "-" + two(13 + r.nextInt(87)) + (r.nextBoolean() ? "" : "-01");
                case 3 -> y + "-00-01";
                case 4 -> y + "-01-00";
                case 5 -> good + "T" + (24 + r.nextInt(76)) + ":00" + tz;
                case 6 -> good + "T10:" + (60 + r.nextInt(40)) + tz;
                case 7 -> good + time + (r.nextBoolean() ? "" : ":" + two(r.nextInt(60)));     // missing TZD
                case 8 -> good + time + ":" + two(r.nextInt(60)) + "." + (r.nextBoolean() ? "" : "5"); // no TZD / empty
                case 9 -> good + time + (r.nextBoolean() ? "+0100" : "z");
                case 10 -> good + (r.nextBoolean() ? " " : "t") + time.substring(1) + tz;
                case 11 -> good + time + tz + JUNK[r.nextInt(JUNK.length)];
                case 12 -> JUNK[r.nextInt(JUNK.length)] + good;
                default -> nonAsciiDigit(r, good + time + tz);
            };
            assertEquals(IamDate.INVALID, IamDate.parseMicros(bad), "accepted " + where(seed, bad));
        }
        for (String bad : new String[] {"", "-", "+", ".", "1e9", "0x10", "2025-1-1", "25-01-01", "2025/01/01",
                "2025-01-01T10:00", "2025-01-01T10Z", "2025-01-01T10:00:00", "2025-01-01T10:00:00.Z",
                "NaN", "2025-02-29", "2024-02-30", "2025-13-01", "2025-01-01T24:00Z", "2025-01-01T23:60Z"}) {
            assertEquals(IamDate.INVALID, IamDate.parseMicros(bad), "accepted \"" + bad + "\"");
        }
    }

    // ================================================================== numbers

    @Test
    void decimalsRoundTrip() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(7, i);
            Random r = new Random(seed);
            BigInteger unscaled = new BigInteger(1 + r.nextInt(100), r);
            if (r.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            BigDecimal value = new BigDecimal(unscaled, r.nextInt(12));
            String text = value.toPlainString();
            if (r.nextInt(6) == 0 && value.signum() >= 0) {
                text = "+" + text;
            }
            if (r.nextInt(6) == 0 && text.indexOf('.') >= 0) {
                text = text + "0".repeat(r.nextInt(3)); // trailing zeros keep the value
            }
            if (text.length() > 64) {
                assertNull(IamNumber.parse(text), "over 64 characters is refused: " + where(seed, text));
                continue;
            }
            BigDecimal parsed = IamNumber.parse(text);
            assertNotNull(parsed, where(seed, text));
            assertEquals(0, value.compareTo(parsed), where(seed, text) + " parsed " + parsed);
        }
    }

    /** Junk that can never be part of a decimal ('+', '-' and '.' can, so they are not here). */
    private static final String[] NUMBER_JUNK = {" ", "\t", "x", ":", "/", "\u0663", "\uFF11", "e", "%", ",", "_"};

    @Test
    void nonDecimalNumbersAreRejected() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(8, i);
            Random r = new Random(seed);
            String digits = Long.toString(Math.abs(r.nextLong() % 1_000_000)) ;
            String bad = switch (r.nextInt(9)) {
                case 0 -> digits + (r.nextBoolean() ? "e" : "E") + (r.nextBoolean() ? "-" : "") + r.nextInt(20);
                case 1 -> "0x" + Integer.toHexString(r.nextInt());
                case 2 -> new String[] {"NaN", "Infinity", "-Infinity", "+Infinity", "inf", "nan"}[r.nextInt(6)];
                case 3 -> digits + "." + digits + "." + digits;
                case 4 -> NUMBER_JUNK[r.nextInt(NUMBER_JUNK.length)] + digits;
                case 5 -> digits + NUMBER_JUNK[r.nextInt(NUMBER_JUNK.length)];
                case 6 -> nonAsciiDigit(r, digits);
                case 7 -> (r.nextBoolean() ? "--" : "+-") + digits;
                default -> digits.substring(0, 1) + "_" + digits;
            };
            assertNull(IamNumber.parse(bad), "accepted " + where(seed, bad));
        }
        for (String bad : new String[] {"", "+", "-", ".", "+.", "-.", "1d", "1f", "1L", "0b1", "1,5"}) {
            assertNull(IamNumber.parse(bad), "accepted \"" + bad + "\"");
        }
    }

    // ================================================================== binary and boolean

    @Test
    void base64RoundTripsAndJunkIsRejected() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(9, i);
            Random r = new Random(seed);
            byte[] bytes = randomBytes(r, r.nextInt(40));
            String text = Base64.getEncoder().encodeToString(bytes);
            assertArrayEquals(bytes, IamBinary.parse(text), where(seed, text));
            String bad = text + (r.nextBoolean() ? "!" : "\u0663");
            assertNull(IamBinary.parse(bad), "accepted " + where(seed, bad));
        }
    }

    @Test
    void booleansIgnoreCase() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(10, i);
            Random r = new Random(seed);
            boolean value = r.nextBoolean();
            StringBuilder sb = new StringBuilder(Boolean.toString(value));
            for (int k = 0; k < sb.length(); k++) {
                if (r.nextBoolean()) {
                    sb.setCharAt(k, Character.toUpperCase(sb.charAt(k)));
                }
            }
            assertEquals(value, IamBoolean.parse(sb.toString()), where(seed, sb.toString()));
            assertNull(IamBoolean.parse(sb + "x"));
            assertNull(IamBoolean.parse(" " + sb));
        }
    }
}
