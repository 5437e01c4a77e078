/**
 * Runnable, tested integration examples of logits4j: embedding a classifier, multi-label tagging, batch evaluation and
 * a small HTTP service. The examples arrive with the command-line work.
 */
package io.github.logits4j.examples;
