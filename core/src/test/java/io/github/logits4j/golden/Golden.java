package io.github.logits4j.golden;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.logits4j.FloatMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the committed golden files of {@code testdata/golden} (format 1, see {@code testdata/README.md}): cases whose
 * expected values PyTorch, Keras, numpy or scikit-learn computed.
 */
public final class Golden {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Loosest tolerance the foundation allows for float32 inputs against double references. */
    public static final double ABS = 1e-6;
    /** Relative tolerance; the looser of the two applies. */
    public static final double REL = 1e-5;

    private final String suite;
    private final JsonNode versions;
    private final List<Case> cases;

    private Golden(String suite, JsonNode versions, List<Case> cases) {
        this.suite = suite;
        this.versions = versions;
        this.cases = cases;
    }

    /** The directory of the committed test data (system property {@code logits4j.testdata}, else ../testdata). */
    public static Path testdata() {
        String dir = System.getProperty("logits4j.testdata");
        Path p = dir != null ? Paths.get(dir) : Paths.get("..", "testdata");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("testdata directory not found at " + p.toAbsolutePath());
        }
        return p;
    }

    /** Loads {@code testdata/golden/SUITE.json}. */
    public static Golden load(String suite) {
        Path file = testdata().resolve("golden").resolve(suite + ".json");
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root.path("format").asInt() != 1) {
                throw new IllegalStateException(file + ": format " + root.path("format") + ", expected 1");
            }
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(new Case(c));
            }
            return new Golden(suite, root.get("versions"), cases);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + file, e);
        }
    }

    public String suite() {
        return suite;
    }

    /** The library versions that computed the file, e.g. {@code {"torch": "2.13.0+cpu"}}. */
    public String versions() {
        return versions.toString();
    }

    public List<Case> cases() {
        return cases;
    }

    /** The case with id {@code id}; fails if there is none. */
    public Case caseById(String id) {
        for (Case c : cases) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalStateException("no golden case '" + id + "' in " + suite);
    }

    /** The cases of one op; fails if there are none, so a renamed op cannot silently skip its checks. */
    public List<Case> cases(String op) {
        List<Case> out = new ArrayList<>();
        for (Case c : cases) {
            if (c.op().equals(op)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no golden cases for op '" + op + "' in " + suite);
        }
        return out;
    }

    /** One golden case. */
    public static final class Case {
        private final JsonNode node;

        Case(JsonNode node) {
            this.node = node;
        }

        public String id() {
            return node.get("id").asText();
        }

        public String op() {
            return node.get("op").asText();
        }

        public String reference() {
            return node.path("reference").asText();
        }

        public boolean hasParam(String name) {
            JsonNode p = node.get("params").get(name);
            return p != null && !p.isNull();
        }

        private JsonNode param(String name) {
            JsonNode p = node.get("params").get(name);
            if (p == null) {
                throw new IllegalStateException(id() + ": no param '" + name + "'");
            }
            return p;
        }

        public double paramDouble(String name) {
            return param(name).asDouble();
        }

        public int paramInt(String name) {
            return param(name).asInt();
        }

        public boolean paramBoolean(String name) {
            return param(name).asBoolean();
        }

        public String paramString(String name) {
            return param(name).asText();
        }

        /** A list-of-numbers param, or null when it is JSON null. */
        public double[] paramDoubles(String name) {
            JsonNode p = param(name);
            if (p.isNull()) {
                return null;
            }
            double[] out = new double[p.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = p.get(i).asDouble();
            }
            return out;
        }

        /** A list-of-strings param, or null when it is JSON null. */
        public List<String> paramStrings(String name) {
            JsonNode p = param(name);
            if (p.isNull()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : p) {
                out.add(e.asText());
            }
            return out;
        }

        /** An object-of-strings param (e.g. {"x": "file.npy"}), in file order; null when it is JSON null. */
        public Map<String, String> paramObject(String name) {
            JsonNode p = param(name);
            if (p.isNull()) {
                return null;
            }
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        }

        /** The names of the case's inputs, in file order. */
        public List<String> inputNames() {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : node.get("inputs").properties()) {
                names.add(e.getKey());
            }
            return names;
        }

        /** Whether the param is a JSON array. */
        public boolean paramIsList(String name) {
            return param(name).isArray();
        }

        public Array input(String name) {
            return array("inputs", name);
        }

        public Array expected(String name) {
            return array("expected", name);
        }

        public List<String> expectedNames() {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : node.get("expected").properties()) {
                names.add(e.getKey());
            }
            return names;
        }

        private Array array(String section, String name) {
            JsonNode a = node.get(section).get(name);
            if (a == null) {
                throw new IllegalStateException(id() + ": no " + section + " '" + name + "'");
            }
            return new Array(id() + "/" + name, a);
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** An array value: dtype, shape and row-major data, all numbers widened to double. */
    public static final class Array {
        private final String where;
        private final String dtype;
        private final int[] shape;
        private final double[] data;

        Array(String where, JsonNode node) {
            this.where = where;
            this.dtype = node.get("dtype").asText();
            JsonNode s = node.get("shape");
            this.shape = new int[s.size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.get(i).asInt();
                n *= shape[i];
            }
            JsonNode d = node.get("data");
            if (d.size() != n) {
                throw new IllegalStateException(where + ": " + d.size() + " data for shape " + s);
            }
            this.data = new double[d.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = d.get(i).asDouble();
            }
        }

        public String dtype() {
            return dtype;
        }

        public int[] shape() {
            return shape.clone();
        }

        public int rank() {
            return shape.length;
        }

        public int dim(int i) {
            return shape[i];
        }

        public double[] doubles() {
            return data.clone();
        }

        public double scalar() {
            if (data.length != 1 || shape.length != 0) {
                throw new IllegalStateException(where + " is not a scalar");
            }
            return data[0];
        }

        /** The data as float32 (exact for float32 inputs, which the generator writes as widened doubles). */
        public float[] floats() {
            float[] out = new float[data.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) data[i];
            }
            return out;
        }

        public int[] ints() {
            int[] out = new int[data.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) data[i];
            }
            return out;
        }

        public boolean[] booleans() {
            boolean[] out = new boolean[data.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i] != 0;
            }
            return out;
        }

        /** A 2-D array as a matrix; a 1-D array of length N as {@code [N x 1]}. */
        public FloatMatrix matrix() {
            if (shape.length == 2) {
                return FloatMatrix.wrap(floats(), shape[0], shape[1]);
            }
            if (shape.length == 1) {
                return FloatMatrix.wrap(floats(), shape[0], 1);
            }
            throw new IllegalStateException(where + " has rank " + shape.length + ", expected 1 or 2");
        }
    }
}
