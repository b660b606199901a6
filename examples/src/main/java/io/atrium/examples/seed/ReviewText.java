package io.atrium.examples.seed;

import java.util.List;
import java.util.Random;

/**
 * Generates review bodies from a fixed word list and seed. {@link Random} is used on purpose: its
 * algorithm is specified by the JDK, so the text is identical on every JVM and run.
 */
public final class ReviewText {

    private static final List<String> WORDS = List.of(
            "sturdy", "solid", "wood", "finish", "assembly", "instructions", "delivery", "arrived", "quickly",
            "packaging", "scratch", "colour", "matches", "living", "room", "comfortable", "price", "value",
            "would", "recommend", "again", "friends", "family", "screws", "missing", "support", "replaced",
            "within", "days", "quality", "better", "than", "expected", "smaller", "larger", "photos", "looks",
            "great", "corner", "kitchen", "office", "daily", "use", "months", "later", "still", "holds", "up",
            "easy", "clean", "surface", "light", "heavy", "legs", "wobble", "slightly", "floor", "fits",
            "perfectly", "small", "apartment", "design", "simple", "elegant", "the", "and", "with", "after");

    private ReviewText() {
    }

    /** A body of at least {@code minLength} characters: whole sentences of 8 to 15 words. */
    public static String generate(long seed, int minLength) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(minLength + 120);
        while (text.length() < minLength) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            appendSentence(text, random);
        }
        return text.toString();
    }

    private static void appendSentence(StringBuilder text, Random random) {
        int words = 8 + random.nextInt(8);
        for (int i = 0; i < words; i++) {
            String word = WORDS.get(random.nextInt(WORDS.size()));
            if (i == 0) {
                text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                text.append(' ').append(word);
            }
        }
        text.append('.');
    }
}
