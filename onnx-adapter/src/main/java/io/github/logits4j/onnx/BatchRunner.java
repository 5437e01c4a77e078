package io.github.logits4j.onnx;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs batches of named inputs through a {@link ModelSession} into a float buffer: checks the inputs against the
 * model's (names, element types, batch axes, fixed dimensions) before anything runs, copies them into the calling
 * thread's {@link Workspace}, feeds ONNX Runtime in chunks of the batch size (a fixed-batch model's last chunk padded,
 * the padding dropped), has ONNX Runtime write the scores straight into the caller's buffer (a ZipMap output is read
 * from its maps), and checks the scores against the {@link ModelContract}.
 *
 * <pre>{@code
 * BatchRunner runner = new BatchRunner(session, contract, 0);
 * long ortNanos = runner.run(inputs, out, workspace);     // out holds rows x classes scores
 * }</pre>
 *
 * <p>Thread-safe: it holds no mutable state of its own; each thread brings its own workspace and output buffer.
 */
final class BatchRunner {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelContract contract;
    private final Map<String, InputSpec> inputs;
    private final String output;
    private final int classes;
    private final int fixedBatch;
    private final int maxBatch;
    /**
     * The fixed batch size the output declares when the inputs do not share it (a converter artefact: hummingbird's
     * [8, 10] for a symbolic input batch), else -1. ONNX Runtime runs any batch of such a model (Python's onnxruntime
     * warns) but refuses a bound output of another size, so other batches are copied from its result; with a batch
     * size equal to it, a last partial batch is padded to it, for a model that runs only that size.
     */
    private final long declaredBatch;

    /**
     * @param maxBatch the most rows per ONNX Runtime run, or 0 for the whole batch (a fixed batch size wins)
     */
    BatchRunner(ModelSession session, ModelContract contract, int maxBatch) {
        this.env = session.env();
        this.session = session.session();
        this.contract = contract;
        this.inputs = session.inputs();
        this.output = contract.output();
        this.classes = contract.classes();
        this.fixedBatch = session.fixedBatch();
        this.maxBatch = maxBatch;
        this.declaredBatch = contract.zipMap() || fixedBatch > 0 ? -1 : contract.declaredOutputBatch();
    }

    /**
     * Runs {@code batch} into {@code out} ({@code rows × classes}, row-major) and checks the output against the
     * contract; returns the nanoseconds spent in ONNX Runtime. The caller holds the classifier's read lock.
     *
     * @throws IllegalArgumentException if the inputs do not match the model
     * @throws IllegalStateException    if ONNX Runtime fails or the output breaks the contract
     */
    long run(Inputs batch, FloatBuffer out, Workspace ws) {
        Objects.requireNonNull(batch, "inputs");
        validate(batch);
        NativeEnvironment.beginRun();
        long ortNanos = 0;
        int rows = batch.rows();
        try {
            int chunk = fixedBatch > 0 ? fixedBatch : maxBatch > 0 ? Math.min(maxBatch, rows) : rows;
            int pad = fixedBatch > 0 ? fixedBatch : maxBatch > 0 && maxBatch == declaredBatch ? maxBatch : 0;
            for (int start = 0; start < rows; start += chunk) {
                int valid = Math.min(chunk, rows - start);
                int modelRows = pad > 0 ? pad : valid;
                ortNanos += runChunk(batch, start, valid, modelRows, out, ws);
            }
        } finally {
            NativeEnvironment.endRun();
        }
        contract.checkOutput(out, rows, batch);
        return ortNanos;
    }

