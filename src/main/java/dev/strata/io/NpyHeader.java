package dev.strata.io;

import dev.strata.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header of a .npy file (format versions 1.0, 2.0 and 3.0): dtype descriptor, memory order,
 * shape, and where the raw data starts. It only parses; deciding which dtypes and shapes a caller
 * accepts is the caller's business, so every reader words its own refusals.
 *
 * @param descr        the dtype descriptor, e.g. {@code "<f4"}; for a structured dtype the raw list text
 * @param fortranOrder true when the data is stored column-major
 * @param shape        the array shape; empty for a 0-d array
 * @param dataOffset   byte offset of the first data byte in the file
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Parses the header at the start of {@code ch}; {@code file} only names the file in errors. */
    public static NpyHeader read(FileChannel ch, Path file) throws IOException {
        return read((buf, position) -> ChannelReads.readFully(ch, buf, position), file.toString());
    }

    /** Reads into {@code buf} from {@code position} until it is full or the source ends. */
    @FunctionalInterface
    interface PositionalRead {
        void readFully(ByteBuffer buf, long position) throws IOException;
    }

    /** Parses the header from any positional source (a mapped shard, a stream of a remote file). */
    static NpyHeader read(PositionalRead source, String file) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(pre, 0);
        pre.flip();
        if (pre.remaining() < 10 || !hasMagic(pre)) {
            throw new StrataException(file + ": not a .npy file (it does not start with the \\x93NUMPY magic);"
                    + " save embeddings with numpy.save");
        }
        int major = pre.get(6) & 0xff;
        int minor = pre.get(7) & 0xff;
        long headerLen;
        int lenBytes;
        Charset charset;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            lenBytes = 2;
            charset = StandardCharsets.ISO_8859_1;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 12) {
                throw truncatedHeader(file);
            }
            headerLen = pre.getInt(8) & 0xffffffffL;
            lenBytes = 4;
            // version 3.0 exists only to allow utf-8 field names in structured dtypes
            charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        } else {
            throw new StrataException(file + ": .npy format version " + major + "." + minor
                    + " is not supported; expected 1.0, 2.0 or 3.0 (re-save it with numpy.save)");
        }
        long start = 8L + lenBytes;
        if (headerLen > 1 << 24) {
            throw new StrataException(file + ": .npy header claims " + headerLen + " bytes, which is not plausible;"
                    + " the file is corrupt, re-save it with numpy.save");
        }
        ByteBuffer text = ByteBuffer.allocate((int) headerLen);
        source.readFully(text, start);
        if (text.hasRemaining()) {
            throw truncatedHeader(file);
        }
        String dict = new String(text.array(), charset);
        return parse(dict, start + headerLen, file);
    }

    private static boolean hasMagic(ByteBuffer pre) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static StrataException truncatedHeader(String file) {
        return new StrataException(
                file + ": the .npy header is cut short (truncated file?); re-save it with numpy.save");
    }

    static NpyHeader parse(String dict, long dataOffset, Object file) {
        Map<String, Object> fields;
        try {
            fields = new LiteralParser(dict).dict();
        } catch (IllegalArgumentException e) {
            throw malformed(file, e.getMessage());
        }
        Object descr = fields.get("descr");
        Object fortran = fields.get("fortran_order");
        Object shape = fields.get("shape");
        if (descr == null || fortran == null || shape == null) {
            throw malformed(file, "it lacks one of the keys 'descr', 'fortran_order', 'shape'");
        }
        if (!(fortran instanceof Boolean)) {
            throw malformed(file, "'fortran_order' is not True or False");
        }
        if (!(shape instanceof long[])) {
            throw malformed(file, "'shape' is not a tuple of integers");
        }
        return new NpyHeader(descr.toString(), (Boolean) fortran, (long[]) shape, dataOffset);
    }

    private static StrataException malformed(Object file, String why) {
        return new StrataException(file + ": malformed .npy header (" + why + "); re-save it with numpy.save");
    }

    /** Number of elements the shape promises. */
    public long elementCount() {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** The shape as numpy prints it: {@code (10, 4)}, {@code (10,)}, {@code ()}. */
    public String shapeText() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * The subset of Python literal syntax numpy writes in headers: a dict with string keys whose
     * values are strings, True/False, tuples of integers, or (for structured dtypes) lists we keep
     * as raw text only to name them in an error.
     */
    private static final class LiteralParser {
        private final String s;
        private int pos;

        LiteralParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> out = new HashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return out;
                }
                String key = string();
                expect(':');
                out.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at offset " + pos);
                }
            }
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                return bracketed();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("unexpected value at offset " + pos);
        }

        private long[] tuple() {
            expect('(');
            List<Long> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    break;
                }
                items.add(integer());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ')') {
                    throw new IllegalArgumentException("expected ',' or ')' in shape at offset " + pos);
                }
            }
            return items.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a non-negative integer at offset " + pos);
            }
            long v;
            try {
                v = Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape entry " + s.substring(start, pos) + " is too large");
            }
            // files written by Python 2 numpy spell dimensions as long literals: (10L, 4L)
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++;
            }
            return v;
        }

        private String bracketed() {
            int start = pos;
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || c == ')') {
                    depth--;
                    if (depth == 0) {
                        return s.substring(start, pos);
                    }
                } else if (c == '\'' || c == '"') {
                    pos--;
                    string();
                }
            }
            throw new IllegalArgumentException("unterminated list");
        }

        private String string() {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw new IllegalArgumentException("expected a quoted string at offset " + pos);
            }
            int end = s.indexOf(quote, pos + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string");
            }
            String out = s.substring(pos + 1, end);
            pos = end + 1;
            return out;
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("header ends early");
            }
            return s.charAt(pos);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
