package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./logits4j} launcher, run in a copy of the repository layout with a stand-in {@code mvn} on the PATH
 * (it records each build, takes a second, and writes a small runnable jar, or fails after writing a 0-byte one):
 * builds are serialised, the jar that runs is replaced atomically, and a jar that does not open is rebuilt.
 */
class LauncherTest {
    @TempDir
    Path repo;

    private Path bin;
    private Path hello;

    @BeforeEach
    void layout() throws Exception {
        Path launcher = Golden.testdata().getParent().resolve("logits4j");
        Files.copy(launcher, repo.resolve("logits4j"));
        repo.resolve("logits4j").toFile().setExecutable(true);
        for (String m : List.of("core", "onnx-adapter", "cli")) {
            Files.createDirectories(repo.resolve(m).resolve("src"));
            Files.writeString(repo.resolve(m).resolve("pom.xml"), "<project/>");
            Files.writeString(repo.resolve(m).resolve("src").resolve("A.java"), "class A {}");
        }
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        hello = helloJar(repo.resolve("hello.jar"));
        bin = Files.createDirectories(repo.resolve("bin"));
        fakeMaven("ok");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        try (var files = Files.walk(repo)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    /** A jar whose main class prints "hello" and its arguments. */
    private static Path helloJar(Path jar) throws IOException {
        Path src = Files.createTempDirectory("hello");
        Path java = Files.writeString(src.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(\"hello \""
                        + " + String.join(\" \", a)); } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(),
                java.toString()));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("Hello.class"));
            j.write(Files.readAllBytes(src.resolve("Hello.class")));
            j.closeEntry();
        }
        return jar;
    }

    /** A stand-in mvn: "ok" builds (1 s) by copying the hello jar; "broken" writes a 0-byte jar and fails. */
    private void fakeMaven(String mode) throws IOException {
        String target = repo.resolve("cli/target/logits4j.jar").toString();
        String script = "#!/usr/bin/env bash\n"
                + "echo build >> " + repo.resolve("builds.log") + "\n"
                + "mkdir -p " + repo.resolve("cli/target") + "\n"
                + ("ok".equals(mode)
                ? "sleep 1\ncp " + hello + " " + target + "\n"
                : ": > " + target + "\nexit 1\n");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, script);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("logits4j").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PATH", bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private int builds() throws IOException {
        Path log = repo.resolve("builds.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    @Test
    void twoLaunchersStartedTogetherBuildOnceAndBothRun() throws Exception {
        Process a = start("one");
        Process b = start("two");
        assertTrue(finish(a).contains("hello one"));
        assertTrue(finish(b).contains("hello two"));
        assertEquals(1, builds(), "one build for two launchers");
        assertTrue(finish(start("three")).contains("hello three"));
        assertEquals(1, builds(), "a fresh jar is not rebuilt");
    }

    /**
     * Each command gets its own class archive (a first run of another command, or of the help, would leave most of
     * what this one loads out of a shared archive); options before the command do not change which.
     */
    @Test
    void eachCommandHasItsOwnClassArchive() throws Exception {
        assertTrue(finish(start("--verbose", "evaluate", "--model", "m")).contains("hello --verbose evaluate"));
        finish(start("inspect"));
        finish(start("--help"));
        List<String> archives;
        try (var files = Files.list(repo.resolve("cli/target/launch"))) {
            archives = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jsa")).sorted().toList();
        }
        assertEquals(3, archives.size(), archives.toString());
        assertTrue(archives.get(0).endsWith("-vector-evaluate.jsa"), archives.toString());
        assertTrue(archives.get(1).endsWith("-vector-inspect.jsa"), archives.toString());
        assertTrue(archives.get(2).endsWith("-vector-other.jsa"), archives.toString());
    }

    @Test
    void aJarThatDoesNotOpenIsRebuiltNotRun() throws Exception {
        finish(start("first"));
        Path launch = repo.resolve("cli/target/launch/logits4j.jar");
        Files.write(launch, new byte[0]);                  // newer than the sources, but empty
        assertTrue(finish(start("again")).contains("hello again"));
        assertEquals(2, builds());
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(hello), 100);
        Files.write(launch, cut);                          // a cut-off jar
        assertTrue(finish(start("cut")).contains("hello cut"));
        assertEquals(3, builds());
    }

    @Test
    void aFailedBuildLeavesNoJarThatLaterRunsTrip() throws Exception {
        fakeMaven("broken");
        Process p = start("x");
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("the build failed"), out);
        assertTrue(!Files.exists(repo.resolve("cli/target/launch/logits4j.jar")));
        fakeMaven("ok");
        assertTrue(finish(start("y")).contains("hello y"));
    }
}
