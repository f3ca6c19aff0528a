package dev.cryo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCheckpointRepositoryTest {
  @TempDir Path tmp;

  @Test
  void aCheckpointPutIntoAnotherStoreIsCopiedWholeUnderItsIdNameAndManifest() throws Exception {
    ImageStore here = ImageStore.open(tmp.resolve("here"));
    ImageStore there = ImageStore.open(tmp.resolve("there"));
    StoredCheckpoint original = TestCheckpoints.publishWithImages(here, "web");

    there.asRepository().put(original);

    StoredCheckpoint copy = there.resolve("web");
    assertThat(copy.manifest()).isEqualTo(original.manifest());
    assertThat(there.verify(copy)).isEmpty();
    assertThat(there.asRepository().manifests()).containsExactly(original.manifest());
    assertThat(original.directory()).as("the original stays").exists();
  }

  @Test
  void aCheckpointGotFromARepositoryLandsInTheWorkingCopy() throws Exception {
    ImageStore repository = ImageStore.open(tmp.resolve("repository"));
    ImageStore workingCopy = ImageStore.open(tmp.resolve("working-copy"));
    StoredCheckpoint original = TestCheckpoints.publishWithImages(repository, "web");

    StoredCheckpoint got = repository.asRepository().get("web", workingCopy);

    assertThat(got.directory()).startsWith(workingCopy.root());
    assertThat(got.manifest()).isEqualTo(original.manifest());
    assertThat(repository.asRepository().get("web", repository).directory())
        .as("from a store into itself: nothing to copy")
        .isEqualTo(original.directory());
  }

  @Test
  void aDamagedCheckpointIsNotCopiedAndLeavesNothingBehind() throws Exception {
    ImageStore here = ImageStore.open(tmp.resolve("here"));
    ImageStore there = ImageStore.open(tmp.resolve("there"));
    StoredCheckpoint original = TestCheckpoints.publishWithImages(here, "web");
    Files.writeString(original.imagesDir().resolve("core-1234.img"), "CORE");

    assertThatThrownBy(() -> there.asRepository().put(original))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("images/core-1234.img does not match its CRC32C");
    assertThat(there.list()).isEmpty();
    try (Stream<Path> staging = Files.list(there.root().resolve(".staging"))) {
      assertThat(staging).as("the partial copy is deleted").isEmpty();
    }
  }

  @Test
  void describeAndDeleteFindACheckpointByNameOrId() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    StoredCheckpoint cp = TestCheckpoints.publishWithImages(store, "web");
    CheckpointRepository repository = store.asRepository();

    assertThat(repository.describe(cp.id())).isEqualTo(cp.manifest());
    repository.delete("web");

    assertThatThrownBy(() -> repository.describe("web"))
        .isInstanceOf(CheckpointNotFoundException.class);
  }
}
