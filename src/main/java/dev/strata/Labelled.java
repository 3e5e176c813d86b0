package dev.strata;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum written by users as a lower-case word ("closest", "admission", "kmeans++"): one place
 * for reading such words, in any case, and for the one-line refusal that lists the words allowed.
 */
public interface Labelled {

    /** The word users write; by default the constant's name in lower case. */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param what how the setting is called in messages, e.g. "resampling"
     */
    static <E extends Enum<E> & Labelled> E parse(Class<E> type, String what, String word) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equalsIgnoreCase(word)) {
                return e;
            }
        }
        throw new StrataException("unknown " + what + " '" + word + "'; use "
                + Arrays.stream(type.getEnumConstants()).map(Labelled::label).collect(Collectors.joining(" or ")));
    }
}
