package io.github.logits4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.logits4j.metrics.MulticlassMetrics;
import io.github.logits4j.metrics.ReportCurves;
import io.github.logits4j.report.HtmlReport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --format html} writes one self-contained page that a real browser renders: headless Chromium
 * ({@code --headless --no-sandbox --disable-gpu}, a fresh profile, no network: background networking off and every
 * host unresolvable) loads it from the disk,
 * every chart holds its SVG after the scripts ran, no script failed, and the numbers the tables show equal the JSON
 * report's. The page references nothing outside itself. A screenshot of each page is kept under
 * {@code target/html-report/}. The browser tests are skipped, saying why, only where no Chromium is installed
 * ({@code .ci/run} installs Debian's).
 */
class HtmlReportTest {
    private static final Path SHOTS = Path.of("target", "html-report");
    private static String chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        String env = System.getenv("LOGITS4J_CHROMIUM");
        for (String candidate : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome"}) {
            if (candidate != null && new File(candidate).canExecute()) {
                chromium = candidate;
                return;
            }
        }
    }

    private static void requireChromium() {
        Assumptions.assumeTrue(chromium != null, "no Chromium found (set LOGITS4J_CHROMIUM, or install Debian's"
                + " chromium as .ci/run does): the browser test is skipped");
    }

    /** What the browser made of a page: the DOM after the scripts ran, and its log. */
    private record Rendered(String dom, String log) {
    }

    private Rendered render(Path page, String shot) throws Exception {
        List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--virtual-time-budget=5000", "--host-resolver-rules=MAP * ~NOTFOUND");
        List<String> dump = new ArrayList<>(common);
        dump.addAll(List.of("--user-data-dir=" + dir.resolve("profile-dom"), "--enable-logging=stderr", "--v=0",
                "--dump-dom", page.toUri().toString()));
        Path dom = dir.resolve(shot + ".dom.html");
        Path log = dir.resolve(shot + ".log");
        Process p = new ProcessBuilder(dump).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "Chromium did not finish in 90 s");
        Files.createDirectories(SHOTS);
        List<String> screenshot = new ArrayList<>(common);
        screenshot.addAll(List.of("--user-data-dir=" + dir.resolve("profile-shot"), "--window-size=1100,3600",
                "--screenshot=" + SHOTS.resolve(shot + ".png").toAbsolutePath(), page.toUri().toString()));
        Process s = new ProcessBuilder(screenshot).redirectErrorStream(true)
                .redirectOutput(dir.resolve(shot + ".shot.log").toFile()).start();
        assertTrue(s.waitFor(90, TimeUnit.SECONDS), "Chromium's screenshot did not finish in 90 s");
        return new Rendered(Files.readString(dom, StandardCharsets.UTF_8), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The page, and the JSON report of the same run. */
    private Path page(String name, String... args) throws Exception {
        Path html = dir.resolve(name + ".html");
        List<String> a = new ArrayList<>(List.of("evaluate"));
        a.addAll(List.of(args));
        Cli.run(concat(a, "--format", "html", "--output", html.toString())).ok();
        return html;
    }

    private static String[] concat(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private Rendered check(String name, int charts, String... args) throws Exception {
        requireChromium();
        Path html = page(name, args);
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertSelfContained(text);
        List<String> evaluate = new ArrayList<>(List.of("evaluate"));
        evaluate.addAll(List.of(args));
        Map<String, Object> json = Cli.run(concat(evaluate, "--format", "json")).ok().json();
        Rendered r = render(html, name);
        assertTrue(r.dom().contains("data-rendered=\"ok\""), () -> "the page's script failed: " + r.log());
        assertFalse(r.dom().contains("data-error="), "a script error was reported");
        assertTrue(r.dom().contains("data-charts=\"" + charts + "\""), "charts rendered: " + charts);
        Matcher chart = Pattern.compile("<div class=\"chart\" id=\"([a-z_0-9]+)\"[^>]*>(.*?)</div>", Pattern.DOTALL)
                .matcher(r.dom());
        int withSvg = 0;
        while (chart.find()) {
            assertTrue(chart.group(2).contains("<svg"), "chart " + chart.group(1) + " holds no SVG");
            withSvg++;
        }
        assertEquals(charts, withSvg, "charts with their SVG");
        for (String line : r.log().split("\\R")) {
            assertFalse(line.contains("CONSOLE") && (line.contains("Error") || line.contains("Uncaught")),
                    "console error: " + line);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = json.get("metrics") instanceof Map<?, ?> m ? (Map<String, Object>) m : json;
        Matcher cell = Pattern.compile("<td class=\"num\" data-value=\"([^\"]*)\" data-metric=\"([a-z_0-9]+)\">"
                + "([^<]*)</td>").matcher(r.dom());
        int compared = 0;
        while (cell.find()) {
            Object expected = metrics.get(cell.group(2));
            if (expected instanceof Number n) {
                assertEquals(n.doubleValue(), Double.parseDouble(cell.group(3)), 5e-7 * Math.max(1, Math.abs(
                        n.doubleValue())), cell.group(2) + " shown");
                assertEquals(n.doubleValue(), Double.parseDouble(cell.group(1)), 0.0, cell.group(2) + " value");
                compared++;
            }
        }
        assertTrue(compared >= 10, "numbers compared with the JSON report: " + compared);
        assertTrue(r.dom().contains(String.valueOf(json.get("samples"))), "the row count is shown");
        return r;
    }

    /**
     * A segmentation model's page (issue 25): the metric and per-class tables equal the JSON report, the IoU by class
     * and the confusion matrix are drawn, and the first 4 samples' label and predicted masks are painted, each with
     * the classes that the labels file and the command's own npy masks hold there.
     */
    @Test
    void segmentationPageShowsIouAndMasks() throws Exception {
        Rendered r = check("segmentation", 2, "--model", Cli.model("seg_fcn_tiny_legacy"), "--inputs",
                Cli.data("seg_test_x.npy"), "--labels", Cli.data("seg_test_y.npy"), "--ignore-index", "255");
        assertTrue(r.dom().contains("data-masks=\"8\""), "4 samples' masks, labels and predicted");
        Path masks = dir.resolve("masks.npy");
        Cli.run("predict", "--model", Cli.model("seg_fcn_tiny_legacy"), "--inputs", Cli.data("seg_test_x.npy"),
                "--format", "npy", "--output", masks.toString()).ok();
        long[] predicted = new long[4 * 64 * 64];
        long[] labels = new long[predicted.length];
        try (io.github.logits4j.data.NpyArray p = io.github.logits4j.data.NpyArray.open(masks);
                io.github.logits4j.data.NpyArray y = io.github.logits4j.data.NpyArray.open(
                        Path.of(Cli.data("seg_test_y.npy")))) {
            p.readLongs(0, 4, predicted, 0);
            y.readLongs(0, 4, labels, 0);
        }
        for (int s = 0; s < 4; s++) {
            for (String which : List.of("labels", "predicted")) {
                long[] values = which.equals("labels") ? labels : predicted;
                long classes = java.util.Arrays.stream(values, s * 4096, (s + 1) * 4096).filter(v -> v != 255)
                        .distinct().count();
                Matcher m = Pattern.compile("<canvas [^>]*data-mask=\"" + which + "-" + s + "\"[^>]*data-classes=\""
                        + "(\\d+)\"").matcher(r.dom());
                assertTrue(m.find(), which + " mask of sample " + s + " painted");
                assertEquals(classes, Long.parseLong(m.group(1)), which + " classes of sample " + s);
            }
        }
    }

    /** A token classifier's page: the tables, the IoU by class, the confusion matrix and the entity types. */
    @Test
    void tokenClassifierPageShowsEntityTypes() throws Exception {
        Rendered r = check("tokens", 2, "--model", Cli.model("ner_bert_tiny"), "--inputs",
                "input_ids=" + Cli.data("ner_test_ids.npy"), "--inputs",
                "attention_mask=" + Cli.data("ner_test_mask.npy"), "--labels", Cli.data("ner_test_y.npy"));
        assertTrue(r.dom().contains("Entities by type"), "the entity table");
        for (String type : List.of("LOC", "MISC", "ORG", "PER")) {
            assertTrue(r.dom().contains("<td class=\"\" data-value=\"" + type + "\">" + type + "</td>"), type);
        }
        assertFalse(r.dom().contains("data-masks="), "no masks for tokens");
    }

    private static void assertSelfContained(String html) {
        assertTrue(html.startsWith("<!DOCTYPE html>"), "an HTML page");
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:|//)").matcher(html).find(),
                "the page loads nothing from the network");
        assertFalse(html.contains("<link"), "no linked resources");
        assertTrue(html.contains("id=\"logits4j-data\""), "the data is embedded");
    }

    @Test
    void multiClassPageRendersInChromium() throws Exception {
        check("digits", 4, "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
                "--labels", Cli.data("digits_test_y.npy"));
    }

    /** evaluate --conformal adds the prediction sets' table, set sizes and coverage by class against 1 - alpha. */
    @Test
    void predictionSetsAddTheirChartsToThePage() throws Exception {
        requireChromium();
        Path sets = dir.resolve("conformal.json");
        Cli.run("conformalize", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_val_x.npy"),
                "--labels", Cli.data("digits_val_y.npy"), "--alpha", "0.1", "--output", sets.toString()).ok();
        check("digits_sets", 6, "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
                "--labels", Cli.data("digits_test_y.npy"), "--conformal", sets.toString());
    }

    /** Class names that would end the page's data script or open a comment in it (issue 22). */
    static final String HOSTILE_NAMES = String.join(",", "<!--", "<script>", "</script><img src=x onerror=alert(1)>",
            "]]>", "-->", "<\\/script>", "\"quoted\"", "&amp;", "\u2028line", "\u001b[31mred");

    @Test
    void hostileClassNamesStayInsideTheData() throws Exception {
        String[] args = {"--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_test_x.npy"),
            "--labels", Cli.data("digits_test_y.npy"), "--class-names", HOSTILE_NAMES};
        String text = Files.readString(page("hostile", args), StandardCharsets.UTF_8);
        int start = text.indexOf("id=\"logits4j-data\">") + "id=\"logits4j-data\">".length();
        String data = text.substring(start, text.indexOf("</script>", start));
        assertFalse(data.contains("<"), "no '<' inside the embedded data: " + data.substring(0, Math.min(400,
                data.length())));
        assertTrue(data.contains("\\u003c!--"), "escaped, not dropped");
        check("hostile", 4, args);
    }

    @Test
    void binaryPageRendersInChromium() throws Exception {
        check("breast_cancer", 4, "--model", Cli.model("breast_cancer_logit"), "--task", "binary", "--inputs",
                Cli.data("breast_cancer_test_x.npy"), "--labels", Cli.data("breast_cancer_test_y.npy"));
    }

    @Test
    void multiLabelPageRendersInChromium() throws Exception {
        check("digits_attributes", 3, "--model", Cli.model("digits_attributes_logits"), "--task", "multilabel",
                "--inputs", Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_attributes.npy"),
                "--threshold", "0.4");
    }

    @Test
    void calibratePageShowsBeforeAndAfter() throws Exception {
        requireChromium();
        Path fit = dir.resolve("temperature.json");
        Path html = dir.resolve("calibration.html");
        Cli.run("calibrate", "--model", Cli.model("digits_logits"), "--inputs", Cli.data("digits_val_x.npy"),
                "--labels", Cli.data("digits_val_y.npy"), "--output", fit.toString(), "--html", html.toString()).ok();
        String text = Files.readString(html, StandardCharsets.UTF_8);
        assertSelfContained(text);
        Rendered r = render(html, "calibration");
        assertTrue(r.dom().contains("data-rendered=\"ok\"") && r.dom().contains("data-charts=\"1\""), r.log());
        assertTrue(r.dom().contains("Reliability diagrams before and after"), "both diagrams");
        Map<String, Object> saved = Cli.JSON.readValue(fit.toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        for (String key : List.of("temperature", "nll_before", "nll_after", "ece_before", "ece_after")) {
            Matcher cell = Pattern.compile("data-value=\"([^\"]*)\" data-metric=\"" + key + "\"").matcher(r.dom());
            assertTrue(cell.find(), key + " shown");
            assertEquals(((Number) saved.get(key)).doubleValue(), Double.parseDouble(cell.group(1)), 0.0, key);
        }
    }

    @Test
    void htmlGoesToStandardOutputToo() {
        Cli.Result r = Cli.run("evaluate", "--model", Cli.model("digits_logits"), "--inputs",
                Cli.data("digits_test_x.npy"), "--labels", Cli.data("digits_test_y.npy"), "--format", "html").ok();
        assertTrue(r.out().startsWith("<!DOCTYPE html>") && r.out().endsWith("</html>\n"), "one page on stdout");
        assertSelfContained(r.out());
    }

    /** A thousand classes stay under 2 MB: curves drawn for 20 classes, the confusion matrix shown for 30. */
    @Test
    void aThousandClassesStayUnderTwoMegabytes() throws Exception {
        int classes = 1000;
        int rows = 20_000;
        Random rnd = new Random(7);
        double[] p = new double[rows * classes];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rnd.nextInt(classes);
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double v = Math.exp(rnd.nextGaussian() + (c == y[r] ? 4.0 : 0.0));
                p[r * classes + c] = v;
                sum += v;
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] /= sum;
            }
        }
        MulticlassMetrics m = MulticlassMetrics.builder(classes).build();
        m.update(p, rows, y, null);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", "synthetic-1000-classes.onnx");
        report.put("samples", (long) rows);
        report.put("classes", classes);
        report.put("task", "multiclass");
        report.put("output_kind", "probabilities");
        report.put("activation_applied", "none");
        report.put("provider", "cpu");
        report.put("loss", Map.of("name", "cross_entropy", "value", 0.5));
        report.put("metrics", m.result().toMap());
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class_" + c);
        }
        report.put("class_names", names);
        String html = HtmlReport.render(report, ReportCurves.of(m, HtmlReport.CURVE_POINTS,
                HtmlReport.CURVE_CLASSES));
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        System.out.println("HTML report: " + bytes + " bytes for " + classes + " classes");
        assertTrue(bytes < 2_000_000, bytes + " bytes");
        assertTrue(html.contains("\"confusion_truncated\":true"), "the confusion matrix is cut to its classes");
        assertSelfContained(html);
        if (chromium != null) {
            Path page = Files.writeString(dir.resolve("thousand.html"), html);
            Rendered r = render(page, "thousand_classes");
            assertTrue(r.dom().contains("data-rendered=\"ok\""), () -> "the page's script failed: " + r.log());
            assertTrue(r.dom().contains("Showing the 30 classes of most support out of 1000"), "says it is cut");
        }
    }
}
