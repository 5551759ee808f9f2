package io.statelesslb.domain.decide;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.model.Name;
import io.vavr.collection.List;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects every problem of one command while its fields are checked, so that a rejection lists them all rather
 * than the first. Lives for one decision only.
 */
final class Problems {

    private List<Problem> found = List.empty();

    void add(ProblemKind kind, String field, String message) {
        found = found.append(new Problem(kind, field, message));
    }

    boolean any() {
        return !found.isEmpty();
    }

    /** @return the decision: {@code event}, or the rejection if anything was found */
    Decision decision(Supplier<Event> event) {
        return any() ? new Decision.Rejected(found) : new Decision.Accepted(event.get());
    }

    Decision rejected() {
        return new Decision.Rejected(found);
    }

    void name(String field, String value) {
        if (value == null || value.isEmpty()) {
            add(ProblemKind.MISSING, field, field + " is required (expected: 1.." + Name.MAX_LENGTH
                    + " characters of [A-Za-z0-9_+.-])");
        } else if (!Name.isValid(value)) {
            add(ProblemKind.INVALID_NAME, field, field + "=" + value + " (expected: 1.." + Name.MAX_LENGTH
                    + " characters of [A-Za-z0-9_+.-])");
        }
    }

    void interfaceName(String field, String value) {
        if (value == null || value.isEmpty()) {
            add(ProblemKind.MISSING, field, field + " is required (expected: an interface name of 1.."
                    + Name.MAX_INTERFACE_LENGTH + " characters of [A-Za-z0-9_+.-])");
        } else if (!Name.isValidInterface(value)) {
            add(ProblemKind.INVALID_NAME, field, field + "=" + value + " (expected: an interface name of 1.."
                    + Name.MAX_INTERFACE_LENGTH + " characters of [A-Za-z0-9_+.-])");
        }
    }

    void range(String field, long value, long min, long max, String context) {
        if (value < min || value > max) {
            add(ProblemKind.OUT_OF_RANGE, field, field + "=" + value
                    + " (expected: " + min + ".." + max + context + ")");
        }
    }

    /** @return the parsed value, or none (with a problem recorded) when {@code text} is malformed */
    <T> Option<T> parse(String field, String text, Function<String, Either<String, T>> parser) {
        if (text == null || text.isEmpty()) {
            add(ProblemKind.MISSING, field, field + " is required");
            return Option.none();
        }
        Either<String, T> parsed = parser.apply(text);
        if (parsed.isLeft()) {
            add(ProblemKind.MALFORMED, field, parsed.getLeft());
            return Option.none();
        }
        return Option.some(parsed.get());
    }

    /** @return every element that parses, in order, with a problem recorded for each one that does not */
    <T> List<T> parseEach(String field, java.util.List<String> texts, Function<String, Either<String, T>> parser) {
        List<T> parsed = List.empty();
        if (texts == null) {
            add(ProblemKind.MISSING, field, field + " is required (expected: a list)");
            return parsed;
        }
        for (int i = 0; i < texts.size(); i++) {
            parsed = parsed.appendAll(parse(field + "[" + i + "]", texts.get(i), parser));
        }
        return parsed;
    }

    <T extends Comparable<? super T>> SortedSet<T> parseSet(
            String field, java.util.List<String> texts, Function<String, Either<String, T>> parser) {
        return TreeSet.ofAll(parseEach(field, texts, parser));
    }
}
