package io.github.logits4j.onnx;

import io.github.logits4j.golden.Golden;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM for {@link ShutdownTest}: {@code threads} threads run the Silero VAD model in a loop on one shared
 * classifier; the main thread prints "running" once every thread has finished a run, then calls
 * {@code System.exit(0)} after {@code exitAfterMillis} (or, with -1, waits to be sent SIGTERM). A shutdown hook closes
 * the classifier, as a service does.
 */
public final class ShutdownProbe {
    private ShutdownProbe() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long exitAfter = Long.parseLong(args[1]);
        Path model = Golden.testdata().resolve("models/third_party/silero_vad_16k_op15.onnx");
        OnnxClassifier classifier = OnnxClassifier.builder(model).build();
        // as a service does: close the model from a shutdown hook, concurrently with ONNX Runtime's own hook
        Runtime.getRuntime().addShutdownHook(new Thread(classifier::close, "close-model"));
        int n = 128;
        Inputs in = Inputs.builder().add("input", new float[n * 576], n, 576)
                .add("state", new float[2 * n * 128], 2, n, 128).batchAxis("state", 1)
                .constant("sr", new long[] {16000}).build();
        CountDownLatch started = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                boolean first = true;
                while (true) {
                    try {
                        classifier.run(in);
                    } catch (IllegalStateException refused) {
                        // the JVM is going down: runs are refused from here on
                    }
                    if (first) {
                        started.countDown();
                        first = false;
                    }
                }
            }, "probe-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        started.await();
        System.out.println("running");
        System.out.flush();
        if (exitAfter >= 0) {
            Thread.sleep(exitAfter);
            System.exit(0);
        }
        Thread.sleep(60_000);
        System.exit(5);
    }
}
