package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's native libraries are unpacked once beside the jar and reused; a changed jar gets a fresh copy and
 * the old one goes; a jar without libraries for the platform, or no jar at all, leaves ONNX Runtime to unpack them.
 */
class NativeCacheTest {
    @TempDir
    Path dir;

    private Path jar(String name, String content) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            for (String entry : List.of("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", "io/Other.class")) {
                j.putNextEntry(new JarEntry(entry));
                j.write((entry + content).getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void unpacksOnceAndReusesTheCopy() throws IOException {
        Path jar = jar("logits4j.jar", "v1");
        Path first = NativeCache.unpacked(jar, "linux-x64");
        assertEquals(List.of("libonnxruntime.so", "libonnxruntime4j_jni.so"), names(first));
        assertArrayEquals("ai/onnxruntime/native/linux-x64/libonnxruntime.sov1".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(first.resolve("libonnxruntime.so")));
        FileTime written = Files.getLastModifiedTime(first.resolve("libonnxruntime.so"));
        assertEquals(first, NativeCache.unpacked(jar, "linux-x64"));
        assertEquals(written, Files.getLastModifiedTime(first.resolve("libonnxruntime.so")), "not unpacked again");
        assertEquals(List.of(first.getFileName().toString()), names(dir.resolve("native")));
    }

    @Test
    void aRebuiltJarGetsAFreshCopyAndTheOldOneGoes() throws IOException {
        Path jar = jar("logits4j.jar", "v1");
        Path first = NativeCache.unpacked(jar, "linux-x64");
        jar("logits4j.jar", "version two");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        Path second = NativeCache.unpacked(jar, "linux-x64");
        assertFalse(first.equals(second));
        assertFalse(Files.exists(first), "the copy of the old jar is removed");
        assertTrue(new String(Files.readAllBytes(second.resolve("libonnxruntime.so")), StandardCharsets.UTF_8)
                .endsWith("version two"));
    }

    @Test
    void nothingToUnpackLeavesOnnxRuntimeToDoIt() throws IOException {
        Path jar = jar("logits4j.jar", "v1");
        assertNull(NativeCache.unpacked(jar, "win-x64"));
        assertNull(NativeCache.unpacked(jar, null));
        assertNull(NativeCache.unpacked(dir, "linux-x64"), "a classes directory, as in tests");
        assertEquals(List.of(), names(dir.resolve("native")), "no half-unpacked directory is left");
    }
}
