package io.github.logits4j.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.github.logits4j.LoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks, before any native code of ONNX Runtime runs, what is known to crash it and cannot be fixed from Java: ONNX
 * Runtime 1.29.0 dies with SIGSEGV (exit 139, no message, no {@code hs_err} file) during native initialisation when
 * the process command line is longer than about 4 KB (a {@code -cp} of a few dozen jars, one long {@code -D} option);
 * 1.20.0 to 1.28.0 do not. logits4j depends on 1.28.0; this guard stops a class path that brings 1.29.0 with a clear
 * error instead of a crash.
 *
 * <pre>{@code
 * NativeGuard.check("model.onnx");   // throws LoadException naming the version, the length and what to do
 * }</pre>
 */
final class NativeGuard {
    /** Versions that crash on a long command line. */
    static final Set<String> LONG_COMMAND_LINE_CRASH = Set.of("1.29.0");
    /** The command-line length above which those versions crash (measured: 4,096 bytes crash, shorter ones not). */
    static final int SAFE_COMMAND_LINE = 4000;

    private NativeGuard() {
    }

    /** The ONNX Runtime version on the class path: its jar's manifest, else the one logits4j was built with. */
    static String onnxRuntimeVersion() {
        Package p = OrtEnvironment.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v != null && !v.isBlank() && OrtEnvironment.class.getProtectionDomain().getCodeSource() != null
                && String.valueOf(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation())
                .contains("onnxruntime")) {
            return v;
        }
        return builtVersion();
    }

    /** The ONNX Runtime version logits4j was built with ({@code build.properties}, written by the build). */
    static String builtVersion() {
        Properties props = new Properties();
        try (InputStream in = NativeGuard.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return props.getProperty("onnxruntime.version", "unknown");
    }

    /**
     * The length of this process's command line: the bytes of {@code /proc/self/cmdline} on Linux (the JDK's
     * {@link ProcessHandle.Info#commandLine()} stops at 4,096), else what the JDK reports, or -1.
     */
    static long commandLineLength() {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            if (cmdline.length > 0) {
                return cmdline.length;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not mounted: ask the JDK
        }
        return ProcessHandle.current().info().commandLine().map(String::length).orElse(-1).longValue();
    }

    /** The problem with running {@code version} under a command line of {@code length} characters, or null. */
    static @Nullable String problem(String version, long length) {
        if (!LONG_COMMAND_LINE_CRASH.contains(version) || length <= SAFE_COMMAND_LINE) {
            return null;
        }
        return "ONNX Runtime " + version + " crashes in its native initialisation when the process command line is"
                + " longer than about 4 KB, and this one has " + length + " characters; use ONNX Runtime 1.28.0 (the"
                + " version logits4j depends on), or shorten the command line: pass the class path through the"
                + " CLASSPATH variable or a java @argfile instead of -cp";
    }

    /**
     * Throws before ONNX Runtime's native code is loaded when it is known to crash here.
     *
     * @throws LoadException naming {@code source}, the version, the command-line length and the remedy
     */
    static void check(String source) throws LoadException {
        String problem = problem(onnxRuntimeVersion(), commandLineLength());
        if (problem != null) {
            throw new LoadException(source + ": " + problem);
        }
    }
}
