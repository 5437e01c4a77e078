package io.github.logits4j.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.logits4j.FloatMatrix;
import io.github.logits4j.LoadException;
import io.github.logits4j.Task;
import io.github.logits4j.onnx.OnnxClassifier;
import io.github.logits4j.onnx.Scores;
import io.github.logits4j.onnx.ValueSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example 4: a tiny JSON classification service on the JDK's own {@link HttpServer}, with no framework. One
 * {@link OnnxClassifier} is shared by every request (it is thread-safe), requests run on a fixed pool of threads,
 * bodies are capped in size, and a bad request is answered with 400 and a message that names the problem, never a
 * stack trace.
 *
 * <pre>
 * java -cp ... io.github.logits4j.examples.ClassifierHttpService [model.onnx [port [host]]]
 *
 * curl -s localhost:8080/classify -d '{"pixels": [[0, 0, 0.125, 0.8125, ... 64 numbers in all]], "top_k": 3}'
 * {"predictions":[{"classes":[7,9,4],"names":["seven","nine","four"],
 *                   "probabilities":[0.99919724,8.0027984E-4,2.250744E-6]}]}
 * </pre>
 *
 * <p>The request field is the model's input name ({@code pixels} for the digits models); each row must hold as many
 * numbers as the model's input has features. {@code top_k} is optional (default 3, at most the class count).
 * Errors: 400 for a body that is not what is expected (a bad {@code Content-Length}, JSON nested deeper than
 * {@value #MAX_JSON_DEPTH} levels), 404 for another path, 405 for a method other than POST, 413 for a body larger than
 * the cap, 503 when the request queue is full; each with {@code {"error": "..."}}. By default the service binds to
 * 127.0.0.1 only.
 *
 * <p><b>Slow and idle clients, load and shutdown.</b> Connections are read and answered by up to
 * {@value #IO_THREADS} I/O threads (the JDK's server reads headers and bodies on them, so a slow or idle client holds
 * one while it sends, not a turn of the model); the model runs at most {@code threads} requests at once, and at most
 * {@code queue} more wait for a turn (up to {@value #WAIT_SECONDS} s); beyond that a request is answered 503 at once.
 * A request whose headers and body have not arrived within the JDK server's request time
 * ({@code sun.net.httpserver.maxReqTime}, set to {@value #REQUEST_SECONDS} seconds unless the JVM was started with it)
 * is closed by the server. An oversized body is read and dropped (up to 256 MiB) before its 413, so the client reads
 * the answer rather than a reset. A finite input whose output the model cannot make finite is a 400. {@link #close()}
 * stops accepting connections and lets the requests in flight finish (up to 5 seconds); on SIGTERM {@link #main}
 * closes the service, then the model, while logits4j lets the model runs in flight finish and refuses new ones: a
 * request whose run would start after that is answered 503, never 500.
 *
 * <p>One limit of the JDK's server: it parses {@code Content-Length} itself and answers an unparsable, negative or
 * conflicting one with its own {@code text/html} 400 before any handler runs. A service that must answer JSON there
 * too needs a server that lets it see the headers first (Jetty, Netty, ...).
 */
public final class ClassifierHttpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierHttpService.class);
    /** The default request size cap: 1 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;
    /** The path that classifies. */
    public static final String PATH = "/classify";
    private static final int DEFAULT_TOP_K = 3;
    /** The deepest JSON nesting a body may have. */
    public static final int MAX_JSON_DEPTH = 32;
    /** The threads that read and answer connections (slow clients hold one each, not a turn of the model). */
    public static final int IO_THREADS = 256;
    /** The seconds a request may wait for the model's turn before it is answered 503. */
    public static final int WAIT_SECONDS = 30;
    /** The most bytes of an oversized body read and discarded, so that the client reads its 413 (not a reset). */
    private static final long DRAIN_BYTES = 256L << 20;
    /** The seconds a request may take to arrive, unless {@code sun.net.httpserver.maxReqTime} says otherwise. */
    public static final int REQUEST_SECONDS = 10;
    /** Marks the overflow pool's threads, whose requests are answered 503 without being read. */
    private static final ThreadLocal<Boolean> OVERFLOW = ThreadLocal.withInitial(() -> false);

    static {
        // read once by the JDK's server when its first instance starts: set them before, unless the JVM's own say so
        setDefault("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
        setDefault("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
        setDefault("sun.net.httpserver.idleInterval", "30");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)     // "{...} junk" is an error, not ignored
            .build();

    private final OnnxClassifier model;
    private final String input;
    private final int features;
    private final int maxRequestBytes;
    private final ThreadPoolExecutor executor;
    private final ThreadPoolExecutor overflow;
    /** The model's turns: {@code threads} at once, {@code queue} more waiting. */
    private final ModelGate gate;
    /** Requests being answered (a handler between its first and last byte). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    /** How long a closing service keeps answering (503) what it had accepted before it stops. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final HttpServer server;

    /** One row's answer: the {@code top_k} best classes, best first, with their names and probabilities. */
    public record Prediction(int[] classes, List<String> names, float[] probabilities) {
    }

    private ClassifierHttpService(OnnxClassifier model, InetSocketAddress address, int maxRequestBytes, int threads,
            int queue) throws IOException {
        if (model.task() != Task.MULTICLASS || model.inputNames().size() != 1) {
            throw new IllegalArgumentException("this service serves single-input multi-class models; found "
                    + model.task().id() + " with inputs " + model.inputNames());
        }
        this.model = model;
        this.input = model.inputNames().iterator().next();
        ValueSpec spec = model.inspection().inputs().stream().filter(s -> s.name().equals(input)).findFirst()
                .orElseThrow();
        long[] shape = spec.shape();
        if (shape == null || shape.length != 2 || shape[1] < 1) {
            throw new IllegalArgumentException("input '" + input + "' is " + spec + "; expected [batch, features]");
        }
        this.features = (int) shape[1];
        this.maxRequestBytes = maxRequestBytes;
        this.server = HttpServer.create(address, 0);
        this.overflow = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
            Thread t = new Thread(() -> {
                OVERFLOW.set(true);
                r.run();
            }, "classifier-overflow");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        // Connections are served by a pool of I/O threads, large because the JDK's server reads a request's headers
        // and body on them and a slow or idle client holds one while it sends; the model runs under a gate of
        // `threads` permits with at most `queue` requests waiting for one, so slow clients never take the model's turn.
        int io = Math.max(IO_THREADS, threads + queue);
        this.executor = new ThreadPoolExecutor(io, io, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "classifier-io");
            t.setDaemon(true);
            return t;
        }, (task, pool) -> overflow.execute(task));
        executor.allowCoreThreadTimeOut(true);
        this.gate = new ModelGate(threads, queue, WAIT_SECONDS);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts serving {@code model} at {@code address} (port 0 picks a free port). The caller keeps ownership of the
     * model: close the service first, then the model.
     *
     * @param maxRequestBytes the largest request body accepted, in bytes (at most 2^30)
     * @param threads the number of requests served at once
     * @throws IOException if the address cannot be bound
     */
    public static ClassifierHttpService start(OnnxClassifier model, InetSocketAddress address, int maxRequestBytes,
            int threads) throws IOException {
        return start(model, address, maxRequestBytes, threads, 4 * Math.max(threads, 1));
    }

    /**
     * {@link #start(OnnxClassifier, InetSocketAddress, int, int)} with {@code queue} requests allowed to wait for a
     * thread (0: none); beyond that a request is answered 503.
     */
    public static ClassifierHttpService start(OnnxClassifier model, InetSocketAddress address, int maxRequestBytes,
            int threads, int queue) throws IOException {
        if (maxRequestBytes < 1 || maxRequestBytes > 1 << 30) {
            throw new IllegalArgumentException("max request bytes must be from 1 to 2^30; found " + maxRequestBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1; found " + threads);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue must not be negative; found " + queue);
        }
        return new ClassifierHttpService(model, address, maxRequestBytes, threads, queue);
    }

    /** The model's turns, for tests that hold them. */
    Semaphore turns() {
        return gate.turns();
    }

    /** The address the service listens on, with the actual port. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Drains the service: requests in flight finish (up to 5 s in all), a request that arrives meanwhile is answered
     * 503 at once, then the server stops.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        closing = true;
        long since = System.nanoTime();
        // until no request is being answered, and not before a grace period: connections the server accepted just
        // before (in its dispatcher, not yet in a handler) reach a handler and are answered, rather than cut by the stop
        while ((inFlight.get() > 0 || System.nanoTime() - since < GRACE_NANOS) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdown();
        overflow.shutdown();
        try {
            executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            overflow.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            int status = 200;
            Object body;
            try {
                if (closing) {
                    throw new Rejected(503, "the service is shutting down; retry on another instance");
                }
                if (OVERFLOW.get()) {
                    exchange.getResponseHeaders().set("Retry-After", "1");
                    throw new Rejected(503, "the service is busy: every thread is serving and the queue is full;"
                            + " retry later");
                }
                body = Map.of("predictions", classify(exchange));
            } catch (Rejected e) {
                status = e.status();
                body = Map.of("error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                body = Map.of("error", "internal error");
            }
            if (status == 405) {
                exchange.getResponseHeaders().set("Allow", "POST");
            }
            byte[] json = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (status == 503) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);                   // a HEAD answer has no body
                return;
            }
            exchange.sendResponseHeaders(status, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private List<Prediction> classify(HttpExchange exchange) throws Rejected, IOException {
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            throw new Rejected(404, "no such path " + exchange.getRequestURI().getPath() + "; POST to " + PATH);
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            throw new Rejected(405, "method " + exchange.getRequestMethod() + " is not allowed; use POST");
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw badRequest("Content-Length is '" + abbreviate(declared) + "'; expected a number of bytes");
            }
            if (length < 0) {
                throw badRequest("Content-Length is " + length + "; expected a number of bytes >= 0");
            }
            if (length > maxRequestBytes) {
                discard(exchange, length);
                throw tooLarge(declared + " bytes");
            }
        }
        byte[] body = exchange.getRequestBody().readNBytes(maxRequestBytes + 1);   // a chunked body has no length
        if (body.length > maxRequestBytes) {
            discard(exchange, DRAIN_BYTES);
            throw tooLarge("more than " + maxRequestBytes + " bytes");
        }

        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw badRequest("the body nests JSON deeper than " + MAX_JSON_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            String reason = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^;]*; ", "[");
            JsonLocation at = e.getLocation();
            throw badRequest("the body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ": " + abbreviate(reason));
        }
        if (request == null || request.isMissingNode()) {
            throw badRequest("the body is empty; expected {\"" + input + "\": [[" + features + " numbers], ...]}");
        }
        if (!request.isObject()) {
            throw badRequest("the body is " + kind(request) + "; expected an object with field '" + input + "'");
        }
        FloatMatrix rows = readRows(request.get(input));
        int k = readTopK(request.get("top_k"));

        Scores scores;
        try {
            scores = gate.run(model, rows);
        } catch (ModelGate.NonFiniteOutput e) {
            throw badRequest("the model's output is not finite for these numbers: " + abbreviate(e.getMessage())
                    + "; expected inputs in the range the model was trained on");
        }
        FloatMatrix probabilities = scores.probabilities();
        int[] top = scores.topK(k);
        List<Prediction> predictions = new ArrayList<>(rows.rows());
        for (int row = 0; row < rows.rows(); row++) {
            int[] classes = new int[k];
            String[] names = new String[k];
            float[] p = new float[k];
            for (int j = 0; j < k; j++) {
                classes[j] = top[row * k + j];
                names[j] = scores.className(classes[j]);
                p[j] = probabilities.get(row, classes[j]);
            }
            predictions.add(new Prediction(classes, List.of(names), p));
        }
        return predictions;
    }

    /** The rows of field {@code input}: a non-empty array of arrays of {@code features} finite numbers. */
    private FloatMatrix readRows(JsonNode rows) throws Rejected {
        if (rows == null) {
            throw badRequest("missing field '" + input + "'; expected an array of rows of " + features + " numbers");
        }
        if (!rows.isArray() || rows.isEmpty()) {
            throw badRequest("field '" + input + "' is " + (rows.isArray() ? "an empty array" : kind(rows))
                    + "; expected an array of rows of " + features + " numbers");
        }
        float[] values = new float[rows.size() * features];
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            String where = input + "[" + r + "]";
            if (!row.isArray()) {
                throw badRequest(where + " is " + kind(row) + "; expected an array of " + features + " numbers");
            }
            if (row.size() != features) {
                throw badRequest(where + " has " + row.size() + " values; expected " + features);
            }
            for (int c = 0; c < features; c++) {
                JsonNode value = row.get(c);
                if (!value.isNumber()) {
                    throw badRequest(where + "[" + c + "] is " + value + "; expected a number");
                }
                values[r * features + c] = value.floatValue();
                if (!Float.isFinite(values[r * features + c])) {
                    throw badRequest(where + "[" + c + "] is beyond the float range; expected at most 3.4e38 in"
                            + " magnitude");
                }
            }
        }
        return FloatMatrix.wrap(values, rows.size(), features);
    }

    private int readTopK(JsonNode topK) throws Rejected {
        if (topK == null) {
            return Math.min(DEFAULT_TOP_K, model.classes());
        }
        if (!topK.isInt() || topK.intValue() < 1 || topK.intValue() > model.classes()) {
            throw badRequest("top_k is " + topK + "; expected an integer from 1 to " + model.classes());
        }
        return topK.intValue();
    }

    /** {@code text} cut to 100 characters, for messages that quote the client. */
    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    /** "an array", "a string", "null", ...: what a JSON value is, for messages. */
    private static String kind(JsonNode node) {
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return (type.equals("array") || type.equals("object") ? "an " : type.equals("null") ? "" : "a ") + type;
    }

    /**
     * Reads and drops up to {@code bytes} of the request body (at most {@value #DRAIN_BYTES}), so that a client that
     * sends its whole body before reading reads the 413 instead of a connection reset.
     */
    private static void discard(HttpExchange exchange, long bytes) {
        try {
            InputStream in = exchange.getRequestBody();
            byte[] sink = new byte[64 * 1024];
            long left = Math.min(bytes, DRAIN_BYTES);
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client stopped sending: the answer may still reach it
        }
    }

    private static Rejected badRequest(String message) {
        return new Rejected(400, message);
    }

    private Rejected tooLarge(String found) {
        return new Rejected(413, "the body is " + found + "; at most " + maxRequestBytes + " bytes are accepted");
    }

    public static void main(String[] args) throws LoadException, IOException {
        Path modelFile = args.length > 0
                ? Path.of(args[0]) : ExampleData.testdata("models/digits_metadata_labels.onnx");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        String host = args.length > 2 ? args[2] : "127.0.0.1";    // 0.0.0.0 to serve other machines

        OnnxClassifier model = OnnxClassifier.builder(modelFile).build();
        ClassifierHttpService service = start(model, new InetSocketAddress(host, port), DEFAULT_MAX_REQUEST_BYTES,
                Runtime.getRuntime().availableProcessors());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            model.close();
        }));
        System.out.println("serving " + modelFile.getFileName() + " at http://" + host + ":"
                + service.address().getPort() + PATH + " (Ctrl-C stops)");
    }
}