    /**
     * Runs a model with a dense output on the whole batch at once and returns its scores, ONNX Runtime's copy of the
     * output read in place (the output's spatial size may follow the input's, so nothing is pinned beforehand).
     *
     * @throws IllegalArgumentException if the inputs do not match the model
     * @throws IllegalStateException if ONNX Runtime fails or the output does not have the contract's classes
     */
    io.github.logits4j.DenseScores runDense(Inputs batch, Workspace ws) {
        Objects.requireNonNull(batch, "inputs");
        validate(batch);
        NativeEnvironment.beginRun();
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            int rows = batch.rows();
            for (Inputs.Tensor t : batch.tensors().values()) {
                tensors.put(t.name, ws.tensor(env, t, inputs.get(t.name), 0, rows, rows, batch.firstRow()));
            }
            try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                OnnxTensor value = (OnnxTensor) result.get(output).orElseThrow(() ->
                        new IllegalStateException("ONNX Runtime returned no output '" + output + "'"));
                long[] shape = value.getInfo().getShape();
                io.github.logits4j.DenseScores.ClassAxis axis = contract.denseAxis();
                int at = axis == io.github.logits4j.DenseScores.ClassAxis.FIRST ? 1 : shape.length - 1;
                if (shape.length < 3 || shape[0] != rows || shape[at] != classes) {
                    throw new IllegalStateException(contract.source() + ": output '" + output + "' came back "
                            + java.util.Arrays.toString(shape) + " for " + rows + " rows; expected " + classes
                            + " classes on " + (at == 1 ? "axis 1" : "the last axis"));
                }
                return io.github.logits4j.DenseScores.wrap(value.getFloatBuffer(), axis, shape);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on rows " + batch.firstRow() + ".."
                    + (batch.firstRow() + batch.rows() - 1) + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : tensors.values()) {
                t.close();
            }
            NativeEnvironment.endRun();
        }
    }

    private long runChunk(Inputs batch, int start, int valid, int modelRows, FloatBuffer out, Workspace ws) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        OnnxTensor pinned = null;
        try {
            for (Inputs.Tensor t : batch.tensors().values()) {
                tensors.put(t.name, ws.tensor(env, t, inputs.get(t.name), start, valid, modelRows, batch.firstRow()));
            }
            long t0 = System.nanoTime();
            if (contract.zipMap()) {
                try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                    long t1 = System.nanoTime();
                    readZipMap(result, start, valid, batch.firstRow(), out);
                    return t1 - t0;
                }
            }
            if (declaredBatch > 0 && modelRows != declaredBatch) {
                try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                    long t1 = System.nanoTime();
                    OnnxValue value = result.get(output).orElseThrow(() ->
                            new IllegalStateException("ONNX Runtime returned no output '" + output + "'"));
                    FloatBuffer scores = ((OnnxTensor) value).getFloatBuffer();
                    if (scores.remaining() != valid * classes) {
                        throw new IllegalStateException(contract.source() + ": output '" + output + "' holds "
                                + scores.remaining() + " values for " + valid + " rows; expected " + valid * classes);
                    }
                    out.duplicate().position(start * classes).put(scores);
                    return t1 - t0;
                }
            }
            FloatBuffer target;
            if (modelRows == valid) {
                target = out.duplicate().position(start * classes).limit((start + valid) * classes).slice();
            } else {
                target = ws.padded(modelRows * classes);
            }
            pinned = OnnxTensor.createTensor(env, target, contract.outputShape(modelRows));
            // The output is written into the pinned buffer; the result holds nothing else to read.
            session.run(tensors, Set.of(), Map.of(output, pinned)).close();
            long elapsed = System.nanoTime() - t0;
            if (modelRows != valid) {
                for (int i = 0; i < valid * classes; i++) {
                    out.put(start * classes + i, target.get(i));
                }
            }
            return elapsed;
        } catch (OrtException e) {
            long first = batch.firstRow() + start;
            String advice = declaredBatch > 0 && modelRows != declaredBatch ? "; output '" + output + "' declares a"
                    + " fixed batch of " + declaredBatch + ": if the model runs only batches of that size, set the"
                    + " batch size to " + declaredBatch + " (OnnxClassifier.Builder.batchSize, --batch-size), and"
                    + " logits4j pads the last batch to it" : "";
            throw new IllegalStateException("ONNX Runtime failed on rows " + first + ".." + (first + valid - 1) + ": "
                    + e.getMessage() + advice, e);
        } finally {
            for (OnnxTensor t : tensors.values()) {
                t.close();
            }
            if (pinned != null) {
                pinned.close();
            }
        }
    }

    /** Reads a ZipMap output (sequence of maps) into the matrix, in the ZipMap's class-label order. */
    private void readZipMap(OrtSession.Result result, int start, int valid, long firstRow, FloatBuffer out)
            throws OrtException {
        OnnxValue value = result.get(output).orElseThrow(() ->
                new IllegalStateException("ONNX Runtime returned no output '" + output + "'"));
        if (!(value instanceof OnnxSequence seq)) {
            throw new IllegalStateException("output '" + output + "' is " + value.getType()
                    + "; expected a sequence of maps");
        }
        List<? extends OnnxValue> maps = seq.getValue();
        List<String> keys = contract.zipMapKeys();
        try {
            for (int r = 0; r < valid; r++) {
                Map<? extends Object, ? extends Object> m = ((OnnxMap) maps.get(r)).getValue();
                for (int c = 0; c < classes; c++) {
                    Object v = m.get(keyOf(m, keys.get(c)));
                    if (!(v instanceof Number number)) {
                        throw new IllegalStateException("output '" + output + "' row " + (firstRow + start + r)
                                + " has no probability for class '" + keys.get(c) + "'");
                    }
                    out.put((start + r) * classes + c, number.floatValue());
                }
            }
        } finally {
            for (OnnxValue v : maps) {
                v.close();
            }
        }
    }

    /** The map key for a ZipMap label: the label text for string keys, its numeric value for int64 keys. */
    private static Object keyOf(Map<? extends Object, ? extends Object> m, String label) {
        if (m.isEmpty() || m.keySet().iterator().next() instanceof String) {
            return label;
        }
        return Long.parseLong(label);
    }

    private void validate(Inputs batch) {
        if (!batch.names().equals(inputs.keySet())) {
            throw new IllegalArgumentException("the model's inputs are " + inputs.keySet() + "; found "
                    + batch.names());
        }
        if (batch.rows() == 0) {
            throw new IllegalArgumentException("empty batch: expected at least one row");
        }
        for (Inputs.Tensor t : batch.tensors().values()) {
            InputSpec spec = inputs.get(t.name);
            boolean typeOk = switch (spec.type) {
                case FLOAT -> t.isFloat();
                case INT64, INT32 -> !t.isFloat();
                default -> false;
            };
            if (!typeOk) {
                throw new IllegalArgumentException("input '" + t.name + "' is " + t.elementType()
                        + "; the model expects " + spec.describe());
            }
            if (t.batchAxis != spec.batchAxis) {
                throw new IllegalArgumentException("input '" + t.name + "' " + axisText(t.batchAxis)
                        + "; the model's input " + spec.describe() + " " + axisText(spec.batchAxis)
                        + (spec.batchAxis == Inputs.NO_BATCH_AXIS ? " (add it with Inputs.Builder.constant)"
                        : spec.batchAxis > 0 ? " (say so with Inputs.Builder.batchAxis)" : ""));
            }
            boolean shapeOk = spec.shape == null || spec.shape.length == t.shape.length;
            for (int i = 0; spec.shape != null && shapeOk && i < spec.shape.length; i++) {
                shapeOk = i == spec.batchAxis || spec.shape[i] < 0 || spec.shape[i] == t.shape[i];
            }
            if (!shapeOk && !t.batched() && spec.fixedSize() == t.size()) {
                shapeOk = true; // a constant of the right size in another shape ([1] for a scalar) is fed reshaped
            }
            if (!shapeOk) {
                throw new IllegalArgumentException("input '" + t.name + "' has shape " + Arrays.toString(t.shape)
                        + "; the model expects " + spec.describe() + (spec.batchAxis == Inputs.NO_BATCH_AXIS
                        ? " (given once, no batch axis)" : " (axis " + spec.batchAxis + " is the batch)"));
            }
        }
    }

    private static String axisText(int axis) {
        return axis == Inputs.NO_BATCH_AXIS ? "has no batch axis" : "has its batch on axis " + axis;
    }
}
