package dev.cryo.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cryo.criu.CriuException;
import dev.cryo.images.ImageStore;
import dev.cryo.images.StoredCheckpoint;
import dev.cryo.linux.NetworkNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree in an existing network namespace: its checkpoints leave the namespace out under one key,
 * and its restores hand CRIU the namespace they are given under that key. With a fake CRIU; the
 * namespace is this test's own.
 */
class ExternalNetworkTest {
  /** A process that surely runs, in the namespace of {@link #OWN_NAMESPACE}. */
  private static final int ROOT = (int) ProcessHandle.current().pid();

  private static final Path OWN_NAMESPACE = Path.of("/proc/self/ns/net");

  @TempDir Path tmp;

  private final FakeCriu criu = new FakeCriu();
  private final FakeProcessTable processes = new FakeProcessTable().withTree(ROOT);
  private final List<String> notices = new ArrayList<>();
  private CheckpointService service;

  @BeforeEach
  void setUp() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    service = new CheckpointService(store, () -> criu, processes, new FakeProcessTable.FakeClock());
  }

  private static CheckpointRequest request() {
    return new CheckpointRequest(
        ROOT, null, true, Duration.ofSeconds(5), false, null, false, false, 0, false);
  }

  @Test
  void aCheckpointOfATreeInANamedNamespaceDeclaresThatNamespaceExternalUnderCryosKey()
      throws Exception {
    service.checkpoint(request().withNetwork(OWN_NAMESPACE), notices::add);

    assertThat(criu.dumps.get(0).externals())
        .as("the dump names the tree's namespace by inode, under the key restores supply")
        .containsExactly("net[" + NetworkNamespaces.inodeOf(ROOT) + "]:cryo-net");
  }

  @Test
  void aCheckpointOfATreeWithoutANamedNamespaceDeclaresNone() throws Exception {
    service.checkpoint(request(), notices::add);

    assertThat(criu.dumps.get(0).externals()).as("nothing external").isEmpty();
  }

  @Test
  void aNamespaceFileThatDoesNotExistRefusesTheCheckpointBeforeCriuIsAsked() {
    Path missing = tmp.resolve("no-such-netns");

    assertThatThrownBy(() -> service.checkpoint(request().withNetwork(missing), notices::add))
        .isInstanceOf(CriuException.class)
        .hasMessage(
            "network namespace "
                + missing
                + " does not exist; create it (ip netns add) before the checkpoint");
    assertThat(criu.dumps).as("CRIU was not asked").isEmpty();
  }

  @Test
  void aRestoreIntoANamespaceHandsCriuThatNamespaceUnderCryosKey() throws Exception {
    StoredCheckpoint checkpoint =
        service.checkpoint(request().withNetwork(OWN_NAMESPACE), notices::add).checkpoint();

    service.restore(checkpoint, options().withNetwork(OWN_NAMESPACE), notices::add);

    assertThat(criu.restores.get(0).inheritedByKey())
        .as("the namespace file, handed to CRIU under the key the dump recorded")
        .isEqualTo(Map.of("cryo-net", OWN_NAMESPACE));
  }

  @Test
  void aRestoreIntoANamespaceThatDoesNotExistIsRefusedBeforeCriuIsAsked() throws Exception {
    StoredCheckpoint checkpoint =
        service.checkpoint(request().withNetwork(OWN_NAMESPACE), notices::add).checkpoint();
    Path missing = tmp.resolve("no-such-netns");

    assertThatThrownBy(
            () -> service.restore(checkpoint, options().withNetwork(missing), notices::add))
        .isInstanceOf(CriuException.class)
        .hasMessageStartingWith("network namespace " + missing + " does not exist");
    assertThat(criu.restores).as("CRIU was not asked").isEmpty();
  }

  private static RestoreOptions options() {
    return new RestoreOptions(Map.of(), null, false, Map.of(), false);
  }
}
