package dev.strata.records;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The escaping of {@code strata export} lines, so that any key (an id may hold a tab, a newline,
 * or, in the dead letters, bytes that are not UTF-8) stays on one line and in one column, and
 * the original bytes can be recovered ({@link #unescape}):
 * <ul>
 *   <li>backslash as {@code \\}, tab as {@code \t}, newline as {@code \n}, carriage return as {@code \r};</li>
 *   <li>any other control byte (0x00-0x1F, 0x7F) and any byte that is not part of well-formed
 *       UTF-8 as {@code \xHH} (two lower-case hex digits);</li>
 *   <li>everything else as it is, in UTF-8.</li>
 * </ul>
 * Ids without those characters (all the ids a well-behaved producer sends) come out unchanged.
 */
public final class ExportText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ExportText() {}

    public static String escape(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                switch (b) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (b < 0x20 || b == 0x7f) {
                            hex(out, b);
                        } else {
                            out.append((char) b);
                        }
                    }
                }
                i++;
                continue;
            }
            int len = utf8SequenceLength(bytes, i);
            if (len == 0) {
                hex(out, b);
                i++;
            } else {
                out.append(new String(bytes, i, len, StandardCharsets.UTF_8));
                i += len;
            }
        }
        return out.toString();
    }

    /** The bytes an {@link #escape}d text stands for; IllegalArgumentException for a malformed escape. */
    public static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b != '\\') {
                out.write(b);
                continue;
            }
            if (i + 1 >= utf8.length) {
                throw new IllegalArgumentException("dangling backslash at the end of '" + text + "'");
            }
            char e = (char) utf8[++i];
            switch (e) {
                case '\\' -> out.write('\\');
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 'x' -> {
                    if (i + 2 >= utf8.length) {
                        throw new IllegalArgumentException("short \\x escape in '" + text + "'");
                    }
                    out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in '" + text + "'");
            }
        }
        return out.toByteArray();
    }

    private static void hex(StringBuilder out, int b) {
        out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    /** Length of the well-formed UTF-8 sequence at {@code i} (no overlongs, no surrogates), or 0. */
    private static int utf8SequenceLength(byte[] s, int i) {
        int b = s[i] & 0xff;
        int len;
        int lo = 0x80;
        int hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            lo = b == 0xE0 ? 0xA0 : 0x80;
            hi = b == 0xED ? 0x9F : 0xBF;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            lo = b == 0xF0 ? 0x90 : 0x80;
            hi = b == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + len > s.length) {
            return 0;
        }
        int second = s[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return len;
    }
}
