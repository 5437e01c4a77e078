package io.github.logits4j.spark;

import io.github.logits4j.OutputKind;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.Inputs;
import io.github.logits4j.onnx.ModelInspection;
import io.github.logits4j.onnx.ValueSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * Which DataFrame columns feed which model input, and which hold the labels and the row key; decided once on the
 * driver from the schema and the model's graph, then sent to the executors. A column that cannot feed its input (no
 * such column, a string, a float column for an integer input) is refused here, before any task starts.
 *
 * <pre>{@code
 * Binding b = Binding.bind(df.schema(), inspection, Map.of("pixels", List.of("features")), "label", null);
 * }</pre>
 */
final class Binding implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The element type an input is fed. */
    enum Target { FLOAT, LONG, INT }

    /** One model input: its columns (one vector or array column, or several number columns) and its row shape. */
    static final class Input implements Serializable {
        private static final long serialVersionUID = 1L;

        final String name;
        final Column[] columns;
        final Target target;
        /** The input's dimensions after the batch, -1 where dynamic. */
        final long[] rowDims;
        /** The values per row when every dimension is fixed, else -1 (taken from each batch's first row). */
        final int width;

        Input(String name, Column[] columns, Target target, long[] rowDims) {
            this.name = name;
            this.columns = columns;
            this.target = target;
            this.rowDims = rowDims;
            long w = 1;
            for (long d : rowDims) {
                w = d < 0 || w < 0 ? -1 : w * d;
            }
            this.width = (int) w;
        }

        /** The input's shape for {@code rows} rows of {@code width} values each. */
        long[] shape(int rows, int rowWidth) {
            long[] shape = new long[rowDims.length + 1];
            shape[0] = rows;
            long fixed = 1;
            int dynamic = -1;
            for (int i = 0; i < rowDims.length; i++) {
                shape[i + 1] = rowDims[i];
                if (rowDims[i] < 0) {
                    dynamic = i + 1;
                } else {
                    fixed *= rowDims[i];
                }
            }
            if (dynamic > 0) {
                shape[dynamic] = rowWidth / fixed;
            }
            return shape;
        }

        /** The columns, for messages. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (Column c : columns) {
                sb.append(sb.length() == 0 ? "" : ", ").append(c.describe());
            }
            return sb.toString();
        }
    }

    /** The inputs in the model's order; an unmodifiable list of {@code List.copyOf}, which serializes. */
    @SuppressWarnings("serial")
    final List<Input> inputs;
    final @Nullable Column label;
    final @Nullable Column key;
    /** A whole-number column whose value identifies the row for randomized prediction sets, or null. */
    final @Nullable Column rowId;
    final Task task;
    final int classes;

    private Binding(List<Input> inputs, @Nullable Column label, @Nullable Column key, @Nullable Column rowId,
            Task task, int classes) {
        this.inputs = List.copyOf(inputs);
        this.rowId = rowId;
        this.label = label;
        this.key = key;
        this.task = task;
        this.classes = classes;
    }

    /**
     * Binds the columns of {@code schema} to the model's inputs and labels.
     *
     * @param columns each batched model input's columns, by input name: one vector or array column, or several
     *     number columns in the order of the input's values
     * @param labelCol the label column, or null to score without labels
     * @param keyCol a column that identifies rows in error messages, or null
     * @throws IllegalArgumentException naming the input, the column, what was expected and what was found
     */
    static Binding bind(StructType schema, ModelInspection model, Map<String, List<String>> columns,
            @Nullable String labelCol, @Nullable String keyCol) {
        return bind(schema, model, columns, labelCol, keyCol, null);
    }

    /**
     * As {@link #bind(StructType, ModelInspection, Map, String, String)}, with a row-id column ({@code rowIdCol},
     * a whole number: long, int, short or byte) for randomized prediction sets, or null.
     */
    static Binding bind(StructType schema, ModelInspection model, Map<String, List<String>> columns,
            @Nullable String labelCol, @Nullable String keyCol, @Nullable String rowIdCol) {
        if (model.outputKind() == OutputKind.DECISION_VALUES) {
            throw new IllegalArgumentException(model.source() + ": output '" + model.output() + "' holds decision"
                    + " values (" + model.outputKindEvidence() + "), which have no probability column; if the model"
                    + " was trained with a log loss, set setOutputKind(\"logits\")");
        }
        Map<String, Integer> axes = model.batchAxes();
        Map<String, List<String>> left = new LinkedHashMap<>(columns);
        List<Input> inputs = new ArrayList<>();
        for (ValueSpec spec : model.inputs()) {
            String name = spec.name();
            Integer axis = axes.get(name);
            if (axis == null || axis != 0) {
                throw new IllegalArgumentException("model input '" + name + "' has "
                        + (axis == null || axis == Inputs.NO_BATCH_AXIS ? "no batch axis (a value given once)"
                        : "its batch on axis " + axis) + "; on Spark each input is read from columns, one row per"
                        + " row of the batch on axis 0");
            }
            List<String> names = left.remove(name);
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("no column for model input '" + name + "' ("
                        + describe(spec) + "); set it with setInputCols(\"" + name + "=COLUMN\")"
                        + (model.inputs().size() == 1 ? " or setFeaturesCol(...)" : ""));
            }
            Target target = target(spec);
            Column[] cs = new Column[names.size()];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = Column.of(schema, names.get(i), "values of model input '" + name + "'");
                if (cs.length > 1 && cs[i].form != Column.Form.NUMBER) {
                    throw new IllegalArgumentException("model input '" + name + "' is fed " + cs.length + " columns,"
                            + " so each must hold one number; column " + cs[i].describe() + " does not");
                }
                if (target != Target.FLOAT && !cs[i].integral()) {
                    throw new IllegalArgumentException("model input '" + name + "' is " + describe(spec)
                            + "; column " + cs[i].describe() + " holds fractions (cast it to an integer type)");
                }
            }
            long[] shape = spec.shape();
            long[] rowDims = shape == null ? new long[] {-1} : Arrays.copyOfRange(shape, 1, shape.length);
            if (Arrays.stream(rowDims).filter(d -> d < 0).count() > 1) {
                throw new IllegalArgumentException("model input '" + name + "' is " + describe(spec) + ": more than"
                        + " one dimension besides the batch is dynamic, so a row of values has no one shape");
            }
            Input in = new Input(name, cs, target, rowDims);
            if (cs.length > 1 && in.width >= 0 && in.width != cs.length) {
                throw new IllegalArgumentException("model input '" + name + "' is " + describe(spec) + ", "
                        + in.width + " values a row; " + cs.length + " columns were given");
            }
            inputs.add(in);
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("the model has no input " + String.join(", ", left.keySet())
                    + "; its inputs are " + String.join(", ", model.inputs().stream().map(ValueSpec::name).toList()));
        }
        Task task = model.task();
        Column label = null;
        if (labelCol != null) {
            label = Column.of(schema, labelCol, "labels");
            boolean matrix = task == Task.MULTILABEL;
            if (matrix == (label.form == Column.Form.NUMBER)) {
                throw new IllegalArgumentException("label column " + label.describe() + " does not fit a "
                        + task.id() + " model: expected " + (matrix ? "a vector or array of " + model.classes()
                        + " 0/1 values per row" : "one number per row (a class index" + (task == Task.BINARY
                        ? ", 0 or 1" : " from 0 to " + (model.classes() - 1)) + ")"));
            }
        }
        Column key = keyCol == null ? null : Column.key(schema, keyCol);
        Column rowId = null;
        if (rowIdCol != null) {
            rowId = Column.of(schema, rowIdCol, "row ids");
            if (rowId.form != Column.Form.NUMBER || !java.util.List.of(Column.Element.LONG, Column.Element.INT,
                    Column.Element.SHORT, Column.Element.BYTE).contains(rowId.element)) {
                throw new IllegalArgumentException("the row-id column " + rowId.describe() + " is not a whole number"
                        + " column; expected long, int, short or byte");
            }
        }
        return new Binding(inputs, label, key, rowId, task, model.classes());
    }

    private static Target target(ValueSpec spec) {
        String e = spec.elementType();
        if ("float".equals(e)) {
            return Target.FLOAT;
        } else if ("int64".equals(e)) {
            return Target.LONG;
        } else if ("int32".equals(e)) {
            return Target.INT;
        }
        throw new IllegalArgumentException("model input '" + spec.name() + "' is " + describe(spec) + "; on Spark"
                + " logits4j feeds float, int64 and int32 inputs");
    }

    private static String describe(ValueSpec spec) {
        return spec.elementType() + ValueSpec.formatShape(spec.shape(), spec.dimNames());
    }
}
