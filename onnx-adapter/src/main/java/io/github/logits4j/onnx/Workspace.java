package io.github.logits4j.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One thread's reusable direct buffers: the inputs copied for ONNX Runtime, the output it writes, and the padded
 * output of a fixed-batch model. {@link OnnxClassifier} keeps one per thread and drops them all when it closes.
 *
 * <pre>{@code
 * Workspace ws = new Workspace();
 * FloatBuffer out = ws.output(rows * classes);     // reused by the next call on this thread
 * }</pre>
 *
 * <p>Not thread-safe: one thread uses one workspace.
 */
final class Workspace {
    private final Map<String, ByteBuffer> buffers = new HashMap<>();
    private FloatBuffer padded;
    private FloatBuffer output;

    /** A direct buffer of {@code floats} floats, reused by the next call on this thread. */
    FloatBuffer output(int floats) {
        if (output == null || output.capacity() < floats) {
            output = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        return output.duplicate().position(0).limit(floats).slice();
    }

    /** Drops the buffers (the classifier is closed; the garbage collector frees their native memory). */
    void release() {
        buffers.clear();
        padded = null;
        output = null;
    }

    FloatBuffer padded(int floats) {
        if (padded == null || padded.capacity() < floats) {
            padded = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        return padded.duplicate().position(0).limit(floats).slice();
    }

    private ByteBuffer buffer(String name, int bytes) {
        ByteBuffer b = buffers.get(name);
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
            buffers.put(name, b);
        }
        ByteBuffer view = b.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        return view.slice().order(ByteOrder.nativeOrder());
    }

    /**
     * Copies rows [start, start+valid) of {@code t} (along its batch axis) into a direct buffer of
     * {@code modelRows} rows, zero-padded; an input without a batch axis is copied whole. {@code firstRow} is the
     * batch's first row in its data set, for messages.
     */
    OnnxTensor tensor(OrtEnvironment env, Inputs.Tensor t, InputSpec spec, int start, int valid, int modelRows,
            long firstRow) throws OrtException {
        long[] shape = t.shape.clone();
        int blocks;
        int inner;
        int rows;
        if (t.batched()) {
            shape[t.batchAxis] = modelRows;
            blocks = (int) t.outer();
            inner = (int) t.inner();
            rows = (int) t.rows();
        } else {
            shape = spec.shape != null && spec.fixedSize() == t.size() ? spec.shape.clone() : shape;
            blocks = 1;
            inner = t.size();
            rows = 1;
            start = 0;
            valid = 1;
            modelRows = 1;
        }
        int count = blocks * modelRows * inner;
        if (t.isFloat()) {
            FloatBuffer fb = buffer(t.name, count * Float.BYTES).asFloatBuffer();
            for (int o = 0; o < blocks; o++) {
                int from = (o * rows + start) * inner;
                if (t.floats != null && t.floats.hasArray()) {
                    fb.put(t.floats.array(), t.floats.arrayOffset() + from, valid * inner);
                } else if (t.floats != null) {
                    float[] row = new float[inner];
                    for (int r = 0; r < valid; r++) {
                        t.floats.copyRowTo(start + r, row, 0);
                        fb.put(row);
                    }
                } else {
                    fb.put(t.floatArray, from, valid * inner);
                }
                for (int i = valid * inner; i < modelRows * inner; i++) {
                    fb.put(0f);
                }
            }
            fb.flip();
            return OnnxTensor.createTensor(env, fb, shape);
        }
        if (spec.type == OnnxJavaType.INT32) {
            IntBuffer ib = buffer(t.name, count * Integer.BYTES).asIntBuffer();
            for (int o = 0; o < blocks; o++) {
                int from = (o * rows + start) * inner;
                for (int i = 0; i < valid * inner; i++) {
                    long v = t.longs != null ? t.longs[from + i] : t.ints[from + i];
                    if (v != (int) v) {
                        throw new IllegalArgumentException("input '" + t.name + "' value " + v
                                + (t.batched() ? " at row " + (firstRow + start + i / inner) : "")
                                + " does not fit the model's int32");
                    }
                    ib.put((int) v);
                }
                for (int i = valid * inner; i < modelRows * inner; i++) {
                    ib.put(0);
                }
            }
            ib.flip();
            return OnnxTensor.createTensor(env, ib, shape);
        }
        LongBuffer lb = buffer(t.name, count * Long.BYTES).asLongBuffer();
        for (int o = 0; o < blocks; o++) {
            int from = (o * rows + start) * inner;
            if (t.longs != null) {
                lb.put(t.longs, from, valid * inner);
            } else {
                for (int i = 0; i < valid * inner; i++) {
                    lb.put(t.ints[from + i]);
                }
            }
            for (int i = valid * inner; i < modelRows * inner; i++) {
                lb.put(0L);
            }
        }
        lb.flip();
        return OnnxTensor.createTensor(env, lb, shape);
    }
}
