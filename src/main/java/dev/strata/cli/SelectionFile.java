package dev.strata.cli;

import dev.strata.StrataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads what {@code strata select} wrote: one 0-based row index per line, or the tab-separated
 * {@code --with-clusters} form (a header line, the row in the first column).
 */
final class SelectionFile {
    private SelectionFile() {}

    /** The row indices, each checked against {@code rows}, the size of the file they were selected from. */
    static int[] read(Path file, int rows, Path input) {
        int[] out = new int[1024];
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String first = line.strip();
                int tab = first.indexOf('\t');
                first = tab < 0 ? first : first.substring(0, tab);
                if (first.isEmpty() || lineNo == 1 && first.equals("row")) {
                    continue;
                }
                int row;
                try {
                    row = Integer.parseInt(first);
                } catch (NumberFormatException e) {
                    throw new StrataException(file + " line " + lineNo + ": '" + first
                            + "' is not a row index; pass the " + "file 'strata select --out' wrote");
                }
                if (row < 0 || row >= rows) {
                    throw new StrataException(file + " line " + lineNo + ": row " + row + " is outside the " + rows
                            + " rows of " + input + "; pass the --input the selection was made from");
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = row;
            }
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such file; write one with 'strata select --out'");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return Arrays.copyOf(out, n);
    }
}
