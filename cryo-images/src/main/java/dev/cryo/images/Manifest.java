package dev.cryo.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a checkpoint is and where it came from, stored as {@code manifest.json} beside its images.
 * It lets a reader decide whether an image can be trusted (checksums), whether it fits a host
 * (kernel, CPU flags, CRIU version), and what it will bring back (PIDs, command line).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int format,
    String id,
    String name,
    String createdAt,
    Host host,
    Source source,
    long imageBytes,
    List<FileEntry> files) {

  /**
   * The manifest layout this code writes, and the newest it reads: 1 recorded SHA-256 checksums; 2
   * records CRC32C, and page images may be stored compressed ({@code pages-*.img.zst}).
   */
  public static final int FORMAT = 2;

  /** The machine the checkpoint was taken on. */
  public record Host(String hostname, String kernel, String criuVersion, List<String> cpuFlags) {}

  /**
   * The process tree that was checkpointed.
   *
   * @param pid the root's PID, which a restore needs free again
   * @param pids every PID of the tree, root first
   * @param command the root's command line
   * @param shellJob whether it belonged to a terminal session it does not lead
   * @param tcpEstablished whether established TCP connections were saved
   * @param leftRunning whether the original kept running after the checkpoint
   * @param participants the processes that took part in the checkpoint through the checkpoint
   *     protocol, which a restore tells that they were restored (empty for a plain dump); in the
   *     manifest's JSON, {@code coordinated}, the name it was first written under
   * @param pidNamespace whether the root is the init of its own PID namespace, as with {@code cryo
   *     run}: a restore then makes a new namespace and needs none of the PIDs free
   * @param run the supervised program ({@code cryo run --name}) the checkpoint belongs to, or null
   */
  public record Source(
      int pid,
      List<Integer> pids,
      List<String> command,
      boolean shellJob,
      boolean tcpEstablished,
      boolean leftRunning,
      @JsonProperty("coordinated") List<Participant> participants,
      boolean pidNamespace,
      String run) {
    public Source {
      participants = participants == null ? List.of() : List.copyOf(participants);
    }
  }

  /**
   * A process that took part in a checkpoint through the checkpoint protocol.
   *
   * @param pid its PID
   * @param controlSocket its control socket's path, restored with it
   * @param checkpointId the id the protocol's messages carried
   */
  public record Participant(int pid, String controlSocket, String checkpointId) {}

  /**
   * One file of the checkpoint, relative to its directory, with its checksum: CRC32C for the
   * checkpoints this code writes, SHA-256 in those written before (null when absent).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileEntry(String path, long size, String sha256, String crc32c) {
    /** A file as this code records it. */
    public static FileEntry of(String path, long size, String crc32c) {
      return new FileEntry(path, size, null, crc32c);
    }
  }

  Manifest withFiles(List<FileEntry> entries) {
    long total = entries.stream().mapToLong(FileEntry::size).sum();
    return new Manifest(format, id, name, createdAt, host, source, total, List.copyOf(entries));
  }
}
