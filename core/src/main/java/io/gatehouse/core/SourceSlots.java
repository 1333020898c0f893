package io.gatehouse.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Takes the slots of every source a query reads, and gives them all back as one. */
final class SourceSlots {
  private static final Runnable NONE = () -> { };

  private SourceSlots() {}

  /**
   * Takes one slot of each source in {@code sourceIds}, waiting where all are busy.
   *
   * <p>Slots are taken in one fixed order (source ids sorted, ignoring case), so two queries over
   * the same sources never each hold one slot while waiting for the other's: no deadlock. A query
   * that cannot get a later slot gives back the ones it holds.
   *
   * @return gives every slot back; idempotent
   */
  static Runnable acquire(Map<String, SourceRuntime> sources, Collection<String> sourceIds,
      String user, QueryOptions options) {
    TreeMap<String, SourceRuntime> ordered = new TreeMap<>();
    for (String id : sourceIds) {
      SourceRuntime s = sources.get(id);
      if (s != null) {
        ordered.put(id.toLowerCase(Locale.ROOT), s);
      }
    }
    if (ordered.isEmpty()) {
      return NONE;
    }
    AtomicBoolean signal = options.cancelSignal();
    if (signal != null) {
      // A flag left set by an earlier cancel of the same JDBC statement is not for this query
      // (QueryExecution.watch clears it the same way).
      signal.set(false);
    }
    List<Runnable> held = new ArrayList<>();
    try {
      for (SourceRuntime s : ordered.values()) {
        held.add(s.limiter().acquire(user, signal == null ? null : signal::get));
      }
    } catch (RuntimeException | Error e) {
      held.forEach(Runnable::run);
      throw e;
    }
    return () -> held.forEach(Runnable::run);
  }
}
