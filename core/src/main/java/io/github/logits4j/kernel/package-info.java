/**
 * The numeric kernels ({@link io.github.logits4j.kernel.Kernels}), the parallel row splitter
 * ({@link io.github.logits4j.kernel.Parallel}), the argument checks ({@link io.github.logits4j.kernel.Checks}) and the
 * reader of {@code toMap()} maps ({@link io.github.logits4j.kernel.MapFields}) that the rest of logits4j shares:
 * logits4j's internal layer. Its types are public only so that logits4j's other
 * modules can use them; they are not part of the supported API and may change in any release.
 */
@NullMarked
package io.github.logits4j.kernel;

import org.jspecify.annotations.NullMarked;
