package io.github.logits4j.benchmarks;

import io.github.logits4j.kernel.Kernels;

/**
 * Prints the kernels this JVM takes and their width ({@code vector 256-bit of 512}), so that a comparison says what it
 * measured: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar io.github.logits4j.benchmarks.KernelWidth}.
 */
public final class KernelWidth {
    private KernelWidth() {
    }

    public static void main(String[] args) {
        Kernels k = Kernels.get();
        System.out.println(k.name() + (k.vectorBits() > 0 ? " " + k.vectorBits() + "-bit" : "") + " (this CPU: "
                + Kernels.hardwareVectorBits() + "-bit float vectors), JDK " + Runtime.version().feature());
    }
}
