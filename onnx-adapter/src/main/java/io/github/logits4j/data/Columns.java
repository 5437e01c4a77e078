package io.github.logits4j.data;

import io.github.logits4j.onnx.Setting;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves CSV columns given by header name or by index (counted from 0; negative counts from the end, -1 the last).
 * A name that the header lacks, a name in a file without a header, an index out of range or a column given twice is
 * a {@link DataException} naming the file.
 *
 * <pre>{@code
 * int[] cols = Columns.resolve(List.of("species", "-1"), csv, Setting::option);
 * }</pre>
 */
final class Columns {
    private Columns() {
    }

    /** The indices of the label columns {@code specs} in {@code csv}, in order; {@code say} names the settings. */
    static int[] resolve(List<String> specs, CsvReader csv, Function<Setting, String> say) {
        String option = say.apply(Setting.LABEL_COLUMNS);
        List<String> header = csv.header();
        Set<Integer> out = new LinkedHashSet<>();
        for (String spec : specs) {
            String s = spec.trim();
            int index;
            if (header != null && header.contains(s)) {
                index = header.indexOf(s);
            } else if (s.matches("-?\\d+")) {
                long i = Long.parseLong(s);
                long resolved = i < 0 ? csv.columns() + i : i;
                if (resolved < 0 || resolved >= csv.columns()) {
                    throw new DataException(csv.file() + ": " + option + " " + s + " is out of range; the file has "
                            + csv.columns() + " columns (0 to " + (csv.columns() - 1) + ")");
                }
                index = (int) resolved;
            } else if (header == null) {
                throw new DataException(csv.file() + ": has no header row, so " + option + " '" + s
                        + "' cannot name a column; give its index (from 0) or use "
                        + say.apply(Setting.HEADER));
            } else {
                throw new DataException(csv.file() + ": " + option + " '" + s + "' is not a column; the header has "
                        + abbreviate(header));
            }
            if (!out.add(index)) {
                throw new DataException(csv.file() + ": " + option + " gives column " + index + " twice");
            }
        }
        int[] result = new int[out.size()];
        int k = 0;
        for (int i : out) {
            result[k++] = i;
        }
        return result;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 12) {
            return names.toString();
        }
        List<String> head = new ArrayList<>(names.subList(0, 10));
        head.add("... " + (names.size() - 10) + " more");
        return head.toString();
    }
}
