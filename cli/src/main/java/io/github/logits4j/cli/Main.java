package io.github.logits4j.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code logits4j} command: {@code inspect}, {@code evaluate}, {@code predict}, {@code tune-thresholds} and
 * {@code calibrate} over an ONNX classifier and data in {@code .npy} or CSV files.
 *
 * <pre>{@code
 * ./logits4j evaluate --model digits.onnx --inputs x.npy --labels y.npy --format json
 *
 * // in-process, with captured streams (as the tests do):
 * int exit = new Main(out, err).execute("inspect", "--model", "digits.onnx");
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 an unexpected failure (a bug: rerun with {@code --verbose} for the stack trace), 2 a
 * wrong command line (unknown option, missing or malformed value, conflicting options), 3 a model or data file that
 * is missing, unreadable or does not fit (shape, labels, NaN in the model's output, a file for another model). Errors
 * are one line on standard error; standard output carries nothing but the report.
 */
@Command(name = "logits4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs ONNX classifiers on .npy or CSV data: the right head (softmax, sigmoid, exp or none) "
                + "applied once, losses matching PyTorch and metrics matching scikit-learn.",
        footer = {Main.EXIT_CODES, "Environment: LOGITS4J_PROGRESS=1 or 0 turns the progress bar on standard error on"
                + " or off (default: on when standard error is a terminal).",
            "Run 'logits4j COMMAND --help' for a command's options."})
public final class Main {
    /** The help footer on exit codes, shared by every command. */
    static final String EXIT_CODES = "%nExit codes: 0 success, 1 unexpected failure (rerun with --verbose), 2 wrong "
            + "command line, 3 a model or data file that is missing, unreadable or does not fit. Errors are one line "
            + "on standard error; standard output carries only the report.";

    /** Exit code of a run that failed in an unexpected way (a bug). */
    static final int EXIT_UNEXPECTED = 1;
    /** Exit code of a wrong command line. */
    static final int EXIT_USAGE = 2;
    /** Exit code of a model or data file that is missing, unreadable or does not fit. */
    static final int EXIT_DATA = 3;

    /**
     * The subcommands in the order the help lists them. A run builds only the one its arguments name (picocli reads
     * each command's annotations reflectively: building all six cost about 0.1 s of every start), all of them for
     * the help, an unknown name or an {@code @file} of arguments.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("inspect", InspectCommand::new);
        COMMANDS.put("evaluate", EvaluateCommand::new);
        COMMANDS.put("predict", PredictCommand::new);
        COMMANDS.put("tune-thresholds", TuneThresholdsCommand::new);
        COMMANDS.put("calibrate", CalibrateCommand::new);
        COMMANDS.put("conformalize", ConformalizeCommand::new);
    }

    private final PrintStream out;
    private final CheckedOutput checkedOut;
    private final PrintStream err;
    private Map<String, String> environment = System.getenv();
    private boolean console = System.console() != null;
    private boolean verbose;
    /** The arguments ask for the version alone: no subcommand is built. */
    private boolean versionOnly;

    /**
     * A command that writes to the process's standard output (every write checked: a report that cannot be written
     * is an error) and to {@link System#err}.
     */
    public Main() {
        this(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), System.err);
    }

    /** A command that writes its report to {@code out} and errors and progress to {@code err}. */
    public Main(PrintStream out, PrintStream err) {
        this.out = Objects.requireNonNull(out, "out");
        this.checkedOut = null;
        this.err = Objects.requireNonNull(err, "err");
    }

    /**
     * A command that writes its report to {@code out}, checking every write: when one fails for another reason than
     * a reader that went away (a broken pipe), the command ends with an error naming the reason and exit 3.
     */
    Main(OutputStream out, PrintStream err) {
        this.checkedOut = new CheckedOutput(Objects.requireNonNull(out, "out"));
        this.out = new PrintStream(checkedOut, false, StandardCharsets.UTF_8);
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        NativeCache.prepare();
        System.exit(new Main().execute(args));
    }

    /** Runs {@code args} and returns the exit code; never throws and never exits the JVM. */
    public int execute(String... args) {
        versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        int code = commandLine(this, named(args)).execute(args);
        out.flush();
        if (checkedOut != null && checkedOut.lost()) {
            err.println("error: standard output: cannot write: " + Errors.oneLine(checkedOut.reason())
                    + "; the report is lost");
            err.flush();
            return code == 0 ? EXIT_DATA : code;
        }
        return code;
    }

    /**
     * A picocli command line for this command with its streams, one-line parameter errors (exit 2) and the exit code
     * mapping installed; {@code commandLine().execute(args)} is {@link #execute(String...)}.
     */
    public CommandLine commandLine() {
        return commandLine(this);
    }

    /**
     * A picocli command line for {@code command}, a command of its own (the jobs of {@code logits4j-spark}), with
     * this command's streams, one-line errors and exit codes: what {@code command}'s {@code call()} throws is
     * reported as {@code logits4j} reports it.
     */
    public CommandLine commandLine(Object command) {
        return commandLine(command, null);
    }

    /** The subcommand {@code args} run (the first argument that is not an option), or null when it is not plain. */
    private static String named(String[] args) {
        for (String a : args) {
            if (a.startsWith("@")) {
                return null;                     // an argument file: picocli expands it
            }
            if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) ? a : null;
            }
        }
        return null;
    }

    /** {@link #commandLine(Object)} with only subcommand {@code only} of this command (null: all of them). */
    private CommandLine commandLine(Object command, String only) {
        CommandLine cl = new CommandLine(command);
        if (command == this && !(only == null && versionOnly)) {
            COMMANDS.forEach((name, make) -> {
                if (only == null || only.equals(name)) {
                    cl.addSubcommand(name, make.get());
                }
            });
        }
        cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler(Errors::handleParameterException);
        cl.setExecutionExceptionHandler((e, line, parsed) -> Errors.report(this, e));
        return cl;
    }

    /** Prints the stack trace of errors, and debug logging. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace; log what ONNX Runtime and logits4j decide.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
    }

    boolean verbose() {
        return verbose;
    }

    /**
     * Prints the stack trace of an error after its one line, as {@code --verbose} does: for a command of its own run
     * through {@link #commandLine(Object)} (the Spark jobs), which takes {@code --verbose} itself.
     */
    public void stackTraces(boolean on) {
        this.verbose = on;
    }

    /** Where reports go. */
    public PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The environment variables (replaceable in tests). */
    Map<String, String> environment() {
        return environment;
    }

    void environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
    }

    /** Whether the JVM has a console (replaceable in tests). */
    boolean console() {
        return console;
    }

    void console(boolean console) {
        this.console = console;
    }
}
