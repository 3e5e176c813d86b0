package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExportTextTest {
    private static String escape(String s) {
        return ExportText.escape(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainIdsAreUnchanged() {
        assertEquals("doc-1842", escape("doc-1842"));
        assertEquals("caf\u00e9 \ud83d\ude00 \u4e2d", escape("caf\u00e9 \ud83d\ude00 \u4e2d"));
    }

    @Test
    void separatorsBackslashesAndControlsAreEscaped() {
        assertEquals("a\\tb\\nc\\rd\\\\e", escape("a\tb\nc\rd\\e"));
        assertEquals("\\x00\\x1f\\x7f", escape("\u0000\u001f\u007f"));
        assertEquals(
                "id\\xff\\xc0\\xaf", ExportText.escape(new byte[] {'i', 'd', (byte) 0xff, (byte) 0xc0, (byte) 0xaf}));
        assertEquals("\\xed\\xa0\\x80", ExportText.escape(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    }

    @Test
    void escapingIsLosslessAndOneLineForAnyBytes() {
        Random rnd = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(24)];
            rnd.nextBytes(b);
            String line = ExportText.escape(b);
            assertFalse(line.contains("\t") || line.contains("\n") || line.contains("\r"), line);
            assertArrayEquals(b, ExportText.unescape(line), line);
        }
    }

    @Test
    void malformedEscapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ExportText.unescape("a\\"));
        assertThrows(IllegalArgumentException.class, () -> ExportText.unescape("a\\q"));
        assertThrows(IllegalArgumentException.class, () -> ExportText.unescape("a\\x4"));
    }
}
