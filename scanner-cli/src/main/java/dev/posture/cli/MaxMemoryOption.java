package dev.posture.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --max-memory SIZE}, shared by the commands that evaluate policies. */
final class MaxMemoryOption {
    @Option(names = "--max-memory", paramLabel = "SIZE", converter = Converter.class,
            description = "Memory budget of one evaluation, as the engine counts allocation, e.g. 256m or 2g; 0 for"
                    + " none (default 512m, or a quarter of the JVM heap if less). Over it the query fails with"
                    + " eval_cancel_error.")
    Long bytes;

    /** Sizes as {@link ByteSize} reads them; anything else is a usage error naming the value. */
    static final class Converter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Long n = ByteSize.parse(value);
            if (n == null) {
                throw new CommandLine.TypeConversionException("not a size: '" + value + "' (e.g. 256m, 2g)");
            }
            return n;
        }
    }
}
