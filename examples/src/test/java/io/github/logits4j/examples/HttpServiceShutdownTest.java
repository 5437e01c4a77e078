package io.github.logits4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load (issue 22): the example service, started by its {@code main} in a child JVM, is sent SIGTERM
 * while 8 clients keep posting; in 10 of 10 trials every request that began before the signal is answered (200, or 503
 * when its model run would have started after logits4j stopped new runs), no request is answered 500, and the child
 * prints no stack trace. Requests that begin after the signal may also be refused by the closed port.
 */
class HttpServiceShutdownTest {
    private static final int TRIALS = 10;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    /** What one request got: its start time, and the status code (0 when no answer came). */
    private record Outcome(long started, int status, String detail) {
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Outcome post(int port, String body) {
        long started = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + ClassifierHttpService.PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                    + " application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            String all = got.toString(StandardCharsets.UTF_8);
            if (!all.startsWith("HTTP/1.1 ")) {
                return new Outcome(started, 0, "no status line: '" + all + "'");
            }
            return new Outcome(started, Integer.parseInt(all.substring(9, 12)), all);
        } catch (IOException e) {
            return new Outcome(started, 0, e.toString());
        }
    }

    @Test
    void sigtermUnderLoadDrainsTheRequestsInFlight() throws Exception {
        StringBuilder row = new StringBuilder("[");
        for (int c = 0; c < 64; c++) {
            row.append(c == 0 ? "" : ",").append("0.5");
        }
        row.append(']');
        String body = "{\"pixels\": [" + row + "," + row + "," + row + "]}";
        Map<Integer, Integer> statuses = new TreeMap<>();
        int drained = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int port = freePort();
            Path err = dir.resolve("stderr-" + trial + ".txt");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ClassifierHttpService.class.getName(),
                    ModelGoldens.file("models/digits_metadata_labels.onnx").toString(), Integer.toString(port),
                    "127.0.0.1"));
            Process child = new ProcessBuilder(command).redirectError(err.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("serving"), "the service did not start: " + first + " "
                    + Files.readString(err));
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            long[] sigterm = {Long.MAX_VALUE};
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    while (child.isAlive() || System.nanoTime() < sigterm[0]) {
                        Outcome o = post(port, body);
                        outcomes.add(o);
                        if (o.status() == 0 && o.started() > sigterm[0]) {
                            break;                              // the port is closed: the service is gone
                        }
                    }
                });
                clients.add(t);
                t.start();
            }
            Thread.sleep(400);
            sigterm[0] = System.nanoTime();
            child.destroy();                                    // SIGTERM
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the service did not exit");
            for (Thread t : clients) {
                t.join(30_000);
            }
            String stderr = Files.readString(err);
            assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), "trial " + trial + ": " + stderr);
            for (Outcome o : outcomes) {
                statuses.merge(o.status(), 1, Integer::sum);
                assertTrue(o.status() != 500, "trial " + trial + ": a 500: " + o.detail());
                if (o.started() < sigterm[0]) {
                    assertTrue(o.status() == 200 || o.status() == 503, "trial " + trial + ": a request in flight"
                            + " at the signal got " + o.detail());
                } else {
                    assertTrue(o.status() == 200 || o.status() == 503 || o.status() == 0, o.detail());
                }
            }
            drained++;
        }
        assertEquals(TRIALS, drained);
        System.out.println("HttpServiceShutdownTest: " + TRIALS + " of " + TRIALS + " trials drained; statuses (0:"
                + " refused after the signal) " + statuses);
    }
}
