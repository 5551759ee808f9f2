package io.statelesslb.bird;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What BIRD answered a command on its control socket: lines, each with its reply code (a continuation line, which
 * BIRD starts with a space, carries the code of the line before). Codes 0xxx end a command well, 1xxx and 2xxx hold
 * data, 8xxx and 9xxx are errors.
 *
 * @param lines every line, the last one being the one that ended the reply
 */
public record BirdReply(List<Line> lines) {

    /** One line of a reply. */
    public record Line(int code, String text) {
    }

    public BirdReply {
        lines = List.copyOf(lines);
    }

    /** @return the code of the line that ended the reply */
    public int code() {
        return lines.isEmpty() ? 9999 : lines.get(lines.size() - 1).code();
    }

    /** @return whether BIRD did what it was asked */
    public boolean ok() {
        return code() < 8000;
    }

    /** @return the lines of {@code code} */
    public List<String> lines(int code) {
        return lines.stream().filter(line -> line.code() == code).map(Line::text).toList();
    }

    /** @return every line's text, one per line: BIRD's own words */
    public String text() {
        return lines.stream().map(Line::text).map(String::strip).filter(text -> !text.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
