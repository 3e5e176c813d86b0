package dev.strata.job;

import dev.strata.StrataException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job setting that is missing, ill-typed, out of range or inconsistent with another. The
 * message names settings as {@code {kafka.inputTopic}}: a job file reads them as YAML keys, the
 * command line as its flags, so one rule speaks to both without knowing either.
 */
public final class ConfigProblem extends StrataException {
    private static final Pattern KEY = Pattern.compile("\\{([A-Za-z.]+)}");

    private final String source;
    private final String template;

    /**
     * @param source   where the settings came from ("flink-jobs/curate.yaml"), or null
     * @param template the message with each setting written as {key.path}
     */
    public ConfigProblem(String source, String template) {
        super(render(source, template, UnaryOperator.identity()));
        this.source = source;
        this.template = template;
    }

    /** The same problem as said of the given source. */
    public ConfigProblem from(String newSource) {
        return new ConfigProblem(newSource, template);
    }

    /** The message with every setting named by {@code names} (YAML path to flag), without the source. */
    public String render(UnaryOperator<String> names) {
        return render(null, template, names);
    }

    private static String render(String source, String template, UnaryOperator<String> names) {
        Matcher m = KEY.matcher(template);
        StringBuilder out = new StringBuilder(source != null ? source + ": " : "");
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(names.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A written string as the message quotes it, so "5k" reads as what was written. */
    static String quote(String value) {
        return literal("\"" + value + "\"");
    }

    /** Text from the user inside a message: braces would read as a setting's name. */
    static String literal(String text) {
        return text.replace("{", "(").replace("}", ")");
    }
}
