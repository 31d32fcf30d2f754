package org.portlens.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.portlens.discovery.ListenerFilter;
import org.portlens.model.BindScope;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An enum option's values as users type them: lower case in help, completion and messages, any case
 * when parsed. One class serves an option as both {@code completionCandidates} and {@code converter}.
 */
abstract class EnumValues<E extends Enum<E>> implements Iterable<String>, ITypeConverter<E> {

    private final Class<E> type;

    EnumValues(Class<E> type) {
        this.type = type;
    }

    @Override
    public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return names.iterator();
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        iterator().forEachRemaining(names::add);
        throw new TypeConversionException("expected one of " + String.join(", ", names) + ", got '" + value + "'");
    }

    /** {@code ls --scope}. */
    static final class Scopes extends EnumValues<BindScope> {
        Scopes() {
            super(BindScope.class);
        }
    }

    /** {@code ls --sort}. */
    static final class Orders extends EnumValues<ListenerFilter.Order> {
        Orders() {
            super(ListenerFilter.Order.class);
        }
    }
}
