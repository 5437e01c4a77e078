package io.github.logits4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.golden.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The publishing metadata stays true: the BOM (which has no parent, so that importing it brings only logits4j's
 * versions) has the parent's version and manages every published artifact, and the project carries its license.
 */
class BuildMetadataTest {
    private static final Path ROOT = Golden.testdata().toAbsolutePath().getParent();

    private static String ownVersion(String pom) {
        String afterParent = pom.contains("</parent>") ? pom.substring(pom.indexOf("</parent>")) : pom;
        Matcher m = Pattern.compile("<artifactId>[^<]+</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(afterParent);
        assertTrue(m.find(), "no version in " + afterParent.substring(0, Math.min(400, afterParent.length())));
        return m.group(1);
    }

    @Test
    void theBomHasTheProjectVersionAndEveryPublishedArtifact() throws Exception {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("bom").resolve("pom.xml"));
        assertEquals(ownVersion(parent), ownVersion(bom), "bom/pom.xml version");
        for (String artifact : new String[] {"logits4j-core", "logits4j-onnx", "logits4j-cli",
            "logits4j-spark"}) {
            assertTrue(bom.contains("<artifactId>" + artifact + "</artifactId>"), "the BOM lacks " + artifact);
        }
        assertTrue(parent.contains("<module>bom</module>"), "the BOM is built with the project");
    }

    @Test
    void theProjectIsApacheLicensed() throws Exception {
        String license = Files.readString(ROOT.resolve("LICENSE"));
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"), "LICENSE");
        assertTrue(Files.readString(ROOT.resolve("pom.xml"))
                .contains("https://www.apache.org/licenses/LICENSE-2.0.txt"), "the POM names the license");
    }
}
