/**
 * Data sets bound to a model: {@link io.github.logits4j.data.DataSet} reads one {@code .npy} or CSV file per model
 * input (or a value for an input the model takes once) and the labels, checks them against the model's inputs and
 * task when it opens, and streams them in {@link io.github.logits4j.data.Batch}es whose rows are numbered in the data
 * set; {@link io.github.logits4j.data.NpyArray} reads NumPy arrays through a memory map. Errors name the file, the row
 * (or CSV line) and column, what was expected and what was found: the checked {@link io.github.logits4j.LoadException}
 * when the data set opens, {@link io.github.logits4j.data.DataException} while it is read.
 */
@NullMarked
package io.github.logits4j.data;

import org.jspecify.annotations.NullMarked;
