package dev.cryo.node;

import dev.cryo.cluster.store.KeyValue;
import dev.cryo.cluster.store.Range;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything under {@link ClusterKeys#ROOT} read at one revision, indexed: nodes, programs and
 * their parts, addresses, the leader. Nodes decide from a view and act through transactions that
 * compare what they decided from, so a view that is already stale can only make an action fail.
 */
public final class ClusterView {
  private final long revision;
  private final Map<String, KeyValue> nodes = new TreeMap<>();
  private final Map<String, Map<String, KeyValue>> programs = new TreeMap<>();
  private final Map<String, KeyValue> addresses = new TreeMap<>();
  private KeyValue leader;

  public ClusterView(Range range) {
    this.revision = range.revision();
    for (KeyValue kv : range.keys()) {
      String key = kv.key();
      if (key.startsWith(ClusterKeys.NODES)) {
        nodes.put(key.substring(ClusterKeys.NODES.length()), kv);
      } else if (key.startsWith(ClusterKeys.ADDRESSES)) {
        addresses.put(key.substring(ClusterKeys.ADDRESSES.length()), kv);
      } else if (key.equals(ClusterKeys.LEADER)) {
        leader = kv;
      } else {
        String program = ClusterKeys.programOf(key);
        if (program != null) {
          programs.computeIfAbsent(program, p -> new TreeMap<>()).put(ClusterKeys.partOf(key), kv);
        }
      }
    }
  }

  public long revision() {
    return revision;
  }

  /** The live nodes (their keys exist only while their leases do), by name. */
  public Map<String, KeyValue> nodes() {
    return nodes;
  }

  /** The names of the programs that have a spec. */
  public Iterable<String> programNames() {
    return programs.entrySet().stream()
        .filter(e -> e.getValue().containsKey("spec"))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** One part of a program ("spec", "owner", "fit/NODE", ...), if present. */
  public Optional<KeyValue> part(String program, String part) {
    return Optional.ofNullable(programs.getOrDefault(program, Map.of()).get(part));
  }

  /** Every part of a program whose name starts with {@code prefix}. */
  public Map<String, KeyValue> parts(String program, String prefix) {
    Map<String, KeyValue> found = new TreeMap<>();
    programs
        .getOrDefault(program, Map.of())
        .forEach(
            (part, kv) -> {
              if (part.startsWith(prefix)) {
                found.put(part.substring(prefix.length()), kv);
              }
            });
    return found;
  }

  public Optional<ClusterProgram> spec(String program) {
    return part(program, "spec").map(kv -> ClusterJson.read(kv.value(), ClusterProgram.class));
  }

  public Optional<KeyValue> owner(String program) {
    return part(program, "owner");
  }

  public Optional<PublishedCheckpoint> checkpoint(String program) {
    return part(program, "checkpoint")
        .map(kv -> ClusterJson.read(kv.value(), PublishedCheckpoint.class));
  }

  public Optional<ProgramStatus> status(String program) {
    return part(program, "status").map(kv -> ClusterJson.read(kv.value(), ProgramStatus.class));
  }

  public boolean stopRequested(String program) {
    return part(program, "stop").isPresent();
  }

  /** Which node answered what about running {@code program}. */
  public Map<String, NodeFit> fits(String program) {
    Map<String, NodeFit> fits = new TreeMap<>();
    parts(program, "fit/")
        .forEach((node, kv) -> fits.put(node, ClusterJson.read(kv.value(), NodeFit.class)));
    return fits;
  }

  public Map<String, KeyValue> addresses() {
    return addresses;
  }

  public Optional<String> leader() {
    return Optional.ofNullable(leader).map(KeyValue::value);
  }

  /** How many programs {@code node} owns. */
  public int ownedBy(String node) {
    int count = 0;
    for (Map<String, KeyValue> parts : programs.values()) {
      KeyValue owner = parts.get("owner");
      if (owner != null && owner.value().equals(node)) {
        count++;
      }
    }
    return count;
  }
}
