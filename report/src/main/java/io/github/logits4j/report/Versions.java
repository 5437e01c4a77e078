package io.github.logits4j.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The logits4j version, as the build wrote it into this jar: what the HTML page and {@code logits4j --version} show.
 *
 * <pre>{@code
 * String v = Versions.logits4j();      // "0.1.0-SNAPSHOT", or "unknown" outside a built jar
 * }</pre>
 */
public final class Versions {
    private Versions() {
    }

    /** This jar's logits4j version, or {@code "unknown"}. */
    public static String logits4j() {
        try (InputStream in = Versions.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
