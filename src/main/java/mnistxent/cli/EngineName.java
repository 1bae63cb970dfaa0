package mnistxent.cli;

import mnistxent.engine.EngineKind;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The value of an {@code --engine} option: {@code auto} or an engine's name, checked while the command
 * line is parsed (a bad name is a usage error naming the allowed ones).
 */
final class EngineName implements CommandLine.ITypeConverter<String>, Iterable<String> {

    @Override
    public String convert(String value) {
        if (value.equals(EngineKind.AUTO) || EngineKind.byName(value).isPresent()) {
            return value;
        }
        throw new CommandLine.TypeConversionException("unknown engine '" + value + "'; allowed: "
                + EngineKind.choices());
    }

    /** The completion candidates: {@code auto} and every engine. */
    @Override
    public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        names.add(EngineKind.AUTO);
        for (EngineKind k : EngineKind.values()) {
            names.add(k.cliName());
        }
        return names.iterator();
    }
}
