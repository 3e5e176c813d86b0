package dev.strata.records;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Item ids as text, strictly: a lenient UTF-8 decoding turns every malformed byte into U+FFFD, so
 * two different keys would become one id (and one key on the curated topic). Here a key that
 * is not UTF-8, or an id string that cannot be written as UTF-8 (a lone surrogate from a JSON
 * escape such as "\ud800"), is reported instead.
 */
final class Ids {
    private Ids() {}

    /** The key as a string, or null when it is not well-formed UTF-8 ({@link #keyProblem} says why). */
    static String fromKey(byte[] key) {
        CharBuffer out = CharBuffer.allocate(key.length);
        CharsetDecoder d = strictDecoder();
        if (d.decode(ByteBuffer.wrap(key), out, true).isError() || d.flush(out).isError()) {
            return null;
        }
        return out.flip().toString();
    }

    /** A one-line description of the first malformed byte of a key {@link #fromKey} refused. */
    static String keyProblem(byte[] key) {
        ByteBuffer in = ByteBuffer.wrap(key);
        CoderResult r = strictDecoder().decode(in, CharBuffer.allocate(key.length), true);
        int at = in.position();
        String bytes = at < key.length ? String.format("0x%02x", key[at] & 0xff) : "end of key";
        return "key of " + key.length + " bytes is not valid UTF-8 (" + (r.isError() ? bytes : "truncated sequence")
                + " at offset " + at + ")";
    }

    /** The index of the first unpaired surrogate of the string, or -1 when it is valid UTF-16. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
