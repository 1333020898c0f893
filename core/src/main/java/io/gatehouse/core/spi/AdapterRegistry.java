package io.gatehouse.core.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The adapters available to an engine, by type name and alias. */
public final class AdapterRegistry {
  private final Map<String, SourceAdapter> byName = new LinkedHashMap<>();
  private final List<String> typeNames = new ArrayList<>();

  public AdapterRegistry(List<SourceAdapter> adapters) {
    for (SourceAdapter a : adapters) {
      register(a.type(), a);
      typeNames.add(a.type());
      for (String alias : a.aliases()) {
        register(alias, a);
      }
    }
    typeNames.sort(null);
  }

  private void register(String name, SourceAdapter adapter) {
    SourceAdapter previous = byName.putIfAbsent(name.toLowerCase(Locale.ROOT), adapter);
    if (previous != null && previous != adapter) {
      throw new IllegalStateException("two adapters claim source type '" + name + "': "
          + previous.getClass().getName() + " and " + adapter.getClass().getName());
    }
  }

  /** The adapters registered through {@link ServiceLoader} on the class path. */
  public static AdapterRegistry discover() {
    List<SourceAdapter> found = new ArrayList<>();
    ServiceLoader.load(SourceAdapter.class, AdapterRegistry.class.getClassLoader()).forEach(found::add);
    return new AdapterRegistry(found);
  }

  public Optional<SourceAdapter> find(String type) {
    return Optional.ofNullable(byName.get(type.toLowerCase(Locale.ROOT)));
  }

  /** The canonical type names, sorted. */
  public List<String> typeNames() {
    return List.copyOf(typeNames);
  }
}
