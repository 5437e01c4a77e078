package io.github.logits4j.onnx;

import static io.github.logits4j.onnx.ProtoWriter.FLOAT;
import static io.github.logits4j.onnx.ProtoWriter.INT64;
import static io.github.logits4j.onnx.ProtoWriter.graph;
import static io.github.logits4j.onnx.ProtoWriter.message;
import static io.github.logits4j.onnx.ProtoWriter.node;
import static io.github.logits4j.onnx.ProtoWriter.tensor;
import static io.github.logits4j.onnx.ProtoWriter.tensorProto;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.WireFormat;
import io.github.logits4j.LoadException;
import io.github.logits4j.OutputKind;
import io.github.logits4j.golden.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Reading ONNX files: the committed test models against models.json, hand-built models, and broken files. */
class OnnxGraphTest {
    private static final int LD = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    @TempDir
    Path tmp;

    private static Path models() {
        return Golden.testdata().resolve("models");
    }

    // ------------------------------------------------------------------------------------------- committed models

    /** One check per model in models.json: kind, evidence op, inputs, ZipMap labels and class names. */
    @TestFactory
    Stream<DynamicTest> committedModelsMatchModelsJson() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Golden.testdata().resolve("golden").resolve("models.json")
                .toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            if (!c.get("op").asText().equals("model")) {
                continue;
            }
            JsonNode p = c.get("params");
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> checkModel(p)));
        }
        assertFalse(tests.isEmpty(), "models.json has no 'model' cases");
        return tests.stream();
    }

    private static void checkModel(JsonNode p) throws LoadException {
        String file = p.get("model").asText();
        String output = p.get("output").asText();
        OnnxGraph g = OnnxGraph.read(models().resolve(file));
        HeadEvidence head = g.detectHead(output);
        String where = file + " output '" + output + "': " + head;

        assertEquals(OutputKind.valueOf(p.get("output_kind").asText().toUpperCase(Locale.ROOT)), head.kind(), where);
        JsonNode op = p.get("evidence_op");
        if (op != null && !op.isNull()) {
            assertEquals(op.asText(), head.op(), where);
        }
        List<String> inputs = new ArrayList<>();
        for (ValueSpec v : g.inputs()) {
            inputs.add(v.name());
        }
        assertEquals(strings(p.get("inputs")), inputs, file + " inputs");

        ValueSpec spec = g.output(output);
        assertNotNull(spec, where);
        int classes;
        if (spec.isSequenceOfMaps()) {
            assertEquals("ZipMap", head.op(), where);
            assertFalse(head.classLabels().isEmpty(), where);
            classes = head.classLabels().size();
        } else {
            assertTrue(spec.isTensor(), where);
            assertEquals("float", spec.elementType(), where);
            long[] shape = spec.shape();
            assertNotNull(shape, where);
            classes = (int) shape[shape.length - 1];
            assertTrue(head.classLabels().isEmpty(), where);
        }
        ClassNames names = ClassNames.fromMetadata(g.metadata(), classes);
        if (names == null) {
            names = ClassNames.fromOutputName(output, classes);
        }
        if (names == null && !head.classLabels().isEmpty()) {
            names = ClassNames.fromHead(head.classLabels(), "ZipMap");
        }
        JsonNode expected = p.get("class_names");
        if (expected == null || expected.isNull()) {
            // no names beyond the class indices (a ZipMap over int64 labels 0..C-1 names its classes by index)
            assertTrue(names == null || names.names().equals(ClassNames.indices(classes).names()),
                    where + ": no class names expected, found " + names);
        } else {
            assertNotNull(names, where + ": class names expected");
            assertEquals(strings(expected), names.names(), where + " class names from " + names.source());
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    @Test
    void readsTheDigitsSoftmaxModel() throws LoadException {
        OnnxGraph g = OnnxGraph.read(models().resolve("digits_softmax.onnx"));
        assertTrue(g.irVersion() >= 3, "ir_version " + g.irVersion());
        assertTrue(g.opsets().containsKey(""), "opsets " + g.opsets());
        assertEquals(1, g.inputs().size());
        ValueSpec in = g.inputs().get(0);
        assertEquals("pixels", in.name());
        assertEquals("tensor(float)", in.type());
        assertEquals("float", in.elementType());
        assertTrue(in.isTensor());
        assertFalse(in.isSequenceOfMaps());
        assertEquals(2, in.shape().length);
        assertEquals(-1, in.shape()[0]);
        assertEquals(64, in.shape()[1]);
        assertNull(in.dimNames()[1]);
        assertEquals("probabilities", g.outputs().get(0).name());
        assertTrue(g.toString().contains("pixels"), g.toString());
    }

    @Test
    void readsTheZipMapModel() throws LoadException {
        OnnxGraph g = OnnxGraph.read(models().resolve("digits_zipmap_int64.onnx"));
        assertTrue(g.opsets().containsKey("ai.onnx.ml"), "opsets " + g.opsets());
        ValueSpec probabilities = g.output("probabilities");
        assertTrue(probabilities.isSequenceOfMaps());
        assertFalse(probabilities.isTensor());
        assertNull(probabilities.elementType());
        assertNull(probabilities.shape());
        assertEquals("seq(map(int64,tensor(float)))", probabilities.type());
        assertEquals("probabilities: seq(map(int64,tensor(float)))", probabilities.toString());
        assertEquals("int64", g.output("label").elementType());
    }

    @Test
    void readPathAndReadBytesAgree() throws Exception {
        Path file = models().resolve("digits_if_head.onnx");
        OnnxGraph a = OnnxGraph.read(file);
        OnnxGraph b = OnnxGraph.read(Files.readAllBytes(file), "digits_if_head.onnx");
        assertEquals(a.inputs(), b.inputs());
        assertEquals(a.outputs(), b.outputs());
        assertEquals(a.metadata(), b.metadata());
        assertEquals(a.opsets(), b.opsets());
        assertEquals(a.detectHead("probabilities").description(), b.detectHead("probabilities").description());
    }

    // ------------------------------------------------------------------------------------------- hand-built models

    @Test
    void modelFieldsInputsAndTypes() throws LoadException {
        ProtoWriter g = graph(List.of(node("Gemm", "fc", List.of("x", "w"), List.of("y"))),
                List.of(tensor("x", FLOAT, "batch", 64), tensor("w", FLOAT, 10, 64),
                        tensor("odd", 10, null, 3), ProtoWriter.untyped("u"), ProtoWriter.tensorNoShape("ns", 11),
                        tensor("scalar", 9)),
                List.of(tensor("y", FLOAT, "batch", 10)));
        g.message(5, tensorProto("w", FLOAT, new byte[4 * 640], 10, 64));
        byte[] bytes = message().varint(1, 7).string(2, "skl2onnx").string(3, "1.17")
                .message(8, message().string(1, "ai.onnx").varint(2, 15))
                .message(8, message().string(1, "ai.onnx.ml").varint(2, 1))
                .message(14, message().string(1, "b").string(2, "2"))
                .message(14, message().string(1, "a").string(2, "1"))
                .varint(99, 5)
                .message(7, g).toByteArray();
        OnnxGraph model = OnnxGraph.read(bytes, "hand.onnx");
        assertEquals(7, model.irVersion());
        assertEquals("skl2onnx", model.producerName());
        assertEquals("1.17", model.producerVersion());
        Map<String, Long> opsets = new LinkedHashMap<>();
        opsets.put("", 15L);
        opsets.put("ai.onnx.ml", 1L);
        assertEquals(opsets, model.opsets());
        assertEquals(List.of("b", "a"), new ArrayList<>(model.metadata().keySet()));
        List<String> names = new ArrayList<>();
        for (ValueSpec v : model.inputs()) {
            names.add(v.name());
        }
        assertEquals(List.of("x", "odd", "u", "ns", "scalar"), names, "w is an initializer, not an input");

        ValueSpec x = model.inputs().get(0);
        assertEquals("x: float[batch, 64]", x.toString());
        assertArrayEquals(new long[] {-1, 64}, x.shape());
        assertArrayEquals(new String[] {"batch", null}, x.dimNames());
        ValueSpec odd = model.inputs().get(1);
        assertEquals("float16", odd.elementType());
        assertEquals("odd: float16[?, 3]", odd.toString());
        ValueSpec u = model.inputs().get(2);
        assertEquals("unknown", u.type());
        assertFalse(u.isTensor());
        assertNull(u.shape());
        ValueSpec ns = model.inputs().get(3);
        assertEquals("double", ns.elementType());
        assertNull(ns.shape());
        assertNull(ns.dimNames());
        assertEquals("ns: tensor(double)", ns.toString());
        ValueSpec scalar = model.inputs().get(4);
        assertEquals("bool", scalar.elementType());
        assertEquals(0, scalar.shape().length);
        assertEquals("scalar: bool[]", scalar.toString());
        long[] copy = x.shape();
        copy[0] = 5;
        assertEquals(-1, x.shape()[0], "shape() returns a copy");
    }

    @Test
    void elementTypeNames() {
        assertEquals("float", ProtoReader.elementTypeName(1));
        assertEquals("uint8", ProtoReader.elementTypeName(2));
        assertEquals("int8", ProtoReader.elementTypeName(3));
        assertEquals("int16", ProtoReader.elementTypeName(5));
        assertEquals("int32", ProtoReader.elementTypeName(6));
        assertEquals("int64", ProtoReader.elementTypeName(INT64));
        assertEquals("string", ProtoReader.elementTypeName(8));
        assertEquals("bool", ProtoReader.elementTypeName(9));
        assertEquals("float16", ProtoReader.elementTypeName(10));
        assertEquals("double", ProtoReader.elementTypeName(11));
        assertEquals("bfloat16", ProtoReader.elementTypeName(16));
        assertEquals("elem_type(99)", ProtoReader.elementTypeName(99));
    }

    // ------------------------------------------------------------------------------------------- broken files

    private LoadException loadFails(String name, byte[] bytes) throws IOException {
        Path file = tmp.resolve(name);
        Files.write(file, bytes);
        LoadException e = assertThrows(LoadException.class, () -> OnnxGraph.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        return e;
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = tmp.resolve("nope.onnx");
        LoadException e = assertThrows(LoadException.class, () -> OnnxGraph.read(missing));
        assertEquals(missing + ": not found", e.getMessage());
        LoadException d = assertThrows(LoadException.class, () -> OnnxGraph.read(tmp));
        assertTrue(d.getMessage().startsWith(tmp + ": ") && d.getMessage().contains("directory"), d.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        LoadException e = loadFails("empty.onnx", new byte[0]);
        assertTrue(e.getMessage().endsWith(": not an ONNX model: the file is empty"), e.getMessage());
    }

    @Test
    void truncatedModel() throws IOException {
        byte[] whole = Files.readAllBytes(models().resolve("digits_softmax.onnx"));
        LoadException e = loadFails("truncated.onnx", Arrays.copyOf(whole, whole.length / 2));
        assertTrue(e.getMessage().contains("not an ONNX model: malformed protobuf near byte ")
                && e.getMessage().endsWith(" (the data ends inside a field: the file is truncated or a length in it"
                + " is wrong)"), e.getMessage());
    }

    @Test
    void textAndJsonFiles() throws IOException {
        for (String text : new String[] {"hello, this is not a model\n", "{\"format\": 1, \"cases\": []}\n",
            "ir_version: 8\ngraph {\n  name: \"g\"\n}\n"}) {
            LoadException e = loadFails("text.onnx", text.getBytes(StandardCharsets.UTF_8));
            assertTrue(e.getMessage().contains("not an ONNX model: "), e.getMessage());
        }
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + random.nextInt(4096)];
            random.nextBytes(bytes);
            LoadException e = i < 10 ? loadFails("random.onnx", bytes)
                    : assertThrows(LoadException.class, () -> OnnxGraph.read(bytes, "random.onnx"));
            assertTrue(e.getMessage().contains("not an ONNX model: "), e.getMessage());
        }
    }

    @Test
    void modelsWithoutGraphOutputsOrIrVersion() throws IOException {
        LoadException noGraph = loadFails("nograph.onnx", message().varint(1, 8).string(2, "x").toByteArray());
        assertTrue(noGraph.getMessage().endsWith("not an ONNX model: it has no graph (ModelProto field 7)"),
                noGraph.getMessage());
        byte[] noOutputs = message().varint(1, 8).message(7, graph(List.of(), List.of(tensor("x", FLOAT, 3)),
                List.of())).toByteArray();
        assertTrue(loadFails("nooutputs.onnx", noOutputs).getMessage().endsWith("the graph has no outputs"));
        byte[] noIr = message().message(7, graph(List.of(), List.of(), List.of(tensor("y", FLOAT, 3))))
                .toByteArray();
        assertTrue(loadFails("noir.onnx", noIr).getMessage().contains("no ir_version"));
        byte[] noOpset = message().varint(1, 8).message(7, graph(List.of(), List.of(),
                List.of(tensor("y", FLOAT, 3)))).toByteArray();
        assertTrue(loadFails("noopset.onnx", noOpset).getMessage().endsWith("it has no opset_import (ModelProto"
                + " field 8), which IR version 8 requires; the file may be truncated"));
    }

    @Test
    void wrongWireTypeIsNamed() throws IOException {
        byte[] bytes = message().varint(1, 8).varint(7, 3).toByteArray();
        LoadException e = loadFails("wire.onnx", bytes);
        assertTrue(e.getMessage().contains("ModelProto.graph has protobuf wire type 0; expected 2"), e.getMessage());
    }

    @Test
    void bytesSourceIsNamed() {
        LoadException e = assertThrows(LoadException.class, () -> OnnxGraph.read(new byte[] {8}, "resource x"));
        assertTrue(e.getMessage().startsWith("resource x: not an ONNX model: "), e.getMessage());
    }

    /** Every prefix and many corruptions of a real model: a LoadException or a model, never anything else. */
    @Test
    void truncationsAndCorruptionsOnlyEverGiveLoadException() throws IOException {
        byte[] whole = Files.readAllBytes(models().resolve("breast_cancer_sigmoid.onnx"));
        for (int n = 0; n < whole.length; n++) {
            readOrLoadException(Arrays.copyOf(whole, n), "prefix " + n);
        }
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = whole.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            readOrLoadException(b, "corruption " + i);
        }
    }

    private static void readOrLoadException(byte[] bytes, String what) {
        try {
            OnnxGraph g = OnnxGraph.read(bytes, what);
            for (ValueSpec v : g.outputs()) {
                assertNotNull(g.detectHead(v.name()).description());
            }
        } catch (LoadException e) {
            assertTrue(e.getMessage().startsWith(what + ": "), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            fail(what + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------- streaming

    private static final int WEIGHT_BYTES = 20 * 1024 * 1024;

    /**
     * A model whose initializer has {@link #WEIGHT_BYTES} bytes of raw data, as {prefix, zeros, suffix}: the graph
     * input "w" (an initializer, as old exporters wrote), the output after the weights, the opsets after the graph.
     */
    private static byte[][] bigModel() {
        byte[] part1 = graph(List.of(node("Gemm", "fc", List.of("x", "w"), List.of("y")),
                node("Softmax", "sm", List.of("y"), List.of("p"))),
                List.of(tensor("x", FLOAT, "batch", 1024), tensor("w", FLOAT, 5120, 1024)), List.of())
                .toByteArray();
        byte[] header = message().packed(1, 5120, 1024).varint(2, FLOAT).string(8, "w").tag(9, LD)
                .length(WEIGHT_BYTES).toByteArray();
        byte[] initPrefix = message().tag(5, LD).length(header.length + WEIGHT_BYTES).raw(header).toByteArray();
        byte[] part2 = message().message(12, tensor("p", FLOAT, "batch", 5120)).toByteArray();
        int graphLength = part1.length + initPrefix.length + WEIGHT_BYTES + part2.length;
        byte[] head = message().varint(1, 8).string(2, "big").tag(7, LD).length(graphLength).toByteArray();
        byte[] tail = message().message(8, message().string(1, "").varint(2, 13)).toByteArray();
        return new byte[][] {concat(head, part1, initPrefix), concat(part2, tail)};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void checkBigModel(OnnxGraph g) {
        assertEquals(1, g.inputs().size(), "w is an initializer");
        assertEquals("x", g.inputs().get(0).name());
        assertEquals("p", g.outputs().get(0).name());
        assertEquals(Map.of("", 13L), g.opsets(), "fields after the weights are read");
        assertEquals(OutputKind.PROBABILITIES, g.detectHead("p").kind());
    }

    /** The weights are skipped with InputStream.skip: the reader never reads them, so never holds them. */
    @Test
    void initializersAreSkippedNotRead() throws Exception {
        byte[][] model = bigModel();
        VirtualStream stream = new VirtualStream(model[0], WEIGHT_BYTES, model[1]);
        OnnxGraph g = GraphReader.read(stream, "big.onnx");
        checkBigModel(g);
        assertTrue(stream.read < 256 * 1024, "bytes read " + stream.read);
        assertTrue(stream.skipped >= WEIGHT_BYTES - 256 * 1024, "bytes skipped " + stream.skipped);
    }

    /** Reading a 20 MB file allocates far less than 20 MB on the reading thread. */
    @Test
    void readingALargeFileAllocatesLittle() throws Exception {
        byte[][] model = bigModel();
        Path file = tmp.resolve("big.onnx");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(model[0]);
            byte[] zeros = new byte[1 << 20];
            for (int left = WEIGHT_BYTES; left > 0; left -= zeros.length) {
                out.write(zeros, 0, Math.min(left, zeros.length));
            }
            out.write(model[1]);
        }
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation is not measurable");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long id = Thread.currentThread().getId();
        OnnxGraph.read(file); // warm up class loading
        long before = threads.getThreadAllocatedBytes(id);
        OnnxGraph g = OnnxGraph.read(file);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        checkBigModel(g);
        assertTrue(allocated < 4 * 1024 * 1024, "reading a " + Files.size(file) + "-byte model allocated "
                + allocated + " bytes");
    }

    /** Streams {prefix, n zero bytes, suffix} without holding the zeros; counts bytes read and skipped. */
    private static final class VirtualStream extends InputStream {
        private final byte[] prefix;
        private final long zeros;
        private final byte[] suffix;
        private final long length;
        private long pos;
        long read;
        long skipped;

        VirtualStream(byte[] prefix, long zeros, byte[] suffix) {
            this.prefix = prefix;
            this.zeros = zeros;
            this.suffix = suffix;
            this.length = prefix.length + zeros + suffix.length;
        }

        private byte at(long p) {
            if (p < prefix.length) {
                return prefix[(int) p];
            }
            if (p < prefix.length + zeros) {
                return 0;
            }
            return suffix[(int) (p - prefix.length - zeros)];
        }

        @Override
        public int read() {
            if (pos >= length) {
                return -1;
            }
            read++;
            return at(pos++) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(pos++);
            }
            read += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, length - pos));
            pos += k;
            skipped += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - pos);
        }
    }
}
