package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarryOverFileTest {
    @TempDir
    Path dir;

    private static CarryOver sample() {
        return new CarryOver(
                "old-v",
                "new-v",
                "embeddings",
                "strata-curated",
                List.of(new CarryOver.PartitionRange(0, 0, 120), new CarryOver.PartitionRange(1, 5, 98)),
                new long[] {10, 0, 7, 3_000_000_000L},
                new long[] {2, 0, 7, 1},
                4,
                12.5,
                null);
    }

    @Test
    void aCarryOverReadsBackAsWritten() {
        Path f = dir.resolve("carry.json");
        CarryOverFile.write(sample(), f);
        CarryOver back = CarryOverFile.read(f);
        CarryOver c = sample();
        assertEquals(c.oldModelVersion(), back.oldModelVersion());
        assertEquals(c.newModelVersion(), back.newModelVersion());
        assertEquals(c.inputTopic(), back.inputTopic());
        assertEquals(c.groupId(), back.groupId());
        assertEquals(c.offsets(), back.offsets());
        assertArrayEquals(c.seen(), back.seen());
        assertArrayEquals(c.kept(), back.kept());
        assertEquals(4, back.keptUnmapped());
        assertEquals(14, back.keptTotal(), "kept in leaves plus kept without a record left");
        assertEquals(12.5, back.distanceSqSum());
    }

    @Test
    void aWindowedRunsCarryOverNamesItsWindowAndAOneHorizonOneNone() throws Exception {
        Path f = dir.resolve("carry.json");
        CarryOver.Window w =
                new CarryOver.Window(3_600_000L, 1_699_999_200_000L, 1_699_999_200_100L, 1_700_001_000_000L);
        CarryOver c = sample();
        CarryOverFile.write(
                new CarryOver(
                        c.oldModelVersion(),
                        c.newModelVersion(),
                        c.inputTopic(),
                        c.groupId(),
                        c.offsets(),
                        c.seen(),
                        c.kept(),
                        c.keptUnmapped(),
                        c.distanceSqSum(),
                        w),
                f);
        assertEquals(w, CarryOverFile.read(f).window());
        assertTrue(Files.readString(f).contains("\"time\" : \"event\""), Files.readString(f));
        Files.writeString(f, Files.readString(f).replace("\"start\" : 1699999200000", "\"start\" : 1699999200001"));
        StrataException e = assertThrows(StrataException.class, () -> CarryOverFile.read(f));
        assertTrue(e.getMessage().contains("\"start\" must be a multiple"), e.getMessage());
        CarryOverFile.write(sample(), f);
        assertEquals(null, CarryOverFile.read(f).window());
    }

    @Test
    void perTopSumsLeavesUnderTheirTopCluster() {
        assertArrayEquals(new long[] {9, 3}, CarryOver.perTop(new long[] {1, 3, 8}, new int[] {0, 1, 0}, 2));
    }

    @Test
    void aBrokenFileIsOneLineNamingTheField() throws Exception {
        Path f = dir.resolve("carry.json");
        CarryOverFile.write(sample(), f);
        Files.writeString(f, Files.readString(f).replace("\"keptUnmapped\" : 4", "\"keptUnmapped\" : -1"));
        StrataException e = assertThrows(StrataException.class, () -> CarryOverFile.read(f));
        assertTrue(e.getMessage().contains("\"keptUnmapped\" must be a non-negative integer"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Files.writeString(f, "{\"format\": \"something else\"}");
        e = assertThrows(StrataException.class, () -> CarryOverFile.read(f));
        assertTrue(e.getMessage().contains("not a carry-over file"), e.getMessage());
    }

    @Test
    void aLeafThatKeptMoreThanItSawIsRefused() throws Exception {
        Path f = dir.resolve("carry.json");
        CarryOverFile.write(
                new CarryOver("a", "b", "t", "g", List.of(), new long[] {1, 2}, new long[] {2, 2}, 0, 0, null), f);
        StrataException e = assertThrows(StrataException.class, () -> CarryOverFile.read(f));
        assertTrue(e.getMessage().contains("leaf 0 kept 2 of 1"), e.getMessage());
    }
}
