package io.github.logits4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code logits4j --version} prints: the logits4j, ONNX Runtime and Java versions.
 *
 * <pre>{@code
 * $ ./logits4j --version
 * logits4j 0.1.0-SNAPSHOT
 * ONNX Runtime 1.29.0
 * Java 17.0.15 (Debian)
 * }</pre>
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "logits4j " + logits4jVersion(),
            "ONNX Runtime " + onnxRuntimeVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    static String logits4jVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return orElse(p.getProperty("version"));
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String onnxRuntimeVersion() {
        try {
            return orElse(ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
        } catch (RuntimeException | LinkageError e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static String orElse(String s) {
        return s == null || s.isBlank() || s.startsWith("${") ? "unknown" : s;
    }
}
