package io.eventthread.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Says, for a key of one group, which property the value came from and where that was set, so a
 * report names what the user wrote: {@code eventthread.groups.io.loop-count} when the group sets
 * it, the inherited {@code eventthread.loop-count} otherwise.
 */
final class PropertyLocator {

    static final String PREFIX = "eventthread.";

    private final Iterable<ConfigurationPropertySource> sources;

    private final String group;

    private PropertyLocator(Iterable<ConfigurationPropertySource> sources, String group) {
        this.sources = sources;
        this.group = group;
    }

    /** For the top-level keys. */
    static PropertyLocator topLevel(Environment environment) {
        return new PropertyLocator(sources(environment), null);
    }

    /** For the named group {@code eventthread.groups.<group>}. */
    static PropertyLocator group(Environment environment, String group) {
        return new PropertyLocator(sources(environment), group);
    }

    private static Iterable<ConfigurationPropertySource> sources(Environment environment) {
        return (environment != null) ? ConfigurationPropertySources.get(environment) : java.util.List.of();
    }

    /**
     * The full name of the property that set {@code key} ({@code loop-count},
     * {@code blocking.max-threads}) for this group.
     */
    String name(String key) {
        if (this.group != null) {
            String own = PREFIX + "groups." + this.group + "." + key;
            if (find(own) != null) {
                return own;
            }
        }
        return PREFIX + key;
    }

    /** Where a property was set, as Boot's own reports show it, or {@code null} when it was not. */
    String origin(String property) {
        ConfigurationProperty found = find(property);
        Origin origin = (found != null) ? found.getOrigin() : null;
        return (origin != null) ? origin.toString() : null;
    }

    private ConfigurationProperty find(String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : this.sources) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

}
