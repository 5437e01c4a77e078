package io.github.logits4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.Task;
import org.junit.jupiter.api.Test;

/**
 * The rank mode's text form and its memory figure (issue 23: the metrics' own estimate, which the command line and
 * Spark read instead of modelling it): every form parses, a wrong one names the accepted forms, and the bytes held
 * grow with what each mode keeps.
 */
class RankModeTest {
    @Test
    void everyFormParses() {
        assertEquals(RankMode.exact(), RankMode.parse(" Exact "));
        assertEquals(RankMode.none(), RankMode.parse("none"));
        assertEquals(RankMode.binned(RankMode.DEFAULT_BINS), RankMode.parse("binned"));
        assertEquals(RankMode.binned(500), RankMode.parse("binned:500"));
        for (String bad : new String[] {"sometimes", "binned:1", "binned:x", "binned:2000000", ""}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> RankMode.parse(bad)).getMessage();
            assertTrue(msg.contains("expected exact, none, binned or binned:BINS"), msg);
        }
    }

    @Test
    void heldBytesFollowWhatEachModeKeeps() {
        assertEquals(0, RankMode.none().heldBytes(1_000_000, 10, Task.MULTICLASS, 4));
        assertEquals(8L * 100 * 10 * 10, RankMode.binned(100).heldBytes(1_000_000, 10, Task.MULTICLASS, 1));
        assertEquals(8L * 100 * 2 * 10, RankMode.binned(100).heldBytes(7, 10, Task.MULTILABEL, 1));
        long one = RankMode.exact().heldBytes(1_000, 10, Task.MULTICLASS, 1);
        long two = RankMode.exact().heldBytes(2_000, 10, Task.MULTICLASS, 1);
        assertEquals(2 * one, two, "linear in the rows");
        assertTrue(RankMode.exact().heldBytes(1_000, 10, Task.MULTICLASS, 4) > one, "sort buffers per thread");
        assertTrue(one >= 8L * 1_000 * 10, "at least 8 bytes a score");
        assertTrue(RankMode.exact().heldBytes(1_000, 1, Task.BINARY, 1) < one);
    }
}
