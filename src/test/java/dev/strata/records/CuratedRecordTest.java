package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CuratedRecordTest {
    @Test
    void jsonShapeAndRoundTrip() {
        CuratedRecord c = new CuratedRecord("42", "m-3f9a", new int[] {17, 3, 0}, 0.125f, "{\"url\": \"http://x\"}");
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertEquals(
                "{\"id\":\"42\",\"model_version\":\"m-3f9a\",\"path\":[17,3,0],\"distance\":0.125,\"meta\":{\"url\": \"http://x\"}}",
                json);
        assertEquals(c, CuratedRecord.fromJson(c.toJson()));
        assertEquals(17, c.leaf());
        assertEquals(0, c.topCluster());
        assertArrayEquals("42".getBytes(StandardCharsets.UTF_8), c.key());
    }

    @Test
    void aWindowedJobsRecordNamesItsWindowAndAOneHorizonRecordDoesNot() {
        CuratedRecord c = new CuratedRecord("7", "m", new int[] {4, 1}, 0.5f, "{}", 1_700_000_000_000L);
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertEquals(
                "{\"id\":\"7\",\"model_version\":\"m\",\"path\":[4,1],\"distance\":0.5,"
                        + "\"window_start\":1700000000000,\"meta\":{}}",
                json);
        assertEquals(c, CuratedRecord.fromJson(c.toJson()));
        assertEquals(1_700_000_000_000L, CuratedRecord.fromJson(c.toJson()).windowStart());
        assertNull(CuratedRecord.fromJson(new CuratedRecord("7", "m", new int[] {4, 1}, 0.5f, "{}").toJson())
                .windowStart());
        // the size bound the decoder checks counts the window field for every job
        long bound = CuratedRecord.sizeBound("7", "{}", CuratedRecord.fixedSizeBound("m", 2));
        CuratedRecord widest = new CuratedRecord("7", "m", new int[] {4, 1}, 0.5f, "{}", Long.MIN_VALUE);
        assertTrue(widest.toJson().length + widest.key().length < bound, "bound " + bound);
    }

    @Test
    void metaFromAnInputRecordPassesThroughVerbatim() {
        byte[] in =
                "{\"id\":\"9\",\"embedding\":[1],\"meta\":{ \"b\" : 2 ,\"a\":\"é\" }}".getBytes(StandardCharsets.UTF_8);
        EmbeddingRecord r = RecordDecoder.decode(null, in, null, 1).record();
        CuratedRecord c = new CuratedRecord(r.id(), "v1", new int[] {5, 1}, 2.5f, r.meta());
        assertEquals(
                "{ \"b\" : 2 ,\"a\":\"é\" }", CuratedRecord.fromJson(c.toJson()).meta());
    }

    @Test
    void tombstoneIsANullValue() {
        assertNull(CuratedRecord.tombstoneValue());
    }

    @Test
    void rejectsForeignJson() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CuratedRecord.fromJson("{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(
                IllegalArgumentException.class, () -> CuratedRecord.fromJson("nope".getBytes(StandardCharsets.UTF_8)));
    }
}
