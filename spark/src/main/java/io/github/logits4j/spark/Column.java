package io.github.logits4j.spark;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * A DataFrame column as logits4j reads it: its name and position, its form (a Spark ML vector, an array of numbers, or
 * one number) and its element type; decided once on the driver from the schema.
 *
 * <pre>{@code
 * Column c = Column.of(df.schema(), "features");   // VECTOR, or ARRAY of FLOAT, ...
 * }</pre>
 */
final class Column implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a row holds the column's values. */
    enum Form { VECTOR, ARRAY, NUMBER }

    /** The Spark element type, narrowed to what reading needs. */
    enum Element { DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, BOOLEAN }

    final String name;
    final int ordinal;
    final Form form;
    final Element element;
    /**
     * Spark's type of the column (to read a key column of any type as text); every concrete {@code DataType} is a
     * Scala case class or object, so serializable, though the abstract type does not say so.
     */
    @SuppressWarnings("serial")
    final DataType type;

    private Column(String name, int ordinal, Form form, Element element, DataType type) {
        this.name = name;
        this.ordinal = ordinal;
        this.form = form;
        this.element = element;
        this.type = type;
    }

    /**
     * The column {@code name} of {@code schema}.
     *
     * @param what what the column is for, for the message ("features of input 'pixels'", "labels")
     * @throws IllegalArgumentException if there is no such column, or it holds neither a vector nor numbers
     */
    static Column of(StructType schema, String name, String what) {
        int ordinal;
        try {
            ordinal = schema.fieldIndex(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no column '" + name + "' for the " + what + "; the columns are "
                    + String.join(", ", schema.fieldNames()), e);
        }
        StructField f = schema.fields()[ordinal];
        DataType t = f.dataType();
        if (t.equals(SQLDataTypes.VectorType())) {
            return new Column(name, ordinal, Form.VECTOR, Element.DOUBLE, t);
        }
        if (t instanceof ArrayType a) {
            Element e = element(a.elementType());
            if (e != null) {
                return new Column(name, ordinal, Form.ARRAY, e, t);
            }
        }
        Element e = element(t);
        if (e != null) {
            return new Column(name, ordinal, Form.NUMBER, e, t);
        }
        throw new IllegalArgumentException("column '" + name + "' (the " + what + ") is " + t.simpleString()
                + "; expected a Spark ML vector, an array of numbers, or a number");
    }

    /**
     * A column of any type that names rows in messages.
     *
     * @throws IllegalArgumentException if there is no such column
     */
    static Column key(StructType schema, String name) {
        try {
            int ordinal = schema.fieldIndex(name);
            return new Column(name, ordinal, Form.NUMBER, Element.DOUBLE, schema.fields()[ordinal].dataType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no key column '" + name + "'; the columns are "
                    + String.join(", ", schema.fieldNames()), e);
        }
    }

    private static @Nullable Element element(DataType t) {
        if (t.equals(DataTypes.DoubleType)) {
            return Element.DOUBLE;
        } else if (t.equals(DataTypes.FloatType)) {
            return Element.FLOAT;
        } else if (t.equals(DataTypes.LongType)) {
            return Element.LONG;
        } else if (t.equals(DataTypes.IntegerType)) {
            return Element.INT;
        } else if (t.equals(DataTypes.ShortType)) {
            return Element.SHORT;
        } else if (t.equals(DataTypes.ByteType)) {
            return Element.BYTE;
        } else if (t.equals(DataTypes.BooleanType)) {
            return Element.BOOLEAN;
        }
        return null;
    }

    /** Whether the values are integers (so they can feed an integer input without rounding). */
    boolean integral() {
        return element != Element.DOUBLE && element != Element.FLOAT;
    }

    /** {@code 'features' (vector)}, for messages. */
    String describe() {
        String e = element.name().toLowerCase(Locale.ROOT);
        return "'" + name + "' (" + switch (form) {
            case VECTOR -> "vector";
            case ARRAY -> "array<" + e + ">";
            case NUMBER -> e;
        } + ")";
    }
}
