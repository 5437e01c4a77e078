package io.github.logits4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassNamesTest {

    @Test
    void labelsArrayFromMetadata() {
        ClassNames n = ClassNames.fromMetadata(Map.of("logits4j.labels", "[\"cat\", \"dog\", \"bird\"]"), 3);
        assertEquals(List.of("cat", "dog", "bird"), n.names());
        assertEquals("metadata 'logits4j.labels'", n.source());
        assertEquals(3, n.size());
    }

    @Test
    void labelsWinOverId2label() {
        ClassNames n = ClassNames.fromMetadata(Map.of("logits4j.labels", "[\"a\", \"b\"]",
                "id2label", "{\"0\": \"x\", \"1\": \"y\"}"), 2);
        assertEquals(List.of("a", "b"), n.names());
    }

    @Test
    void id2labelFillsMissingIndices() {
        ClassNames n = ClassNames.fromMetadata(Map.of("id2label", "{\"2\": \"two\", \"0\": \"zero\"}"), 4);
        assertEquals(List.of("zero", "1", "two", "3"), n.names());
        assertEquals("metadata 'id2label'", n.source());
    }

    @Test
    void noKeysGiveNull() {
        assertNull(ClassNames.fromMetadata(Map.of("other", "x"), 3));
    }

    @Test
    void countMismatchNamesKeyExpectedAndFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(Map.of("logits4j.labels", "[\"a\", \"b\"]"), 3));
        assertEquals("metadata 'logits4j.labels' has 2 names; expected 3, one per class of the output",
                e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(Map.of("id2label", "{\"0\": \"a\", \"1\": \"b\", \"2\": \"c\"}"), 2));
        assertEquals("metadata 'id2label' has 3 names, with key \"2\"; expected 2 (class indices \"0\" to \"1\")",
                f.getMessage());
    }

    @Test
    void malformedMetadataNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(Map.of("logits4j.labels", "cat, dog"), 2));
        assertTrue(e.getMessage().startsWith("metadata 'logits4j.labels' is not a JSON array of names: malformed"
                + " JSON at position 0"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(Map.of("id2label", "{\"zero\": \"a\"}"), 2));
        assertEquals("metadata 'id2label' has key \"zero\"; expected class indices \"0\" to \"1\"", f.getMessage());
    }

    @Test
    void outputNameAsJsonObject() {
        ClassNames n = ClassNames.fromOutputName("{\"0\": \"zero\", \"1\": \"one\"}", 2);
        assertEquals(List.of("zero", "one"), n.names());
        assertEquals("output name", n.source());
        assertNull(ClassNames.fromOutputName("logits", 2));
        assertNull(ClassNames.fromOutputName("{not json", 2));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.fromOutputName("{\"5\": \"five\"}", 2));
    }

    @Test
    void zipMapIndicesAndGiven() {
        assertEquals(List.of("3", "1"), ClassNames.fromHead(List.of("3", "1"), "ZipMap").names());
        assertEquals("ZipMap class labels", ClassNames.fromHead(List.of("a"), "ZipMap").source());
        assertEquals(List.of("0", "1", "2"), ClassNames.indices(3).names());
        assertEquals("class indices", ClassNames.indices(3).source());
        assertEquals(List.of("x"), ClassNames.given(List.of("x")).names());
        assertThrows(IllegalArgumentException.class, () -> ClassNames.indices(0));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.fromHead(List.of(), "ZipMap"));
    }

    @Test
    void namesFromEverySourceAreUniqueAndNonEmpty() {
        String ten = "[" + "\"same\",".repeat(9) + "\"same\"]";
        String msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(java.util.Map.of(ClassNames.LABELS, ten), 10)).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("metadata 'logits4j.labels'") && msg.contains("classes 0 and 1")
                && msg.contains("'same'"), msg);
        msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClassNames.fromMetadata(java.util.Map.of(ClassNames.ID2LABEL, "{\"0\": \"a\", \"1\": \" \"}"), 2))
                .getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("class 1 is empty"), msg);
        msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OnnxClassifier.builder(java.nio.file.Path.of("m.onnx")).classNames(java.util.List.of("a", "b",
                        "a"))).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("classes 0 and 2"), msg);
    }
}
