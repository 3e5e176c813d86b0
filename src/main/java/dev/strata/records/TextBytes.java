package dev.strata.records;

/**
 * Whether bytes could be JSON text at all: UTF-8 without control bytes other than tab, CR and LF
 * (JSON allows no others, not even inside strings). A float32 vector practically never passes:
 * every zero component is four 0x00 bytes, and four arbitrary bytes are printable UTF-8 about
 * once in fifty, so a whole vector of them once in 50^dim.
 */
final class TextBytes {
    private TextBytes() {}

    static boolean couldBeJson(byte[] v) {
        int i = 0;
        while (i < v.length) {
            int b = v[i] & 0xff;
            if (b < 0x80) {
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                    return false;
                }
                i++;
                continue;
            }
            int len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (len == 0 || i + len > v.length) {
                return false;
            }
            for (int k = 1; k < len; k++) {
                if ((v[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += len;
        }
        return true;
    }
}
