// Suggests the intended key when an unknown key is probably a typo.
package io.pgmux.config;

import java.util.Collection;

/** Builds the "did you mean" part of unknown-key messages from the keys a section accepts. */
final class KeySuggestions {

    /** Edits allowed between a typo and a suggestion; more than this and the guess is likely wrong. */
    private static final int MAX_DISTANCE = 3;

    private KeySuggestions() {
    }

    /** {@code "; did you mean 'x'?"} for a near match, else the list of valid keys, or empty if there are none. */
    static String hint(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(unknown, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= MAX_DISTANCE) {
            return "; did you mean '" + best + "'?";
        }
        return known.isEmpty() ? "" : "; valid keys here: " + String.join(", ", known);
    }

    /** Levenshtein distance; keys are short, so the quadratic cost does not matter. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
