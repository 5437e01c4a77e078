package io.github.logits4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * ONNX Runtime's native libraries, unpacked once next to the command's jar and reused by every later run. ONNX
 * Runtime otherwise copies them (about 25 MB) out of the jar into a new temporary directory on each start, which
 * costs the command about 0.15 s a run. Points the system property {@code onnxruntime.native.path} at the unpacked
 * copy; does nothing when that property is already set, when the command does not run from a jar (tests), or when
 * the jar's directory cannot be written, and then ONNX Runtime unpacks as usual.
 *
 * <pre>{@code
 * NativeCache.prepare();      // first thing in main, before any ONNX Runtime class loads
 * }</pre>
 */
final class NativeCache {
    private static final String PROPERTY = "onnxruntime.native.path";

    private NativeCache() {
    }

    static void prepare() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            CodeSource source = NativeCache.class.getProtectionDomain().getCodeSource();
            Path dir = source == null ? null : unpacked(Path.of(source.getLocation().toURI()), platform());
            if (dir != null) {
                System.setProperty(PROPERTY, dir.toString());
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // ONNX Runtime unpacks its libraries itself, as it always does without this cache
        }
    }

    /**
     * The directory holding {@code jar}'s native libraries for {@code platform}, unpacked on first use under
     * {@code native/} beside the jar, one directory per jar content (size and time); null when {@code jar} is not a
     * file or holds none for the platform.
     */
    static Path unpacked(Path jar, String platform) throws IOException {
        if (platform == null || !Files.isRegularFile(jar)) {
            return null;
        }
        String stamp = Long.toHexString(Files.size(jar)) + "-"
                + Long.toHexString(Files.getLastModifiedTime(jar).toMillis());
        Path root = jar.resolveSibling("native");
        Path dir = root.resolve(platform + "-" + stamp);
        if (!Files.isDirectory(dir) && !unpack(jar, "ai/onnxruntime/native/" + platform + "/", root, dir)) {
            return null;
        }
        return dir;
    }

    /** ONNX Runtime's name of this platform's folder in its jar, or null for one it does not ship. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win"
                : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }

    /**
     * Unpacks the entries under {@code prefix} into a new directory beside {@code dir}, renamed to {@code dir} when
     * complete (a concurrent run that got there first wins; ours is removed), and removes the copies of older jars.
     */
    private static boolean unpack(Path jar, String prefix, Path root, Path dir) throws IOException {
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".unpack-");
        try {
            boolean any = false;
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    String name = entry.getName();
                    if (!entry.isDirectory() && name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                        try (InputStream in = file.getInputStream(entry)) {
                            Files.copy(in, tmp.resolve(name.substring(prefix.length())));
                        }
                        any = true;
                    }
                }
            }
            if (!any) {
                return false;
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.isDirectory(dir)) {
                    throw raced;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(root)) {
            for (Path p : old) {
                if (!p.equals(dir) && !p.getFileName().toString().startsWith(".")) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // an old copy left behind costs disk space only
        }
        return true;
    }

    private static void deleteTree(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
                    for (Path c : children) {
                        deleteTree(c);
                    }
                }
            }
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }
}
