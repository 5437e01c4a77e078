package io.github.logits4j.onnx;

import java.util.Objects;

/**
 * A setting that settles what the model file cannot tell, named in the messages that ask for it: as a builder method
 * by default ({@link #method()}), or as a command-line option when the caller says so with
 * {@link OnnxClassifier.Builder#settingNames} (model settings) or {@code DataSet.Builder#settingNames} (data settings).
 *
 * <pre>{@code
 * OnnxClassifier.builder(path).settingNames(Setting::option).build();
 * // a model whose output kind the graph does not tell is then refused with "... say which with --output-kind"
 * }</pre>
 */
public enum Setting {
    /** Which model output holds the scores. */
    OUTPUT("output(...)", "--model-output"),
    /** What the scores are: logits, probabilities or log-probabilities. */
    OUTPUT_KIND("outputKind(...)", "--output-kind"),
    /** The task: multi-class, multi-label or binary. */
    TASK("task(...)", "--task"),
    /** Where the classes of a dense output lie: axis 1 or the last axis. */
    CLASS_AXIS("classAxis(...)", "--class-axis"),
    /** The class names, which also give the number of classes. */
    CLASS_NAMES("classNames(...)", "--class-names"),
    /** The data of one model input: a file, or a value for an input given once. */
    INPUTS("input(...)", "--inputs"),
    /** The labels file. */
    LABELS("labels(...)", "--labels"),
    /** The CSV columns that hold the labels. */
    LABEL_COLUMNS("labelColumns(...)", "--label-columns"),
    /** That a CSV file starts with a header row. */
    HEADER("header(true)", "--header yes"),
    /** That a .npy file's rows may be reshaped to a model input of another shape with as many values. */
    RESHAPE_INPUTS("reshapeInputs(true)", "--reshape-inputs"),
    /** One decision threshold for every label of a binary or multi-label model. */
    THRESHOLD("EvaluationOptions.builder().threshold(...)", "--threshold"),
    /** The decision thresholds of a binary or multi-label model from a file of tuned ones. */
    THRESHOLDS("ModelThresholds.read(...)", "--thresholds"),
    /** A temperature (or one per label) that scales the logits before the head. */
    CALIBRATION("EvaluationOptions.builder().temperatures(...)", "--calibration"),
    /** How far from 1 a row of probabilities may sum in an evaluation. */
    ROW_SUM_TOLERANCE("EvaluationOptions.builder().rowSumTolerance(...)", "--row-sum-tolerance");

    private final String method;
    private final String option;

    Setting(String method, String option) {
        this.method = Objects.requireNonNull(method);
        this.option = Objects.requireNonNull(option);
    }

    /** The builder method of {@link OnnxClassifier.Builder} or {@code DataSet.Builder}: {@code "outputKind(...)"}. */
    public String method() {
        return method;
    }

    /** The {@code logits4j} command-line option: {@code "--output-kind"}. */
    public String option() {
        return option;
    }
}
