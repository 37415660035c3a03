package dev.edgeiam.policy.value;

/**
 * Parses the date forms IAM's {@code Date*} operators accept ([Ops]): the W3C profile of ISO 8601
 * ({@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mmTZD}, {@code YYYY-MM-DDThh:mm:ssTZD},
 * {@code YYYY-MM-DDThh:mm:ss.sTZD}, TZD = {@code Z} or {@code ±hh:mm}) or epoch seconds (optionally with a
 * fraction). Result: microseconds since the epoch, UTC.
 *
 * <p>Choices where AWS is silent: exactly four digits is read as a year (the ISO form), never as epoch
 * seconds; date-only and year forms mean midnight UTC at the start of that period; precision below a
 * microsecond is truncated. Hand-written, allocation-free, and total: it never throws.
 */
public final class IamDate {

    /** Returned when the text is not a date IAM accepts. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    /** Bound on epoch-second magnitude (year ±10000) so arithmetic cannot overflow. */
    private static final long MAX_EPOCH_SECONDS = 320_000_000_000L;

    private IamDate() {
    }

    public static boolean isValid(String text) {
        return parseMicros(text) != INVALID;
    }

    public static long parseMicros(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return INVALID;
        }
        if (text.length() == 4 && allDigits(text, 0, 4)) {
            return civilToMicros(digits(text, 0, 4), 1, 1, 0, 0, 0, 0, 0);
        }
        if (looksLikeEpoch(text)) {
            return epochMicros(text);
        }
        return isoMicros(text);
    }

    private static boolean looksLikeEpoch(String text) {
        int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        if (i >= text.length()) {
            return false;
        }
        boolean digit = false;
        boolean dot = false;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digit;
    }

    private static long epochMicros(String text) {
        boolean negative = text.charAt(0) == '-';
        int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        long seconds = 0;
        int intDigits = 0;
        for (; i < text.length() && text.charAt(i) != '.'; i++) {
            seconds = seconds * 10 + (text.charAt(i) - '0');
            if (++intDigits > 13 || seconds > MAX_EPOCH_SECONDS) {
                return INVALID;
            }
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < text.length()) {
            i++; // '.'
            if (i == text.length() && intDigits == 0) {
                return INVALID;
            }
            for (; i < text.length(); i++) {
                if (fractionDigits < 6) {
                    fraction = fraction * 10 + (text.charAt(i) - '0');
                    fractionDigits++;
                }
            }
        }
        while (fractionDigits++ < 6) {
            fraction *= 10;
        }
        long micros = seconds * MICROS_PER_SECOND + fraction;
        return negative ? -micros : micros;
    }

    private static long isoMicros(String s) {
        int n = s.length();
        // YYYY-MM or YYYY-MM-DD...
        if (n < 7 || !allDigits(s, 0, 4) || s.charAt(4) != '-' || !allDigits(s, 5, 7)) {
            return INVALID;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        if (month < 1 || month > 12) {
            return INVALID;
        }
        if (n == 7) {
            return civilToMicros(year, month, 1, 0, 0, 0, 0, 0);
        }
        if (n < 10 || s.charAt(7) != '-' || !allDigits(s, 8, 10)) {
            return INVALID;
        }
        int day = digits(s, 8, 10);
        if (day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        if (n == 10) {
            return civilToMicros(year, month, day, 0, 0, 0, 0, 0);
        }
        // Thh:mm
        if (n < 16 || s.charAt(10) != 'T' || !allDigits(s, 11, 13) || s.charAt(13) != ':' || !allDigits(s, 14, 16)) {
            return INVALID;
        }
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = 0;
        long micro = 0;
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            if (n < i + 3 || !allDigits(s, i + 1, i + 3)) {
                return INVALID;
            }
            second = digits(s, i + 1, i + 3);
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int start = i;
                int counted = 0;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    if (counted < 6) {
                        micro = micro * 10 + (s.charAt(i) - '0');
                        counted++;
                    }
                    i++;
                }
                if (i == start) {
                    return INVALID;
                }
                while (counted++ < 6) {
                    micro *= 10;
                }
            }
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return INVALID;
        }
        // TZD
        if (i >= n) {
            return INVALID;
        }
        int offsetMinutes;
        char tz = s.charAt(i);
        if (tz == 'Z' && i == n - 1) {
            offsetMinutes = 0;
        } else if ((tz == '+' || tz == '-') && n == i + 6 && allDigits(s, i + 1, i + 3) && s.charAt(i + 3) == ':'
                && allDigits(s, i + 4, i + 6)) {
            int oh = digits(s, i + 1, i + 3);
            int om = digits(s, i + 4, i + 6);
            if (oh > 23 || om > 59) {
                return INVALID;
            }
            offsetMinutes = (oh * 60 + om) * (tz == '-' ? -1 : 1);
        } else {
            return INVALID;
        }
        return civilToMicros(year, month, day, hour, minute, second, micro, offsetMinutes);
    }

    private static long civilToMicros(int year, int month, int day, int hour, int minute, int second, long micro,
                                      int offsetMinutes) {
        long days = daysFromCivil(year, month, day);
        long seconds = days * 86_400L + hour * 3_600L + minute * 60L + second - offsetMinutes * 60L;
        return seconds * MICROS_PER_SECOND + micro;
    }

    /** Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's civil algorithm). */
    private static long daysFromCivil(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long mp = (month + 9) % 12;
        long doy = (153 * mp + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static boolean allDigits(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
