package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's embedding section, as a user copies it (issue 23): every {@code java} block there is a whole class with its
 * imports; each compiles against the library as written, and runs from the repository's root.
 */
class ReadmeSnippetsTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddingSnippetsCompileAndRunAsWritten() throws Exception {
        Path root = Golden.testdata().getParent();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Embedding");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 5));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        List<Path> sources = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        while (block.find()) {
            String code = block.group(1);
            Matcher name = Pattern.compile("public final class (\\w+)").matcher(code);
            assertTrue(name.find(), "a java block that is not a whole class:\n" + code);
            classes.add(name.group(1));
            sources.add(Files.writeString(dir.resolve(name.group(1) + ".java"), code));
        }
        assertEquals(List.of("Embed", "EvaluateDataSet", "TuneAndReport"), classes);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
            boolean ok = javac.getTask(diagnostics, files, null, List.of("-classpath",
                    System.getProperty("java.class.path"), "-d", dir.toString(), "-Xlint:all", "-Werror"), null,
                    units).call();
            assertTrue(ok, "README's snippets do not compile:\n" + diagnostics);
        }

        // run them from the repository's root, where their relative paths point, as a user would
        StringBuilder printed = new StringBuilder();
        for (String c : classes) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    dir + java.io.File.pathSeparator + System.getProperty("java.class.path"), c)
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), c + " did not finish");
            assertEquals(0, p.exitValue(), c + ":\n" + text);
            printed.append(text);
        }
        String out = printed.toString();
        assertTrue(out.contains("5 rows;") && out.contains("cross_entropy"), out);
        assertTrue(out.contains("binary_cross_entropy") && out.contains("thresholds"), out);
    }
}
