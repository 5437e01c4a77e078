package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.onnx.OnnxClassifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Starts the service on 127.0.0.1, port 0, with a 4 KiB request cap; every request has a 10 s timeout. */
class ClassifierHttpServiceTest {
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static OnnxClassifier model;
    private static ClassifierHttpService service;
    private static URI classify;
    private static FloatMatrix pixels;
    private static FloatMatrix labels;

    @BeforeAll
    static void start() throws Exception {
        model = OnnxClassifier.builder(ModelGoldens.file("models/digits_metadata_labels.onnx")).build();
        service = ClassifierHttpService.start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                MAX_BYTES, 4);
        assertTrue(service.address().getAddress().isLoopbackAddress(), service.address().toString());
        classify = URI.create("http://127.0.0.1:" + service.address().getPort() + ClassifierHttpService.PATH);
        pixels = ExampleData.readMatrix(ModelGoldens.file("data/digits_test_x.npy"), 3);
        labels = ExampleData.readMatrix(ModelGoldens.file("data/digits_test_y.npy"), 3);
    }

    @AfterAll
    static void stop() {
        service.close();
        model.close();
    }

    /** {"pixels": [[...], ...]} with the first {@code rows} test images, and extra fields if given. */
    private static String body(int rows, String extra) {
        StringBuilder json = new StringBuilder("{\"pixels\": [");
        for (int r = 0; r < rows; r++) {
            json.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 64; c++) {
                json.append(c == 0 ? "" : ",").append(pixels.get(r, c));
            }
            json.append(']');
        }
        return json.append(']').append(extra).append('}').toString();
    }

    private static HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The error message of a JSON error answer with {@code status}; never a stack trace. */
    private static String error(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode json = JSON.readTree(response.body());
        assertEquals(1, json.size(), response.body());
        String message = json.get("error").asText();
        assertFalse(message.contains("Exception") || message.contains("\tat "), message);
        return message;
    }

    @Test
    void classifiesDigitsWithNamesAndProbabilities() throws Exception {
        HttpResponse<String> response = post(classify, body(3, ", \"top_k\": 2"));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        assertEquals(3, predictions.size());
        List<String> names = model.classNames();
        for (int row = 0; row < 3; row++) {
            JsonNode p = predictions.get(row);
            int digit = (int) labels.get(row, 0);
            assertEquals(2, p.get("classes").size());
            assertEquals(digit, p.get("classes").get(0).asInt(), "row " + row);
            assertEquals(names.get(digit), p.get("names").get(0).asText());
            assertEquals(names.get(p.get("classes").get(1).asInt()), p.get("names").get(1).asText());
            double best = p.get("probabilities").get(0).asDouble();
            assertTrue(best > 0.99 && best <= 1.0, "row " + row + ": " + best);
            assertTrue(p.get("probabilities").get(1).asDouble() <= best);
        }
    }

    @Test
    void topKDefaultsToThree() throws Exception {
        HttpResponse<String> response = post(classify, body(1, ""));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(3, JSON.readTree(response.body()).get("predictions").get(0).get("names").size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"pixel": [[0.5]]}                 | missing field 'pixels'; expected an array of rows of 64 numbers
            {"pixels": [[0.5, 0.25]]}          | pixels[0] has 2 values; expected 64
            {"pixels": []}                     | field 'pixels' is an empty array
            {"pixels": "0.5"}                  | field 'pixels' is a string
            {"pixels": [0.5]}                  | pixels[0] is a number; expected an array of 64 numbers
            {"pixels": [[0.5, 0.25]            | the body is not valid JSON (line 1, column 24): Unexpected end-of-input
            [1, 2]                             | the body is an array; expected an object with field 'pixels'
            {"pixels": [[0.5, 0.25]]} trailing | the body is not valid JSON
            """)
    void aBadBodyIs400WithAMessageNamingTheProblem(String body, String expected) throws Exception {
        String message = error(post(classify, body), 400);
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void aNonNumericValueIsNamedByRowAndColumn() throws Exception {
        String body = body(2, "").replaceFirst("\\], \\[([^,]*),([^,]*),", "], [$1,\"x\",");
        assertEquals("pixels[1][1] is \"x\"; expected a number", error(post(classify, body), 400));
    }

    @Test
    void aNumberBeyondTheFloatRangeIs400() throws Exception {
        String body = body(1, "").replaceFirst("\\[\\[[^,]*,[^,]*,", "[[0,1e39,");
        assertEquals("pixels[0][1] is beyond the float range; expected at most 3.4e38 in magnitude",
                error(post(classify, body), 400));
    }

    @Test
    void anEmptyBodyAndABadTopKAre400() throws Exception {
        assertTrue(error(post(classify, ""), 400).startsWith("the body is empty"));
        assertEquals("top_k is 11; expected an integer from 1 to 10",
                error(post(classify, body(1, ", \"top_k\": 11")), 400));
        assertEquals("top_k is \"2\"; expected an integer from 1 to 10",
                error(post(classify, body(1, ", \"top_k\": \"2\"")), 400));
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        String big = body(1, ", \"padding\": \"" + "x".repeat(3 * MAX_BYTES) + "\"");
        assertEquals("the body is " + big.length() + " bytes; at most 4096 bytes are accepted",
                error(post(classify, big), 413));

        // Without a Content-Length (chunked), the service stops reading after the cap.
        HttpRequest.Builder chunked = HttpRequest.newBuilder(classify).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        assertEquals("the body is more than 4096 bytes; at most 4096 bytes are accepted", error(send(chunked), 413));

        // The service still answers afterwards.
        assertEquals(200, post(classify, body(1, "")).statusCode());
    }

    @Test
    void otherMethodsAre405AndOtherPaths404() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(classify).GET());
        assertEquals("method GET is not allowed; use POST", error(get, 405));
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        assertEquals("method PUT is not allowed; use POST",
                error(send(HttpRequest.newBuilder(classify).PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405));
        assertEquals("no such path /predict; POST to /classify", error(post(classify.resolve("/predict"), "{}"), 404));
    }

    @Test
    void concurrentRequestsShareOneModel() throws Exception {
        String body = body(3, "");
        String alone = post(classify, body).body();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inFlight.add(CLIENT.sendAsync(HttpRequest.newBuilder(classify).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> response = f.get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals(alone, response.body());
        }
    }

    @Test
    void aMultiLabelModelIsRefusedAtStart() throws Exception {
        try (OnnxClassifier tagger = OnnxClassifier.builder(
                ModelGoldens.file("models/digits_attributes_sigmoid.onnx")).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassifierHttpService
                    .start(tagger, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), MAX_BYTES, 1));
            assertTrue(e.getMessage().contains("multilabel"), e.getMessage());
        }
    }
}
