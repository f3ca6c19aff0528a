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

  private static StoredCheckpoint publish(ImageStore store, String name) throws Exception {
    StagedCheckpoint staged = store.stage(name);
    Files.writeString(staged.imagesDir().resolve("pages-1.img"), "pages");
    Files.writeString(staged.imagesDir().resolve("core-1.img"), "core");
    return store.publish(staged, DraftManifests.ofAJavaProgram());
  }

  @Test
  void aCheckpointPutIntoAnotherStoreIsCopiedWholeUnderItsIdNameAndManifest() throws Exception {
    ImageStore here = ImageStore.open(tmp.resolve("here"));
    ImageStore there = ImageStore.open(tmp.resolve("there"));
    StoredCheckpoint original = publish(here, "web");

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
    StoredCheckpoint original = publish(repository, "web");

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
    StoredCheckpoint original = publish(here, "web");
    Files.writeString(original.imagesDir().resolve("core-1.img"), "CORE");

    assertThatThrownBy(() -> there.asRepository().put(original))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("images/core-1.img does not match its CRC32C");
    assertThat(there.list()).isEmpty();
    try (Stream<Path> staging = Files.list(there.root().resolve(".staging"))) {
      assertThat(staging).as("the partial copy is deleted").isEmpty();
    }
  }

  @Test
  void describeAndDeleteFindACheckpointByNameOrId() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    StoredCheckpoint cp = publish(store, "web");
    CheckpointRepository repository = store.asRepository();

    assertThat(repository.describe(cp.id())).isEqualTo(cp.manifest());
    repository.delete("web");

    assertThatThrownBy(() -> repository.describe("web"))
        .isInstanceOf(CheckpointNotFoundException.class);
  }
}
