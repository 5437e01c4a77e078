package io.github.logits4j.cli;

import io.github.logits4j.LoadException;
import io.github.logits4j.SafeText;
import io.github.logits4j.data.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Turns failures into one line on standard error and an exit code: a wrong command line is 2, a model or data file
 * that is missing, unreadable or does not fit is 3 ({@link LoadException}, {@link DataException}, and the
 * {@link IllegalArgumentException} or {@link IllegalStateException} that logits4j throws for data it cannot use), and
 * anything else is 1 with a hint to rerun with {@code --verbose}, which adds the stack trace.
 *
 * <pre>{@code
 * public Integer call() {
 *     return Errors.guard(main, this::run);     // run() may throw; the user sees "error: x.npy: file not found"
 * }
 * }</pre>
 */
final class Errors {
    private Errors() {
    }

    /** Runs {@code body}; reports what it throws (a {@link ParameterException} is left to picocli's handler). */
    static int guard(Main main, Callable<Integer> body) {
        try {
            return body.call();
        } catch (ParameterException e) {
            throw e;
        } catch (Exception | OutOfMemoryError | StackOverflowError | ExceptionInInitializerError e) {
            return report(main, e);
        }
    }

    /** Prints {@code e} as one line (and its stack trace with {@code --verbose}); returns its exit code. */
    static int report(Main main, Throwable e) {
        if (e instanceof ExceptionInInitializerError init && init.getCause() != null) {
            // a class refused its configuration as it loaded (-Dlogits4j.vectorBits=1024): report the reason itself
            return report(main, init.getCause());
        }
        int code;
        String message;
        if (e instanceof LoadException || e instanceof DataException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof UncheckedIOException
                || e instanceof IOException) {
            code = Main.EXIT_DATA;
            message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (e instanceof IOException && !(e instanceof java.nio.file.FileSystemException)) {
                message = "input/output error: " + message;
            } else if (e instanceof java.nio.file.NoSuchFileException) {
                message = message + ": no such file or directory";
            } else if (e instanceof java.nio.file.AccessDeniedException) {
                message = message + ": permission denied";
            }
        } else if (e instanceof OutOfMemoryError) {
            code = Main.EXIT_UNEXPECTED;
            message = "out of memory (" + e.getMessage() + "); use a smaller --batch-size, or give Java more heap"
                    + " (LOGITS4J_JAVA_OPTS=-Xmx8g)";
        } else {
            code = Main.EXIT_UNEXPECTED;
            message = "unexpected " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (main.verbose() ? "" : " (rerun with --verbose for the stack trace)");
        }
        main.err().println("error: " + SafeText.escape(oneLine(message), false));
        if (main.verbose()) {
            e.printStackTrace(main.err());
        }
        main.err().flush();
        return code;
    }

    /** picocli's handler for a wrong command line: one line naming the problem and where to find help; exit 2. */
    static int handleParameterException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        if (!(e instanceof UnmatchedArgumentException) && !cl.getUnmatchedArguments().isEmpty()) {
            // an unknown option explains a missing one ("--lables y.npy") better than "missing --labels" does
            e = new UnmatchedArgumentException(cl, cl.getUnmatchedArguments());
        }
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3,
                        suggestions.size()))) + "?";
            }
        }
        cl.getErr().println("error: " + SafeText.escape(oneLine(message), false) + " (see '"
                + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** {@code text} on one line: line breaks and the blanks around them become one space. */
    static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
